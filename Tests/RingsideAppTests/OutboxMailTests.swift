import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideTestSupport
import Testing

/// Notification e-mail through `MailNotifier` (libcurl SMTP) to a sink on 127.0.0.1, configured as an admin would.
@Suite("Outbox e-mail notifications (SMTP sink)", .serialized)
struct OutboxMailTests {
    static func config(smtpURL: String, in directory: String) throws -> RingsideConfig {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/config.toml"
        try """
            [notify]
            smtp_url = "\(smtpURL)"
            from = "ringside@example.com"
            to = ["supervisor@example.com", "admin@example.com"]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try RingsideConfig.load(path: path, environment: ["HOME": directory, "XDG_DATA_HOME": directory + "/data"])
    }

    @Test func aParkedRecordSendsAnEmail() async throws {
        let smtp = try SMTPSink()
        defer { smtp.stop() }
        let db = OutboxTestDatabase(name: "mail")
        defer { db.remove() }
        let config = try Self.config(smtpURL: "smtp://127.0.0.1:\(smtp.port)", in: db.directory)
        let notifier = try #require(try MailNotifier(config: config))
        let store = try db.open()
        let record = OutboxRecords.record("mail-1")
        try store.complete(record, at: Date())
        let sink = ScriptedSink()
        sink.script("mail-1", .fail(.permanent(code: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "Calls need a Region", association: false)))
        let worker = OutboxWorker(store: store, sink: sink, notifier: notifier)
        #expect(await worker.drain().parked == 1)

        let messages = smtp.messages
        try #require(messages.count == 1)
        let mail = messages[0]
        #expect(mail.mailFrom == "ringside@example.com")
        #expect(mail.recipients == ["supervisor@example.com", "admin@example.com"])
        #expect(mail.data.contains("Subject: Ringside: 1 call record(s) could not be delivered\r\n"))
        #expect(mail.data.contains(record.subject))
        #expect(mail.data.contains("FIELD_CUSTOM_VALIDATION_EXCEPTION: Calls need a Region"))
        #expect(try store.audit(since: nil, limit: 10).contains { $0.action == "notify" && $0.endpoint == "smtp" && $0.errorCode == nil })
    }

    @Test func anUnreachableMailServerIsAuditedAndTheRecordStaysParked() async throws {
        let port = try RawTCPListener.closedPort()
        let db = OutboxTestDatabase(name: "mail-down")
        defer { db.remove() }
        let config = try Self.config(smtpURL: "smtp://127.0.0.1:\(port)", in: db.directory)
        let notifier = try #require(try MailNotifier(config: config))
        let store = try db.open()
        try store.complete(OutboxRecords.record("mail-2"), at: Date())
        let sink = ScriptedSink()
        sink.script("mail-2", .fail(.permanent(code: "INVALID_FIELD", message: "No such column", association: false)))
        let worker = OutboxWorker(store: store, sink: sink, notifier: notifier)
        #expect(await worker.drain().parked == 1)
        #expect(try store.record("mail-2")?.delivery == .parked)
        #expect(try store.audit(since: nil, limit: 10).contains { $0.action == "notify" && $0.errorCode == "SMTP" })
    }

    @Test func smtpWithoutSenderOrRecipientsIsAConfigError() throws {
        let directory = NSTemporaryDirectory() + "ringside-mail-cfg-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = try Self.config(smtpURL: "smtp://127.0.0.1:2525", in: directory)
        config.mailTo = []
        #expect(throws: ConfigError.self) { _ = try MailNotifier(config: config) }
        config.smtpURL = ""
        #expect(try MailNotifier(config: config) == nil)
    }
}
