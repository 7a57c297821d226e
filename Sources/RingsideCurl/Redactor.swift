import Foundation

/// Pure functions that remove secrets from what the trace log prints.
///
/// - URLs: query parameters whose name contains `token`, `password`, `secret` or `code`
///   (case-insensitive) and any `user:password@` part.
/// - Headers: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`.
/// - Bodies (JSON or form-encoded): values of `access_token`, `refresh_token`, `password`,
///   `client_secret`, `device_code`, `code`. `client_id` is kept: it is not a secret and
///   helps diagnose OAuth set-up.
public enum Redactor {
    /// What replaces a secret.
    public static let placeholder = "[REDACTED]"

    /// Header names (lower-case) whose values are never printed.
    public static let sensitiveHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]

    /// JSON / form keys (lower-case) whose values are never printed.
    public static let sensitiveBodyKeys: Set<String> = [
        "access_token", "refresh_token", "password", "client_secret", "device_code", "code",
    ]

    /// Substrings that make a query parameter name sensitive.
    public static let sensitiveQueryFragments = ["token", "password", "secret", "code"]

    /// Longest body text the trace prints; the rest is summarised.
    public static let maxBodyCharacters = 8192

    // MARK: Headers

    /// The value to print for a header.
    public static func headerValue(name: String, value: String) -> String {
        sensitiveHeaders.contains(name.lowercased()) ? placeholder : value
    }

    // MARK: URLs

    /// Whether a query parameter called `name` must be hidden.
    public static func isSensitiveQueryName(_ name: String) -> Bool {
        let lower = decodeFormComponent(name).lowercased()
        return sensitiveQueryFragments.contains { lower.contains($0) }
    }

    /// `url` with secret query values and any password in the user-info replaced.
    public static func url(_ url: String) -> String {
        var rest = Substring(url)
        var fragment: Substring = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[hash...]
            rest = rest[..<hash]
        }
        var base = rest
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            base = rest[..<mark]
            query = rest[rest.index(after: mark)...]
        }
        var out = redactUserInfo(String(base))
        if let query {
            let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
                let name = pair[..<eq]
                return isSensitiveQueryName(String(name)) ? "\(name)=\(placeholder)" : String(pair)
            }
            out += "?" + parts.joined(separator: "&")
        }
        return out + fragment
    }

    private static func redactUserInfo(_ base: String) -> String {
        guard let schemeEnd = base.range(of: "://") else { return base }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = base[authorityStart...].firstIndex(of: "/") ?? base.endIndex
        let authority = base[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"),
              let colon = authority[..<at].firstIndex(of: ":") else { return base }
        let user = authority[..<colon]
        return String(base[..<authorityStart]) + user + ":" + placeholder + base[at...]
    }

    // MARK: Bodies

    /// Printable body text with secret values replaced. JSON is detected by content type or
    /// a leading `{`/`[`; form bodies by `application/x-www-form-urlencoded`. Other text is
    /// printed as is; non-UTF-8 data is summarised by size.
    public static func body(_ data: Data, contentType: String?) -> String {
        if data.isEmpty { return "" }
        guard let text = String(data: data, encoding: .utf8) else {
            return "<\(data.count) bytes, not UTF-8>"
        }
        let type = contentType?.lowercased() ?? ""
        let firstSignificant = text.first { !$0.isWhitespace }
        let redacted: String
        if type.contains("json") || firstSignificant == "{" || firstSignificant == "[" {
            redacted = json(text)
        } else if type.contains("x-www-form-urlencoded") {
            redacted = form(text)
        } else {
            redacted = text
        }
        if redacted.count > maxBodyCharacters {
            return String(redacted.prefix(maxBodyCharacters)) + "… (\(data.count) bytes in all)"
        }
        return redacted
    }

    /// A form-encoded body (`a=1&b=2`) with sensitive values replaced.
    public static func form(_ text: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let key = decodeFormComponent(String(pair[..<eq])).lowercased()
            return sensitiveBodyKeys.contains(key) ? "\(pair[..<eq])=\(placeholder)" : String(pair)
        }.joined(separator: "&")
    }

    /// JSON text with the values of sensitive keys (at any depth) replaced by `"[REDACTED]"`.
    /// A tolerant scanner rather than a parser, so truncated or invalid JSON is still redacted
    /// and formatting is preserved. Object or array values of a sensitive key are replaced whole.
    public static func json(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "\"") else {
                out.append(byte)
                i += 1
                continue
            }
            let end = endOfString(bytes, from: i)
            out.append(contentsOf: bytes[i..<end])
            // Is this string a key, i.e. followed by ':'?
            var j = end
            while j < bytes.count, isJSONSpace(bytes[j]) { j += 1 }
            guard j < bytes.count, bytes[j] == UInt8(ascii: ":") else {
                i = end
                continue
            }
            let key = String(decoding: bytes[(i + 1)..<max(i + 1, end - 1)], as: UTF8.self).lowercased()
            guard sensitiveBodyKeys.contains(key) else {
                i = end
                continue
            }
            // Copy ':' and whitespace, then replace the value.
            j += 1
            while j < bytes.count, isJSONSpace(bytes[j]) { j += 1 }
            out.append(contentsOf: bytes[end..<j])
            out.append(contentsOf: Array("\"\(placeholder)\"".utf8))
            i = endOfValue(bytes, from: j)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Index just past the string literal starting at `start` (a quote), or the end of input.
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var k = start + 1
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "\\") {
                k += 2
                continue
            }
            if bytes[k] == UInt8(ascii: "\"") { return k + 1 }
            k += 1
        }
        return bytes.count
    }

    /// Index just past the JSON value starting at `start`.
    private static func endOfValue(_ bytes: [UInt8], from start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return endOfString(bytes, from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var k = start
            while k < bytes.count {
                switch bytes[k] {
                case UInt8(ascii: "\""):
                    k = endOfString(bytes, from: k)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return k + 1 }
                default:
                    break
                }
                k += 1
            }
            return bytes.count
        default:
            var k = start
            while k < bytes.count, !isJSONSpace(bytes[k]),
                  ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[k]) {
                k += 1
            }
            return k
        }
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Percent-decodes a form/query component (`+` is a space); leaves invalid escapes as is.
    static func decodeFormComponent(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
