import CCurl

/// The parts of a request URL that policy decisions need, parsed by libcurl's own URL
/// parser (`curl_url`) so that what we check is exactly what libcurl will connect to
/// (no parser-mismatch tricks like `https://127.0.0.1@evil.example/`).
struct URLTarget: Sendable, Equatable {
    /// Lower-case scheme, e.g. `https`.
    var scheme: String
    /// Host as libcurl sees it; IPv6 literals keep their brackets (`[::1]`).
    var host: String

    /// Parses `url`; throws `.invalidURL` when libcurl cannot, or when the scheme is not in `allowedSchemes`.
    init(_ url: String, allowedSchemes: Set<String>) throws(HTTPError) {
        try CurlGlobal.initialise()
        guard let handle = curl_url() else {
            throw .other(code: 27, message: "curl_url() could not allocate a URL handle (out of memory)")
        }
        defer { curl_url_cleanup(handle) }
        let setCode = curl_url_set(handle, CURLUPART_URL, url, 0)
        guard setCode == CURLUE_OK else {
            throw .invalidURL(Redactor.url(url))
        }
        guard let scheme = Self.part(handle, CURLUPART_SCHEME)?.lowercased(),
              let host = Self.part(handle, CURLUPART_HOST), !host.isEmpty else {
            throw .invalidURL(Redactor.url(url))
        }
        guard allowedSchemes.contains(scheme) else {
            throw .invalidURL(Redactor.url(url))
        }
        self.scheme = scheme
        self.host = host
    }

    private static func part(_ handle: OpaquePointer, _ what: CURLUPart) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        let code = curl_url_get(handle, what, &out, 0)
        guard code == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }

    /// Whether `host` is one of the loopback names this client trusts for
    /// `allowInsecureLoopback`: exactly `127.0.0.1`, `localhost` or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        switch bare.lowercased() {
        case "127.0.0.1", "localhost", "::1":
            return true
        default:
            return false
        }
    }

    var isLoopback: Bool { Self.isLoopback(host) }
}
