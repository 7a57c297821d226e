import FlyingFox
import Foundation
import SalesforceEmulator

/// A FlyingFox server on `[::1]:<ephemeral>` with the routes the live tests need, plus a
/// record of which client ports (i.e. TCP connections) made requests.
final class LoopbackHTTPServer: @unchecked Sendable {
    let server: HTTPServer
    private let task: Task<Void, any Error>
    let baseURL: String
    let port: UInt16
    private let lock = NSLock()
    private var ports: Set<UInt16> = []
    private var requestCount = 0

    /// 1.8 KB of JSON, gzip-compressed with Python's `gzip.compress(data, mtime=0)`.
    static let gzipBody = Data(base64Encoded: "H4sIAAAAAAACA5XRLQ7CUBRE4a2Qqyt6Z/itRJBg2ABBEN5LDaRJK5vuHSQCxBk7x31zjPUxjGWK7jrHuUQXbev2a9HE5f6qn+M01rI6Poe+n2JpftaJaqHaqF6jeoPqLap3qN6j+kDqRJaJLBNZJrJMZJnIMpFlIstElokshSyFLIUshSyFLIUshSyFLIUshSyNLI0sjSyNLI0sjSyNLI0sjSz9z/K2vAH+F+u4PQcAAA==")!
    /// What `gzipBody` decompresses to.
    static let gzipPlain = "{\"records\":[" + (0..<40).map { String(format: "{\"Id\":\"003%012d\",\"Name\":\"Fred Bloggs\"}", $0) }.joined(separator: ",") + "]}"

    private init(server: HTTPServer, task: Task<Void, any Error>, port: UInt16) {
        self.server = server
        self.task = task
        self.port = port
        self.baseURL = "http://[::1]:\(port)"
    }

    /// Distinct client connections seen so far.
    var connectionCount: Int { lock.withLock { ports.count } }
    var requests: Int { lock.withLock { requestCount } }

    private func record(_ request: FlyingFox.HTTPRequest) {
        lock.withLock {
            requestCount += 1
            if case let .ip6(_, port)? = request.remoteAddress { ports.insert(port) }
            if case let .ip4(_, port)? = request.remoteAddress { ports.insert(port) }
        }
    }

    func resetConnections() {
        lock.withLock { ports.removeAll() }
    }

    static func start() async throws -> LoopbackHTTPServer {
        let server = HTTPServer(address: .loopback(port: 0), timeout: 30, logger: .disabled)
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case let .ip6(_, port)? = await server.listeningAddress else {
            task.cancel()
            throw CocoaError(.featureUnsupported)
        }
        let instance = LoopbackHTTPServer(server: server, task: task, port: port)
        await instance.installRoutes()
        return instance
    }

    func stop() {
        task.cancel()
        StoppedHTTPServers.retire(server)
    }

    private func installRoutes() async {
        // Echo: method, body and selected request headers back to the client.
        await server.appendRoute("/echo") { [self] request in
            record(request)
            let body = try await request.bodyData
            var headers: FlyingFox.HTTPHeaders = [
                .contentType: request.headers[.contentType] ?? "application/octet-stream",
                HTTPHeader("X-Method"): request.method.rawValue,
                HTTPHeader("X-Custom-Seen"): request.headers[HTTPHeader("X-Custom")] ?? "",
                HTTPHeader("X-User-Agent-Seen"): request.headers[HTTPHeader("User-Agent")] ?? "",
                HTTPHeader("X-Authorization-Seen"): request.headers[.authorization] ?? "",
                HTTPHeader("X-Query-Seen"): request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&"),
            ]
            headers.addValue("a=1; Path=/", for: .setCookie)
            headers.addValue("b=2; Path=/", for: .setCookie)
            return FlyingFox.HTTPResponse(statusCode: .ok, headers: headers, body: body)
        }
        await server.appendRoute("GET /gzip") { [self] request in
            record(request)
            let acceptsGzip = (request.headers[HTTPHeader("Accept-Encoding")] ?? "").contains("gzip")
            guard acceptsGzip else {
                return FlyingFox.HTTPResponse(statusCode: .notAcceptable)
            }
            return FlyingFox.HTTPResponse(
                statusCode: .ok,
                headers: [.contentType: "application/json", .contentEncoding: "gzip"],
                body: Self.gzipBody
            )
        }
        await server.appendRoute("GET /status/418") { [self] request in
            record(request)
            return FlyingFox.HTTPResponse(statusCode: HTTPStatusCode(418, phrase: "I'm a teapot"), body: Data("short and stout".utf8))
        }
        await server.appendRoute("/slow") { [self] request in
            record(request)
            _ = try await request.bodyData
            try await Task.sleep(for: .seconds(3))
            return FlyingFox.HTTPResponse(statusCode: .ok, body: Data("finally".utf8))
        }
        // OAuth-like: secrets in the response body and a cookie, nothing echoed back.
        await server.appendRoute("POST /oauth") { [self] request in
            record(request)
            _ = try await request.bodyData
            var headers: FlyingFox.HTTPHeaders = [.contentType: "application/json"]
            headers.addValue("sid=SECRET-SET-COOKIE; Path=/; Secure", for: .setCookie)
            let body = #"{"access_token":"SECRET-ISSUED","instance_url":"https://na1.salesforce.com","token_type":"Bearer"}"#
            return FlyingFox.HTTPResponse(statusCode: .ok, headers: headers, body: Data(body.utf8))
        }
        // Empty body: FlyingFox then sends the response in one write(). With a body it writes
        // headers and body separately, and Nagle + delayed ACK add ~40 ms per kept-alive request.
        await server.appendRoute("GET /empty") { [self] request in
            record(request)
            return FlyingFox.HTTPResponse(statusCode: .noContent)
        }
        await server.appendRoute("GET /ping") { [self] request in
            record(request)
            return FlyingFox.HTTPResponse(statusCode: .ok, body: Data("pong".utf8))
        }
    }
}
