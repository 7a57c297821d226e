import CCurl

/// A thin, checked wrapper over one libcurl easy handle.
///
/// Every setter calls one of the typed `rs_curl_*` shims (the variadic `curl_easy_setopt`
/// does not import into Swift) and turns a non-`CURLE_OK` result into an `HTTPError`.
/// Not thread-safe: a handle is used by one thread at a time (the caller while it is
/// configured, then the transfer loop).
struct CurlEasy {
    let raw: UnsafeMutableRawPointer

    static func describe(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "CURLcode \(code.rawValue)" }
        return String(cString: text)
    }

    private func check(_ code: CURLcode, _ what: @autoclosure () -> String) throws(HTTPError) {
        guard code == CURLE_OK else {
            throw .other(code: Int(code.rawValue), message: "curl_easy_setopt(\(what())) failed: \(Self.describe(code))")
        }
    }

    func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
        try check(rs_curl_setopt_long(raw, option, value), "option \(option.rawValue) = \(value)")
    }

    func set(_ option: CURLoption, _ value: Bool) throws(HTTPError) {
        try set(option, value ? 1 : 0)
    }

    /// libcurl copies string options, so a temporary Swift string is fine.
    func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
        try check(rs_curl_setopt_string(raw, option, value), "option \(option.rawValue)")
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(HTTPError) {
        try check(rs_curl_setopt_pointer(raw, option, pointer), "option \(option.rawValue) (pointer)")
    }

    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) throws(HTTPError) {
        try check(rs_curl_setopt_slist(raw, option, list), "option \(option.rawValue) (list)")
    }

    func set(_ option: CURLoption, offset: Int64) throws(HTTPError) {
        try check(rs_curl_setopt_off_t(raw, option, curl_off_t(offset)), "option \(option.rawValue) = \(offset)")
    }

    func setWriteFunction(_ f: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int) throws(HTTPError) {
        try check(rs_curl_setopt_write_function(raw, f), "CURLOPT_WRITEFUNCTION")
    }

    func setHeaderFunction(_ f: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int) throws(HTTPError) {
        try check(rs_curl_setopt_header_function(raw, f), "CURLOPT_HEADERFUNCTION")
    }

    func setReadFunction(_ f: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int) throws(HTTPError) {
        try check(rs_curl_setopt_read_function(raw, f), "CURLOPT_READFUNCTION")
    }

    func setProgressFunction(_ f: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32) throws(HTTPError) {
        try check(rs_curl_setopt_xferinfo_function(raw, f), "CURLOPT_XFERINFOFUNCTION")
    }

    /// A `long` info value, or nil if libcurl could not provide it.
    func long(_ info: CURLINFO) -> Int? {
        var value = 0
        return rs_curl_getinfo_long(raw, info, &value) == CURLE_OK ? value : nil
    }

    /// A `curl_off_t` info value, or nil if libcurl could not provide it.
    func offset(_ info: CURLINFO) -> Int64? {
        var value: curl_off_t = 0
        return rs_curl_getinfo_off_t(raw, info, &value) == CURLE_OK ? Int64(value) : nil
    }

    /// A string info value, or nil if libcurl could not provide it.
    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard rs_curl_getinfo_string(raw, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

/// Builds a `curl_slist`, checking every append; frees it on failure.
enum CurlStringList {
    static func make(_ items: [String]) throws(HTTPError) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let next = curl_slist_append(list, item) else {
                curl_slist_free_all(list)
                throw .other(code: 27, message: "curl_slist_append failed (out of memory)")
            }
            list = next
        }
        return list
    }
}
