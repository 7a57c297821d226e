import Foundation

/// How long a transfer took and how many connections it had to open.
public struct HTTPTiming: Sendable, Equatable {
    /// Whole transfer, from start to last byte, in seconds.
    public var total: Double
    /// New connections libcurl opened for this transfer: 0 when a kept-alive
    /// connection was reused (`CURLINFO_NUM_CONNECTS`).
    public var connectionsOpened: Int

    public init(total: Double, connectionsOpened: Int) {
        self.total = total
        self.connectionsOpened = connectionsOpened
    }
}

/// A complete HTTP response (body already decoded from gzip/deflate when the server compressed it).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Headers of the final response (interim `100 Continue` headers are dropped).
    public var headers: HTTPHeaderFields
    public var body: Data
    /// The URL the response came from (`CURLINFO_EFFECTIVE_URL`).
    public var effectiveURL: String
    public var timing: HTTPTiming

    public init(
        status: Int,
        headers: HTTPHeaderFields = [:],
        body: Data = Data(),
        effectiveURL: String,
        timing: HTTPTiming = HTTPTiming(total: 0, connectionsOpened: 0)
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.timing = timing
    }

    /// True for 2xx statuses.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Something that can send an `HTTPRequest`. `CurlHTTPClient` is the live implementation;
/// tests of higher layers (the Salesforce client) substitute a fake.
///
/// A non-2xx status is **not** an error: it is returned as a response. `HTTPError`
/// is for transfers that did not produce a complete response.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse
}
