import Foundation

/// Builds the RFC 5322 text of a plain-text, UTF-8 e-mail.
///
/// Header injection is impossible: addresses with CR, LF, `<` or `>` are rejected and the
/// subject's line breaks become spaces. Non-ASCII subjects are RFC 2047-encoded. Line
/// endings are normalised to CRLF; libcurl dot-stuffs lines that start with `.`.
enum MailMessage {
    static func validate(address: String) throws(HTTPError) {
        let trimmed = address.trimmingCharacters(in: .whitespaces)
        let bad = trimmed.isEmpty || !trimmed.contains("@")
            || trimmed.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\0" }
        if bad { throw .invalidMailAddress(address) }
    }

    static func build(from: String, to: [String], subject: String, body: String,
                      date: Date = Date(), messageID: String = UUID().uuidString) -> Data {
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let headers = [
            "From: <\(from)>",
            "To: " + to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: " + encodeHeaderText(subject),
            "Date: " + rfc5322Date(date),
            "Message-ID: <\(messageID)@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "X-Mailer: Ringside/0.1",
        ]
        let text = headers.joined(separator: "\r\n") + "\r\n\r\n" + normaliseLineEndings(body) + "\r\n"
        return Data(text.utf8)
    }

    /// Subject text safe for one header line: ASCII stays readable, anything else is a
    /// base64 encoded-word.
    static func encodeHeaderText(_ text: String) -> String {
        let singleLine = text.replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
        if singleLine.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) {
            return singleLine
        }
        return "=?UTF-8?B?" + Data(singleLine.utf8).base64EncodedString() + "?="
    }

    static func normaliseLineEndings(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
