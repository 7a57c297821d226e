/// Settings for `CurlHTTPClient`. The defaults are the production settings.
///
/// Always on, not configurable: TLS peer and host verification (except the explicit
/// loopback escape hatch below), `CURLOPT_NOSIGNAL`, HTTP/1.1 with keep-alive, gzip/deflate
/// response decoding, only `http`/`https` (`smtp`/`smtps` for mail) schemes, no redirects.
///
/// **Proxies** come from the standard environment variables, which libcurl reads itself:
/// `http_proxy`, `https_proxy` (or `HTTPS_PROXY`), `all_proxy`, and `no_proxy`. This client
/// never sets `CURLOPT_PROXY`, so that behaviour stays on. It does set `CURLOPT_NOPROXY` to
/// the environment's `no_proxy` plus `localhost,127.0.0.1,::1`, so loopback traffic (the
/// emulator, tests) never goes through a proxy.
public struct CurlConfiguration: Sendable {
    /// Time allowed to connect (DNS + TCP + TLS). Default 5 s.
    public var connectTimeout: Duration
    /// Time allowed for a whole transfer. Default 30 s.
    public var totalTimeout: Duration
    /// PEM bundle of CA certificates to trust instead of the system default (`CURLOPT_CAINFO`).
    public var caBundlePath: String?
    /// Skip TLS certificate verification. Only for test servers with self-signed
    /// certificates: any request to a host other than 127.0.0.1, localhost or ::1 then fails
    /// with `HTTPError.insecureTransportNotAllowed` before anything is sent.
    public var allowInsecureLoopback: Bool
    /// Keep connections open and reuse them (HTTP keep-alive). Turn off only to measure.
    public var reuseConnections: Bool
    /// Most idle connections kept open (`CURLMOPT_MAXCONNECTS`).
    public var maxConnections: Int
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Receives one redacted line per request and response (method, URL, status, duration,
    /// headers; bodies when `traceBodies`). Called on the transfer thread: keep it quick.
    public var trace: (@Sendable (String) -> Void)?
    /// Also log request and response bodies (with secret values redacted).
    public var traceBodies: Bool

    public init(
        connectTimeout: Duration = .seconds(5),
        totalTimeout: Duration = .seconds(30),
        caBundlePath: String? = nil,
        allowInsecureLoopback: Bool = false,
        reuseConnections: Bool = true,
        maxConnections: Int = 16,
        userAgent: String = "Ringside/0.1",
        trace: (@Sendable (String) -> Void)? = nil,
        traceBodies: Bool = false
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caBundlePath = caBundlePath
        self.allowInsecureLoopback = allowInsecureLoopback
        self.reuseConnections = reuseConnections
        self.maxConnections = maxConnections
        self.userAgent = userAgent
        self.trace = trace
        self.traceBodies = traceBodies
    }

    /// Whole milliseconds for a libcurl timeout option, at least 1 (0 would mean "never").
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(max(1, ms))
    }
}
