import CCurl
import Foundation

/// The live `HTTPClient`: libcurl over a shared connection cache, driven by one
/// dedicated thread (see `CurlLoop` for why), bridged to async/await.
///
/// Create one per process (or per configuration) and keep it: connections are reused
/// between requests. Cancelling the task that awaits `send` aborts the transfer.
public final class CurlHTTPClient: HTTPClient, @unchecked Sendable {
    public let configuration: CurlConfiguration
    let loop: CurlLoop

    /// Initialises libcurl (once per process) and starts the transfer thread.
    public init(configuration: CurlConfiguration = CurlConfiguration()) throws(HTTPError) {
        self.configuration = configuration
        self.loop = try CurlLoop(maxConnections: configuration.maxConnections)
    }

    deinit {
        loop.shutdown()
    }

    /// Version of the linked libcurl, for `ringside doctor`.
    public static var libcurlVersion: String { CurlGlobal.version }

    // MARK: HTTP

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let started = ContinuousClock.now
        do {
            let response = try await perform(request)
            traceResponse(request, response, elapsed: started.duration(to: .now))
            return response
        } catch {
            traceFailure(request.method.rawValue, request.url, error, elapsed: started.duration(to: .now))
            throw error
        }
    }

    private func perform(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let target = try URLTarget(request.url, allowedSchemes: ["http", "https"])
        try checkInsecurePolicy(target)
        guard !Task.isCancelled else { throw .cancelled }
        let transfer = try prepare(target: target, isMail: false) { (transfer: CurlTransfer) throws(HTTPError) in
            try configureHTTP(transfer, request)
            // libcurl silently re-sends a request when a reused connection turns out dead before any
            // reply — even if the server processed it. For requests that create things (POST, PATCH)
            // that would duplicate records, so they always get a fresh connection: a failure is then
            // reported (as possibly processed) instead of being retried behind our back.
            if !request.method.isIdempotent {
                try transfer.easy.set(CURLOPT_FRESH_CONNECT, true)
            }
        }
        traceRequest(request)
        let outcome = try await loop.perform(transfer).get()
        return HTTPResponse(
            status: outcome.status,
            headers: outcome.headers,
            body: outcome.body,
            effectiveURL: outcome.effectiveURL,
            timing: outcome.timing
        )
    }

    // MARK: Shared set-up

    func checkInsecurePolicy(_ target: URLTarget) throws(HTTPError) {
        if configuration.allowInsecureLoopback && !target.isLoopback {
            throw .insecureTransportNotAllowed(host: target.host)
        }
    }

    /// Takes a handle, applies the common options and `configure`; returns the handle to the
    /// pool if anything fails.
    func prepare(
        target: URLTarget,
        isMail: Bool,
        configure: (CurlTransfer) throws(HTTPError) -> Void
    ) throws(HTTPError) -> CurlTransfer {
        let easy = try loop.makeHandle()
        let transfer = CurlTransfer(easy: easy, host: target.host, isMail: isMail)
        do {
            try applyCommonOptions(easy, target: target)
            try transfer.installCallbacks()
            try configure(transfer)
        } catch {
            loop.discard(easy)
            throw error
        }
        return transfer
    }

    private func applyCommonOptions(_ easy: CurlEasy, target: URLTarget) throws(HTTPError) {
        try easy.set(CURLOPT_NOSIGNAL, true)
        try easy.set(CURLOPT_SSL_VERIFYPEER, !configuration.allowInsecureLoopback)
        try easy.set(CURLOPT_SSL_VERIFYHOST, configuration.allowInsecureLoopback ? 0 : 2)
        if let bundle = configuration.caBundlePath {
            try easy.set(CURLOPT_CAINFO, bundle)
        }
        try easy.set(CURLOPT_NOPROXY, Self.noProxyList(environment: ProcessInfo.processInfo.environment))
        try easy.set(CURLOPT_TCP_KEEPALIVE, true)
        try easy.set(CURLOPT_FORBID_REUSE, !configuration.reuseConnections)
        try easy.set(CURLOPT_FRESH_CONNECT, !configuration.reuseConnections)
    }

    func applyTimeouts(_ easy: CurlEasy, _ timeouts: HTTPTimeouts?) throws(HTTPError) {
        let connect = timeouts?.connect ?? configuration.connectTimeout
        let total = timeouts?.total ?? configuration.totalTimeout
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, CurlConfiguration.milliseconds(connect))
        try easy.set(CURLOPT_TIMEOUT_MS, CurlConfiguration.milliseconds(total))
    }

    /// `no_proxy` from the environment plus the loopback names; `*` stays `*`.
    static func noProxyList(environment: [String: String]) -> String {
        let fromEnvironment = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
        let trimmed = fromEnvironment.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return "*" }
        let loopback = "localhost,127.0.0.1,::1"
        return trimmed.isEmpty ? loopback : trimmed + "," + loopback
    }

    private func configureHTTP(_ transfer: CurlTransfer, _ request: HTTPRequest) throws(HTTPError) {
        let easy = transfer.easy
        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        try easy.set(CURLOPT_ACCEPT_ENCODING, "") // every encoding libcurl can decode (gzip, deflate, br, zstd)
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent)
        try easy.set(CURLOPT_FOLLOWLOCATION, false)
        try applyTimeouts(easy, request.timeouts)

        let method = request.method.rawValue
        if request.method == .head {
            try easy.set(CURLOPT_NOBODY, true)
        } else if !request.body.isEmpty || request.method == .post {
            // POST semantics (body from memory, copied by libcurl), with the verb overridden
            // for PUT/PATCH/DELETE-with-body.
            try easy.set(CURLOPT_POST, true)
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(request.body.count))
            if request.body.isEmpty {
                try easy.set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes before returning.
                let copied: Result<Void, HTTPError> = request.body.withUnsafeBytes { bytes in
                    do throws(HTTPError) {
                        try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
                try copied.get()
            }
            if request.method != .post {
                try easy.set(CURLOPT_CUSTOMREQUEST, method)
            }
        } else {
            try easy.set(CURLOPT_HTTPGET, true)
            if request.method != .get {
                try easy.set(CURLOPT_CUSTOMREQUEST, method)
            }
        }

        var lines: [String] = []
        for field in request.headers {
            try Self.validateHeader(field)
            // "Name;" sends an empty value; "Name:" would remove the header.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if !request.headers.contains("Expect") {
            lines.append("Expect:") // never wait for 100-continue
        }
        let list = try CurlStringList.make(lines)
        if let list { transfer.lists.append(list) }
        try easy.set(CURLOPT_HTTPHEADER, list: list)
    }

    static func validateHeader(_ field: HTTPHeaderFields.Field) throws(HTTPError) {
        // Check scalars, not Characters: "\r\n" is a single Character in Swift.
        let badName = field.name.isEmpty || field.name.unicodeScalars.contains { $0 == ":" || $0 == "\r" || $0 == "\n" || $0 == " " || $0 == "\0" }
        let badValue = field.value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
        if badName || badValue { throw .invalidHeader(name: field.name) }
    }

    // MARK: Trace

    private func traceRequest(_ request: HTTPRequest) {
        guard let trace = configuration.trace else { return }
        var lines = ["→ \(request.method.rawValue) \(Redactor.url(request.url))"]
        lines.append("→ User-Agent: \(configuration.userAgent)")
        for field in request.headers {
            lines.append("→ \(field.name): \(Redactor.headerValue(name: field.name, value: field.value))")
        }
        if configuration.traceBodies, !request.body.isEmpty {
            lines.append("→ body: " + Redactor.body(request.body, contentType: request.headers["Content-Type"]))
        }
        trace(lines.joined(separator: "\n"))
    }

    private func traceResponse(_ request: HTTPRequest, _ response: HTTPResponse, elapsed: Duration) {
        guard let trace = configuration.trace else { return }
        var lines = ["← \(response.status) \(request.method.rawValue) \(Redactor.url(request.url)) in \(Self.format(elapsed)) (\(response.body.count) bytes, \(response.timing.connectionsOpened) new connection(s))"]
        for field in response.headers {
            lines.append("← \(field.name): \(Redactor.headerValue(name: field.name, value: field.value))")
        }
        if configuration.traceBodies, !response.body.isEmpty {
            lines.append("← body: " + Redactor.body(response.body, contentType: response.headers["Content-Type"]))
        }
        trace(lines.joined(separator: "\n"))
    }

    func traceFailure(_ method: String, _ url: String, _ error: HTTPError, elapsed: Duration) {
        guard let trace = configuration.trace else { return }
        trace("✗ \(method) \(Redactor.url(url)) failed after \(Self.format(elapsed)): \(error.description)")
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(format: "%.1f ms", ms)
    }
}
