import FlyingFox
import Foundation

/// A Salesforce REST emulator on 127.0.0.1, for tests and demos.
///
///     let emu = try await SalesforceEmulator.start(seed: seed, port: 0)
///     // … talk to emu.baseURL …
///     await emu.stop()
public final class SalesforceEmulator: Sendable {
    public static let defaultAPIVersions = (51...62).map { "\($0).0" }

    public let baseURL: URL
    public let port: UInt16
    let engine: EmulatorEngine
    private let server: HTTPServer
    private let task: Task<Void, any Error>

    private init(baseURL: URL, port: UInt16, engine: EmulatorEngine, server: HTTPServer, task: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.port = port
        self.engine = engine
        self.server = server
        self.task = task
    }

    /// Starts listening on 127.0.0.1:`port` (0 = a free port).
    public static func start(seed: EmulatorSeed = EmulatorSeed(), port: UInt16 = 0,
                             apiVersions: [String] = defaultAPIVersions) async throws -> SalesforceEmulator {
        let engine = try EmulatorEngine(seed: seed, versions: apiVersions)
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
        // TCP_NODELAY on every socket: without it each kept-alive request waits ~45 ms (see NoDelaySocketPool).
        let pool = NoDelaySocketPool(base: HTTPServer.defaultPool())
        let server = HTTPServer(config: .init(address: address, timeout: 300, pool: pool, logger: .disabled),
                                handler: EmulatorHTTPHandler(engine: engine))
        let task = Task { try await server.run() }
        try await server.waitUntilListening(timeout: 60)
        guard case .ip4(_, let actualPort) = await server.listeningAddress else {
            task.cancel()
            throw StartError(description: "emulator is not listening on IPv4")
        }
        let base = "http://127.0.0.1:\(actualPort)"
        await engine.setBaseURL(base)
        return SalesforceEmulator(baseURL: URL(string: base)!, port: actualPort, engine: engine, server: server, task: task)
    }

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public func stop() async {
        await server.stop(timeout: 1)
        task.cancel()
        StoppedHTTPServers.retire(server)
    }

    /// Runs until the server stops (for the command-line tool).
    public func wait() async {
        _ = try? await task.value
    }

    // MARK: Test API

    public var requestLog: [EmulatorLogEntry] {
        get async { await engine.requestLog() }
    }

    public func clearRequestLog() async { await engine.clearLog() }

    /// Live (not deleted) records of a type, as stored.
    public func records(of type: String) async -> [EmulatorRecord] {
        await engine.liveRecords(of: type)
    }

    public func inject(_ fault: EmulatorFault) async { await engine.addFault(fault) }

    /// Requests received and not yet answered (e.g. held by a delay fault).
    public var inFlight: Int {
        get async { await engine.inFlight }
    }

    /// Paths of the requests received since start (answered or not), in order.
    public var received: [String] {
        get async { await engine.received }
    }

    /// Org option: Task gets `Ringside_Call_Id__c` (Text(64), External ID, Unique).
    public func enableCallIdField() async { await engine.enableCallIdField() }

    /// Adds records without validation (bulk seeding). Returns their ids.
    @discardableResult
    public func addRecords(_ records: [EmulatorRecord], of type: String) async throws -> [String] {
        try await engine.addRecords(records, type: type)
    }

    public func expireTokens() async { await engine.expireTokens() }

    /// Issues a valid access token for the first seeded user.
    public func issueAccessToken() async -> String { await engine.issueToken() }

    @discardableResult
    public func approveDevice(userCode: String) async -> Bool { await engine.approveDevice(userCode: userCode) }

    public func reset() async throws { try await engine.reset(); await engine.clearLog() }

    /// Moves the emulator's clock forward (device-flow intervals, timestamps).
    public func advanceClock(by seconds: TimeInterval) async { await engine.advanceClock(by: seconds) }

    /// Sets the API requests used so far (to test REQUEST_LIMIT_EXCEEDED).
    public func setAPIUsage(_ used: Int) async { await engine.setApiUsage(used) }
}

/// Bridges FlyingFox to the engine and applies injected faults.
struct EmulatorHTTPHandler: HTTPHandler {
    let engine: EmulatorEngine

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = Date()
        var headers: [String: String] = [:]
        for (k, v) in request.headers { headers[k.rawValue] = v }
        let path = request.target.path()
        let req = EmuRequest(method: request.method.rawValue, path: path, rawQuery: request.target.query(),
                             headers: headers, body: try await request.bodyData)
        let isControl = path.hasPrefix("/__emulator")
        let fault = isControl ? nil : await engine.takeFault(method: req.method, path: path)
        if !isControl { await engine.beginRequest(path: path) }
        if let fault, fault.delayMs > 0, fault.action != .delayAfterProcessing {
            await Self.sleepUncancelled(milliseconds: fault.delayMs)
        }
        var response: EmuResponse
        var drop = false
        var version = HTTPVersion.http11
        switch fault?.action {
        case .none, .delay:
            response = await engine.handle(req)
        case .error:
            response = SFError(status: fault!.status, errorCode: fault!.errorCode, message: fault!.message).response
        case .dropBeforeProcessing:
            response = EmuResponse(status: 0)
            drop = true
        case .dropAfterProcessing:
            _ = await engine.handle(req)
            response = EmuResponse(status: 0)
            drop = true
        case .malformedJSON:
            response = await engine.handle(req)
            let text = String(decoding: response.body, as: UTF8.self)
            response.body = Data((text.isEmpty ? "{\"id\":" : String(text.prefix(max(1, text.count / 2)))).utf8)
            if response.headers["Content-Type"] == nil { response.headers["Content-Type"] = "application/json;charset=UTF-8" }
        case .delayAfterProcessing:
            response = await engine.handle(req)
            await Self.sleepUncancelled(milliseconds: fault!.delayMs)
        case .proxyError:
            response = Self.proxyPage(fault!)
        case .proxyErrorAfterProcessing:
            _ = await engine.handle(req)
            response = Self.proxyPage(fault!)
        case .brokenGzipAfterProcessing:
            response = await engine.handle(req)
            response.headers["Content-Encoding"] = "gzip"
            response.body = Data("this is not gzip: \(response.body.count) bytes were here".utf8)
        case .http09AfterProcessing:
            response = await engine.handle(req)
            // No "HTTP/1.1" in the status line: clients see a reply without a status line (HTTP/0.9).
            version = HTTPVersion("RINGSIDE-EMULATOR-NOT-HTTP")
        }
        if !isControl {
            await engine.record(EmulatorLogEntry(
                method: req.method, path: path, query: req.rawQuery.removingPercentEncoding ?? req.rawQuery,
                status: response.status, time: SalesforceDate.format(started),
                durationMs: Int(Date().timeIntervalSince(started) * 1000), fault: fault?.action.rawValue))
        }
        if !isControl { await engine.endRequest() }
        if drop { return HTTPResponse(webSocket: DroppingHandler()) }
        var out = HTTPHeaders()
        for (k, v) in response.headers { out[HTTPHeader(k)] = v }
        out[HTTPHeader("Date")] = Self.httpDate(Date())
        return HTTPResponse(version: version, statusCode: HTTPStatusCode(response.status, phrase: Self.phrase(response.status)),
                            headers: out, body: req.method == "HEAD" ? Data() : response.body)
    }

    /// Sleeps the whole time even if the client goes away: like Salesforce, a slow request is still processed
    /// (late) after the client disconnected or was killed.
    static func sleepUncancelled(milliseconds: Int) async {
        await Task.detached { try? await Task.sleep(nanoseconds: UInt64(max(0, milliseconds)) * 1_000_000) }.value
    }

    /// What a proxy or load balancer sends when it can't (or didn't wait to) relay Salesforce's answer.
    static func proxyPage(_ fault: EmulatorFault) -> EmuResponse {
        let body = fault.body ?? "<html><head><title>\(fault.status) \(phrase(fault.status))</title></head><body><h1>\(fault.status) \(phrase(fault.status))</h1><hr>proxy</body></html>"
        return EmuResponse(status: fault.status, headers: body.isEmpty ? [:] : ["Content-Type": "text/html"], body: Data(body.utf8))
    }

    static func httpDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 300: return "Multiple Choices"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 500: return "Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status"
        }
    }
}

/// Closes the connection without writing a byte: FlyingFox calls `makeFrames` before sending the
/// response head, and a thrown error makes it close the socket.
struct DroppingHandler: WSHandler {
    struct Dropped: Error {}
    func makeFrames(for client: AsyncThrowingStream<WSFrame, any Error>) async throws -> AsyncStream<WSFrame> {
        throw Dropped()
    }
}
