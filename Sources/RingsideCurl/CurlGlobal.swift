import CCurl

/// Process-wide libcurl initialisation, done exactly once.
///
/// `curl_global_init` is not thread-safe against other libcurl calls, so it runs inside a
/// Swift `static let` initialiser (which the runtime executes once, under a lock) before
/// any client, easy handle or URL handle is created.
enum CurlGlobal {
    /// The raw `CURLcode` returned by `curl_global_init(CURL_GLOBAL_DEFAULT)`.
    private static let initCode: UInt32 = curl_global_init(Int(CURL_GLOBAL_DEFAULT)).rawValue

    /// Initialises libcurl if that has not happened yet; throws if it failed.
    static func initialise() throws(HTTPError) {
        let code = initCode
        guard code == CURLE_OK.rawValue else {
            throw .other(code: Int(code), message: "curl_global_init failed: \(CurlEasy.describe(CURLcode(rawValue: code)))")
        }
    }

    /// Version string of the linked libcurl, e.g. `libcurl/7.88.1 OpenSSL/3.0.11 zlib/1.2.13`.
    static var version: String {
        guard let text = curl_version() else { return "libcurl (unknown version)" }
        return String(cString: text)
    }
}
