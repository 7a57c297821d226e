import Foundation
import RingsideCurl

/// E-mail notifications through libcurl's SMTP support (`[notify]` settings).
public struct MailNotifier: Notifier {
    let client: CurlHTTPClient
    let url: String
    let from: String
    let to: [String]
    let username: String?
    let password: String?

    /// nil when e-mail is not configured.
    public init?(config: RingsideConfig) throws {
        guard !config.smtpURL.isEmpty else { return nil }
        guard !config.mailFrom.isEmpty, !config.mailTo.isEmpty else {
            throw ConfigError(message: "notify.smtp_url is set, so notify.from and notify.to are needed too")
        }
        let loopback = ["smtp://127.0.0.1", "smtp://localhost"].contains { config.smtpURL.hasPrefix($0) }
        client = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: loopback))
        url = config.smtpURL
        from = config.mailFrom
        to = config.mailTo
        username = config.smtpUsername.isEmpty ? nil : config.smtpUsername
        password = config.smtpPassword.isEmpty ? nil : config.smtpPassword
    }

    public func notify(subject: String, body: String) async throws {
        try await client.sendMail(url: url, from: from, to: to, subject: subject, body: body, username: username, password: password)
    }
}
