import Foundation

/// An HTTP method. A struct rather than an enum so unusual verbs stay expressible.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")

    public var description: String { rawValue }

    /// GET, HEAD, PUT, DELETE, OPTIONS: repeating them has no further effect (RFC 9110 §9.2.2).
    public var isIdempotent: Bool { ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(rawValue) }
}

/// Per-request timeouts; `nil` on a request means "use the client's defaults".
public struct HTTPTimeouts: Sendable, Equatable {
    /// Time allowed for DNS + TCP connect + TLS handshake.
    public var connect: Duration
    /// Time allowed for the whole transfer, connect included.
    public var total: Duration

    public init(connect: Duration = .seconds(5), total: Duration = .seconds(30)) {
        self.connect = connect
        self.total = total
    }

    /// The defaults used when neither the request nor the client says otherwise (5 s / 30 s).
    public static let standard = HTTPTimeouts()
}

/// One HTTP request, transport-independent so `HTTPClient` can be faked in tests.
public struct HTTPRequest: Sendable, Equatable {
    public var method: HTTPMethod
    /// Absolute `http://` or `https://` URL.
    public var url: String
    /// Request headers. Values must not contain CR or LF. Set `Content-Type` yourself when
    /// sending a body (libcurl would otherwise label a POST body `application/x-www-form-urlencoded`).
    public var headers: HTTPHeaderFields
    /// Request body; sent for any method when non-empty.
    public var body: Data
    /// Overrides the client's timeouts for this request only.
    public var timeouts: HTTPTimeouts?

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaderFields = [:],
        body: Data = Data(),
        timeouts: HTTPTimeouts? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}
