/// Hides the password in a URL's user-info (`mqtt://agent:PW@host` → `mqtt://agent:[REDACTED]@host`) for messages
/// and logs. (`RingsideCurl.Redactor.url` does the same plus secret query parameters, for HTTP traces.)
public enum URLUserInfo {
    public static let placeholder = "[REDACTED]"

    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let authorityEnd = url[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        let authority = url[scheme.upperBound..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":" + placeholder + String(url[at...])
    }
}
