import CCurl
import Foundation

extension CurlHTTPClient {
    /// Sends a plain-text e-mail over SMTP.
    ///
    /// - `url`: `smtp://host:587` (STARTTLS is required) or `smtps://host:465` (implicit TLS).
    ///   Plain, unencrypted SMTP is used only with `allowInsecureLoopback` and a loopback host
    ///   (a local test sink); certificates are verified like HTTPS.
    /// - `username`/`password`: SMTP AUTH credentials, or nil for an open relay.
    ///
    /// Throws `.invalidMailAddress` for a bad sender/recipient, `.mailRejected` when the
    /// server refuses the sender, a recipient or the message, `.loginDenied` for bad
    /// credentials, and the usual network errors otherwise.
    public func sendMail(
        url: String,
        from: String,
        to: [String],
        subject: String,
        body: String,
        username: String?,
        password: String?
    ) async throws(HTTPError) {
        let started = ContinuousClock.now
        do {
            try await performMail(url: url, from: from, to: to, subject: subject, body: body,
                                  username: username, password: password)
            if let trace = configuration.trace {
                trace("✉ sent \"\(subject)\" to \(to.count) recipient(s) via \(Redactor.url(url)) in \(Self.format(started.duration(to: .now)))")
            }
        } catch {
            traceFailure("SMTP", url, error, elapsed: started.duration(to: .now))
            throw error
        }
    }

    private func performMail(
        url: String, from: String, to: [String], subject: String, body: String,
        username: String?, password: String?
    ) async throws(HTTPError) {
        let target = try URLTarget(url, allowedSchemes: ["smtp", "smtps"])
        try checkInsecurePolicy(target)
        try MailMessage.validate(address: from)
        guard !to.isEmpty else { throw .invalidMailAddress("(no recipients)") }
        for recipient in to { try MailMessage.validate(address: recipient) }
        guard !Task.isCancelled else { throw .cancelled }

        let message = MailMessage.build(from: from, to: to, subject: subject, body: body)
        let plaintextAllowed = configuration.allowInsecureLoopback && target.isLoopback
        let transfer = try prepare(target: target, isMail: true) { (transfer: CurlTransfer) throws(HTTPError) in
            let easy = transfer.easy
            try easy.set(CURLOPT_URL, url)
            try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            try applyTimeouts(easy, nil)
            if target.scheme == "smtp" {
                let level = plaintextAllowed ? CURLUSESSL_TRY : CURLUSESSL_ALL
                try easy.set(CURLOPT_USE_SSL, Int(level.rawValue))
            }
            try easy.set(CURLOPT_MAIL_FROM, "<\(from)>")
            let recipients = try CurlStringList.make(to.map { "<\($0)>" })
            if let recipients { transfer.lists.append(recipients) }
            try easy.set(CURLOPT_MAIL_RCPT, list: recipients)
            if let username { try easy.set(CURLOPT_USERNAME, username) }
            if let password { try easy.set(CURLOPT_PASSWORD, password) }
            transfer.upload = message
            try easy.set(CURLOPT_UPLOAD, true)
            try easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(message.count))
        }
        _ = try await loop.perform(transfer).get()
    }
}
