import Foundation
import RingsideTestSupport
import Testing
@testable import RingsideCurl

@Suite("SMTP over loopback", .serialized)
struct MailTests {
    @Test func messageReachesTheSinkWithSubjectBodyAndRecipients() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let client = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true))
        try await client.sendMail(
            url: "smtp://127.0.0.1:\(sink.port)",
            from: "ringside@example.com",
            to: ["supervisor@example.com", "admin@example.com"],
            subject: "3 call records failing",
            body: "Delivery to Salesforce failed 3 times.\n.\nLast error: INVALID_SESSION_ID",
            username: nil, password: nil)
        let messages = sink.messages
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(message.mailFrom == "ringside@example.com")
        #expect(message.recipients == ["supervisor@example.com", "admin@example.com"])
        #expect(message.data.contains("Subject: 3 call records failing\r\n"))
        #expect(message.data.contains("To: <supervisor@example.com>, <admin@example.com>\r\n"))
        // libcurl dot-stuffed the lone "." line; the sink sees it escaped as "..".
        #expect(message.data.contains("\r\n\r\nDelivery to Salesforce failed 3 times.\r\n..\r\nLast error: INVALID_SESSION_ID"))
        #expect(sink.commands.contains { $0.uppercased().hasPrefix("EHLO") }, "\(sink.commands)")
    }

    @Test func rejectedRecipientIsMailRejected() async throws {
        let sink = try SMTPSink(rejected: ["nobody@example.com"])
        defer { sink.stop() }
        let client = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true))
        do {
            try await client.sendMail(url: "smtp://127.0.0.1:\(sink.port)", from: "ringside@example.com",
                                      to: ["nobody@example.com"], subject: "s", body: "b", username: nil, password: nil)
            Issue.record("expected a rejection")
        } catch {
            guard case .mailRejected = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(!error.requestMayHaveBeenProcessed)
        }
        #expect(sink.messages.isEmpty)
    }

    @Test func plaintextSMTPNeedsTheExplicitLoopbackEscapeHatch() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let client = try CurlHTTPClient() // TLS required: the sink offers no STARTTLS
        do {
            try await client.sendMail(url: "smtp://127.0.0.1:\(sink.port)", from: "ringside@example.com",
                                      to: ["a@example.com"], subject: "s", body: "b", username: nil, password: nil)
            Issue.record("expected STARTTLS to be required")
        } catch {
            guard case .tls = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
        #expect(sink.messages.isEmpty)

        let insecure = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true))
        do {
            try await insecure.sendMail(url: "smtp://mail.example.com:25", from: "ringside@example.com",
                                        to: ["a@example.com"], subject: "s", body: "b", username: nil, password: nil)
            Issue.record("expected the insecure setting to be refused for a remote host")
        } catch {
            #expect(error == .insecureTransportNotAllowed(host: "mail.example.com"))
        }
    }

    @Test func badAddressesAreRefusedBeforeConnecting() async throws {
        let client = try CurlHTTPClient()
        for (from, to) in [("no-at-sign", ["a@example.com"]), ("ringside@example.com", []), ("ringside@example.com", ["a@x.com>\r\nRCPT TO:<b@y.com"])] {
            do {
                try await client.sendMail(url: "smtps://127.0.0.1:1", from: from, to: to, subject: "s", body: "b", username: nil, password: nil)
                Issue.record("expected invalid address for \(from) \(to)")
            } catch {
                guard case .invalidMailAddress = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
            }
        }
    }
}
