import Foundation
import Testing
@testable import RingsideCurl

@Suite("HTTPError mapping")
struct HTTPErrorTests {
    private func context(sent: Bool = false, connected: Bool = false, cancel: Bool = false, mail: Bool = false) -> HTTPError.FailureContext {
        HTTPError.FailureContext(host: "na1.salesforce.com", requestBytesSent: sent, connectionEstablished: connected, cancelRequested: cancel, isMail: mail)
    }

    @Test func networkCodesMapToTypedCases() {
        #expect(HTTPError.classify(code: 6, message: "Could not resolve host", context: context()) == .dns(host: "na1.salesforce.com"))
        #expect(HTTPError.classify(code: 7, message: "Failed to connect", context: context()) == .couldNotConnect(host: "na1.salesforce.com"))
        #expect(HTTPError.classify(code: 3, message: "URL using bad/illegal format", context: context()) == .invalidURL("URL using bad/illegal format"))
        #expect(HTTPError.classify(code: 1, message: "Protocol not supported", context: context()) == .invalidURL("Protocol not supported"))
        #expect(HTTPError.classify(code: 60, message: "SSL certificate problem", context: context()) == .tls("SSL certificate problem"))
        #expect(HTTPError.classify(code: 35, message: "handshake", context: context()) == .tls("handshake"))
        #expect(HTTPError.classify(code: 77, message: "bad CA file", context: context()) == .tls("bad CA file"))
        #expect(HTTPError.classify(code: 67, message: "Login denied", context: context()) == .loginDenied("Login denied"))
        #expect(HTTPError.classify(code: 47, message: "Too many redirects", context: context())
                == .failedAfterSending(code: 47, message: "Too many redirects"))
        #expect(HTTPError.classify(code: 48, message: "Unknown option", context: context()) == .other(code: 48, message: "Unknown option"))
    }

    /// Issue 14: every CURLcode by whether it can happen after the request was sent.
    @Test func everyCodeIsClassifiedByWhetherTheRequestMayHaveBeenProcessed() {
        var before = 0, after = 0, either = 0
        for code in 1...101 {
            let notSent = HTTPError.classify(code: code, message: "m", context: context())
            let sent = HTTPError.classify(code: code, message: "m", context: context(sent: true, connected: true))
            // A refused login (LOGIN_DENIED, AUTH_ERROR) is the server saying no: nothing was processed.
            if case .loginDenied = sent { continue }
            switch HTTPError.phase(ofCode: code) {
            case .beforeSending:
                before += 1
                #expect(!notSent.requestMayHaveBeenProcessed, "code \(code) happens before sending")
                #expect(!sent.requestMayHaveBeenProcessed, "code \(code) happens before sending")
            case .afterSending:
                after += 1
                #expect(notSent.requestMayHaveBeenProcessed, "code \(code) needs a sent request: \(notSent)")
                #expect(sent.requestMayHaveBeenProcessed, "code \(code) needs a sent request: \(sent)")
            case .eitherSide:
                either += 1
                #expect(!notSent.requestMayHaveBeenProcessed, "code \(code) with nothing sent: \(notSent)")
                #expect(sent.requestMayHaveBeenProcessed, "code \(code) after sending: \(sent)")
            }
        }
        #expect(before > 20 && after >= 10 && either > 20, "\(before) before, \(after) after, \(either) either")
        // Unknown (newer) codes count as processed once anything went out.
        #expect(HTTPError.phase(ofCode: 250) == .eitherSide)
        #expect(HTTPError.classify(code: 250, message: "m", context: context(sent: true)).requestMayHaveBeenProcessed)
    }

    @Test func unreadableRepliesMeanTheRequestMayHaveBeenProcessed() {
        // Bad Content-Encoding (a gzip header on garbage) — only possible once a reply arrived.
        let gzip = HTTPError.classify(code: 61, message: "Error while processing content unencoding", context: context(sent: true, connected: true))
        #expect(gzip == .failedAfterSending(code: 61, message: "Error while processing content unencoding"))
        #expect(gzip.requestMayHaveBeenProcessed && gzip.isTransient)
        // An HTTP/0.9 reply is reported as UNSUPPORTED_PROTOCOL: after sending it is not a bad URL.
        let http09 = HTTPError.classify(code: 1, message: "Received HTTP/0.9 when not allowed", context: context(sent: true, connected: true))
        #expect(http09 == .failedAfterSending(code: 1, message: "Received HTTP/0.9 when not allowed"))
        #expect(http09.description.contains("may have processed it"))
        #expect(HTTPError.classify(code: 8, message: "Weird server reply", context: context(sent: true)).requestMayHaveBeenProcessed)
        #expect(HTTPError.classify(code: 80, message: "shutdown", context: context(sent: true)).requestMayHaveBeenProcessed)
        // An abort that nobody asked for, after sending.
        #expect(HTTPError.classify(code: 42, message: "aborted", context: context(sent: true)).requestMayHaveBeenProcessed)
    }

    @Test func timeoutPhaseAndSendingAreDistinguished() {
        let connecting = HTTPError.classify(code: 28, message: "Connection timed out", context: context())
        #expect(connecting == .timedOut(phase: .connect, afterSending: false))
        #expect(!connecting.requestMayHaveBeenProcessed)

        let waiting = HTTPError.classify(code: 28, message: "Operation timed out", context: context(sent: true, connected: true))
        #expect(waiting == .timedOut(phase: .transfer, afterSending: true))
        #expect(waiting.requestMayHaveBeenProcessed)

        let connectedNotSent = HTTPError.classify(code: 28, message: "x", context: context(connected: true))
        #expect(connectedNotSent == .timedOut(phase: .transfer, afterSending: false))
        #expect(!connectedNotSent.requestMayHaveBeenProcessed)
    }

    @Test func responseSideFailuresMeanTheRequestMayHaveBeenProcessed() {
        for code in [18, 52, 56] { // PARTIAL_FILE, GOT_NOTHING, RECV_ERROR
            let error = HTTPError.classify(code: code, message: "m", context: context(sent: false))
            #expect(error == .connectionReset(afterSending: true))
            #expect(error.requestMayHaveBeenProcessed)
        }
        let sendFailed = HTTPError.classify(code: 55, message: "Connection reset by peer", context: context(sent: false))
        #expect(sendFailed == .connectionReset(afterSending: false))
        #expect(!sendFailed.requestMayHaveBeenProcessed)
    }

    @Test func abortByCallbackIsCancellationOnlyWhenAsked() {
        #expect(HTTPError.classify(code: 42, message: "Callback aborted", context: context(cancel: true)) == .cancelled)
        #expect(HTTPError.classify(code: 42, message: "Callback aborted", context: context(cancel: false)) == .other(code: 42, message: "Callback aborted"))
    }

    @Test func smtpRefusalsAreMailRejections() {
        #expect(HTTPError.classify(code: 55, message: "RCPT failed: 550", context: context(sent: true, mail: true)) == .mailRejected("RCPT failed: 550"))
        #expect(HTTPError.classify(code: 55, message: "MAIL failed: 553", context: context(sent: true, mail: true)) == .mailRejected("MAIL failed: 553"))
        #expect(HTTPError.classify(code: 8, message: "weird", context: context(mail: true)) == .mailRejected("weird"))
    }

    @Test func everyCodeMapsToSomething() {
        // No CURLcode (0...100) may crash or be left unmapped; descriptions always advise.
        for code in 1...100 {
            let error = HTTPError.classify(code: code, message: "msg", context: context())
            #expect(!error.description.isEmpty)
        }
    }

    @Test func descriptionsSayWhatToTry() {
        #expect(HTTPError.couldNotConnect(host: "h").description.contains("check that the server is up"))
        #expect(HTTPError.timedOut(phase: .transfer, afterSending: true).description.contains("Check before re-sending"))
        #expect(HTTPError.insecureTransportNotAllowed(host: "x").description.contains("127.0.0.1"))
        #expect(HTTPError.tls("x").description.contains("CA bundle"))
    }

    @Test func transience() {
        #expect(HTTPError.couldNotConnect(host: "h").isTransient)
        #expect(HTTPError.connectionReset(afterSending: true).isTransient)
        #expect(!HTTPError.tls("x").isTransient)
        #expect(!HTTPError.invalidURL("x").isTransient)
        #expect(!HTTPError.cancelled.isTransient)
    }

    @Test func loopbackHosts() {
        #expect(URLTarget.isLoopback("127.0.0.1"))
        #expect(URLTarget.isLoopback("LOCALHOST"))
        #expect(URLTarget.isLoopback("[::1]"))
        #expect(URLTarget.isLoopback("::1"))
        #expect(!URLTarget.isLoopback("127.0.0.1.nip.io"))
        #expect(!URLTarget.isLoopback("example.com"))
    }

    @Test func urlTargetUsesLibcurlsParser() throws {
        let tricky = try URLTarget("https://127.0.0.1@evil.example/x", allowedSchemes: ["https"])
        #expect(tricky.host == "evil.example")
        #expect(!tricky.isLoopback)
        #expect(throws: HTTPError.self) { try URLTarget("ftp://127.0.0.1/", allowedSchemes: ["http", "https"]) }
        #expect(throws: HTTPError.self) { try URLTarget("not a url", allowedSchemes: ["http", "https"]) }
    }

    @Test func noProxyKeepsEnvironmentAndAddsLoopback() {
        #expect(CurlHTTPClient.noProxyList(environment: [:]) == "localhost,127.0.0.1,::1")
        #expect(CurlHTTPClient.noProxyList(environment: ["no_proxy": ".corp.example"]) == ".corp.example,localhost,127.0.0.1,::1")
        #expect(CurlHTTPClient.noProxyList(environment: ["NO_PROXY": "*"]) == "*")
    }

    @Test func timeoutMilliseconds() {
        #expect(CurlConfiguration.milliseconds(.seconds(5)) == 5000)
        #expect(CurlConfiguration.milliseconds(.milliseconds(250)) == 250)
        #expect(CurlConfiguration.milliseconds(.zero) == 1) // 0 would mean "no timeout" to libcurl
    }

    @Test func headerFieldsLookupIsCaseInsensitiveAndKeepsAllValues() {
        var headers: HTTPHeaderFields = ["Content-Type": "application/json"]
        headers.add("Set-Cookie", "a=1")
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "application/json")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        headers.set("SET-COOKIE", "c=3")
        #expect(headers.values(for: "Set-Cookie") == ["c=3"])
        #expect(headers["X-Missing"] == nil)
    }

    @Test func mailMessageIsWellFormed() throws {
        let data = MailMessage.build(from: "ringside@example.com", to: ["a@example.com", "b@example.com"],
                                     subject: "Delivery failing\r\nBcc: evil@example.com", body: "line1\nline2\r\n.dot")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("Subject: Delivery failing Bcc: evil@example.com\r\n"))
        #expect(!text.contains("\nBcc:"))
        #expect(text.contains("To: <a@example.com>, <b@example.com>\r\n"))
        #expect(text.contains("\r\n\r\nline1\r\nline2\r\n.dot\r\n"))
        #expect(MailMessage.encodeHeaderText("Anruf von Müller") == "=?UTF-8?B?" + Data("Anruf von Müller".utf8).base64EncodedString() + "?=")
        #expect(throws: HTTPError.invalidMailAddress("a@b.c>\r\nRCPT TO:<x@y.z")) {
            try MailMessage.validate(address: "a@b.c>\r\nRCPT TO:<x@y.z")
        }
    }
}
