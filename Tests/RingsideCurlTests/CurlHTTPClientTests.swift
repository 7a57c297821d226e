#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import RingsideTestSupport
import Testing
@testable import RingsideCurl

/// Captures trace lines from the client's transfer thread.
final class TraceCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
    var sink: @Sendable (String) -> Void {
        { [self] line in lock.withLock { lines.append(line) } }
    }
}

private func expectError(_ expected: (HTTPError) -> Bool, _ body: () async throws(HTTPError) -> Void,
                         sourceLocation: SourceLocation = #_sourceLocation) async -> HTTPError? {
    do {
        try await body()
        Issue.record("expected an error, got success", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(expected(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
        return error
    }
}

/// Real libcurl against real loopback servers. Serialized: timing-sensitive tests share 2 cores.
@Suite("CurlHTTPClient over loopback", .serialized)
struct CurlHTTPClientTests {
    @Test func getPostPatchDeleteWithBodiesAndHeaders() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()

        let get = try await client.send(HTTPRequest(method: .get, url: server.baseURL + "/echo?q=FIND%20%7B0781%7D", headers: ["X-Custom": "one"]))
        #expect(get.status == 200)
        #expect(get.headers["x-method"] == "GET")
        #expect(get.headers["X-Custom-Seen"] == "one")
        #expect(get.headers["X-User-Agent-Seen"] == "Ringside/0.1")
        #expect(get.headers["X-Query-Seen"] == "q=FIND {0781}")
        #expect(get.headers.values(for: "set-cookie") == ["a=1; Path=/", "b=2; Path=/"])
        #expect(get.effectiveURL.hasPrefix(server.baseURL + "/echo"))
        #expect(get.timing.total > 0)

        for method in [HTTPMethod.post, .patch, .put, .delete] {
            let payload = Data(#"{"Subject":"Inbound Call","method":"\#(method.rawValue)"}"#.utf8)
            let response = try await client.send(HTTPRequest(
                method: method, url: server.baseURL + "/echo",
                headers: ["Content-Type": "application/json", "Authorization": "Bearer tok"],
                body: payload))
            #expect(response.status == 200)
            #expect(response.headers["X-Method"] == method.rawValue)
            #expect(response.body == payload)
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(response.headers["X-Authorization-Seen"] == "Bearer tok")
        }

        let bareDelete = try await client.send(HTTPRequest(method: .delete, url: server.baseURL + "/echo"))
        #expect(bareDelete.headers["X-Method"] == "DELETE")
        #expect(bareDelete.body.isEmpty)

        let emptyPost = try await client.send(HTTPRequest(method: .post, url: server.baseURL + "/echo"))
        #expect(emptyPost.headers["X-Method"] == "POST")
        #expect(emptyPost.body.isEmpty)
    }

    @Test func nonSuccessStatusIsAResponseNotAnError() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let response = try await client.send(HTTPRequest(url: server.baseURL + "/status/418"))
        #expect(response.status == 418)
        #expect(!response.isSuccess)
        #expect(response.text == "short and stout")
    }

    @Test func gzipResponseIsDecoded() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let response = try await client.send(HTTPRequest(url: server.baseURL + "/gzip"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(response.text == LoopbackHTTPServer.gzipPlain)
    }

    @Test func keepAliveReusesOneConnection() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        var opened = 0
        for _ in 0..<25 {
            let response = try await client.send(HTTPRequest(url: server.baseURL + "/ping"))
            #expect(response.text == "pong")
            opened += response.timing.connectionsOpened
        }
        #expect(opened == 1)
        #expect(server.connectionCount == 1)

        server.resetConnections()
        let fresh = try CurlHTTPClient(configuration: CurlConfiguration(reuseConnections: false))
        var freshOpened = 0
        for _ in 0..<10 {
            freshOpened += try await fresh.send(HTTPRequest(url: server.baseURL + "/ping")).timing.connectionsOpened
        }
        #expect(freshOpened == 10)
        #expect(server.connectionCount == 10)
    }

    @Test func totalTimeoutAfterSendingIsReportedAsSuch() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let started = ContinuousClock.now
        let error = await expectError({ $0 == .timedOut(phase: .transfer, afterSending: true) }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(method: .post, url: server.baseURL + "/slow",
                                                  headers: ["Content-Type": "application/json"],
                                                  body: Data(#"{"CallObject":"c-1"}"#.utf8),
                                                  timeouts: HTTPTimeouts(connect: .seconds(1), total: .milliseconds(500))))
        }
        #expect(error?.requestMayHaveBeenProcessed == true)
        #expect(started.duration(to: .now) < .seconds(2))

        // Also for a GET (no body): the request line and headers count as sent.
        let getError = await expectError({ $0 == .timedOut(phase: .transfer, afterSending: true) }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(url: server.baseURL + "/slow", timeouts: HTTPTimeouts(connect: .seconds(1), total: .milliseconds(300))))
        }
        #expect(getError?.requestMayHaveBeenProcessed == true)
    }

    @Test func connectionRefusedIsCouldNotConnect() async throws {
        let port = try RawTCPListener.closedPort()
        let client = try CurlHTTPClient()
        let error = await expectError({ $0 == .couldNotConnect(host: "127.0.0.1") }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.requestMayHaveBeenProcessed == false)
        #expect(error?.isTransient == true)
    }

    @Test func serverThatClosesWithoutReplyingMayHaveProcessedTheRequest() async throws {
        let listener = try RawTCPListener { fd in
            var reader = SocketReader(fd: fd)
            _ = reader.read(until: "\r\n\r\n") // take the whole request, then hang up
            close(fd)
        }
        defer { listener.stop() }
        let client = try CurlHTTPClient()
        let error = await expectError({ $0 == .connectionReset(afterSending: true) }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(listener.port)/services/data"))
        }
        #expect(error?.requestMayHaveBeenProcessed == true)
    }

    @Test func truncatedBodyIsConnectionResetAfterSending() async throws {
        let listener = try RawTCPListener { fd in
            var reader = SocketReader(fd: fd)
            _ = reader.read(until: "\r\n\r\n")
            writeAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":")
            close(fd)
        }
        defer { listener.stop() }
        let client = try CurlHTTPClient()
        let error = await expectError({ $0 == .connectionReset(afterSending: true) }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(listener.port)/"))
        }
        #expect(error?.requestMayHaveBeenProcessed == true)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let task = Task { () async -> Result<HTTPResponse, HTTPError> in
            do throws(HTTPError) {
                return .success(try await client.send(HTTPRequest(url: server.baseURL + "/slow")))
            } catch {
                return .failure(error)
            }
        }
        // Wait until the server has the request, then cancel.
        let deadline = ContinuousClock.now + .seconds(2)
        while server.requests == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.value
        let latency = cancelledAt.duration(to: .now)
        #expect(result == .failure(.cancelled))
        #expect(latency < .seconds(1), "cancellation took \(latency)")

        // The client is still usable afterwards.
        #expect(try await client.send(HTTPRequest(url: server.baseURL + "/ping")).status == 200)
    }

    @Test func alreadyCancelledTaskDoesNotSend() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let task = Task { () async -> HTTPError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(HTTPError) {
                _ = try await client.send(HTTPRequest(url: server.baseURL + "/ping"))
                return nil
            } catch {
                return error
            }
        }
        #expect(await task.value == .cancelled)
        #expect(server.requests == 0)
    }

    @Test func fiftyConcurrentRequestsAllSucceed() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        let results = await withTaskGroup(of: (Int, Result<HTTPResponse, HTTPError>).self) { group in
            for index in 0..<50 {
                group.addTask {
                    do throws(HTTPError) {
                        let response = try await client.send(HTTPRequest(
                            method: .post, url: server.baseURL + "/echo",
                            headers: ["Content-Type": "text/plain"], body: Data("request \(index)".utf8)))
                        return (index, .success(response))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var collected: [(Int, Result<HTTPResponse, HTTPError>)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == 50)
        for (index, result) in results {
            switch result {
            case .success(let response):
                #expect(response.status == 200)
                #expect(response.text == "request \(index)")
            case .failure(let error):
                Issue.record("request \(index) failed: \(error)")
            }
        }
    }

    @Test func insecureLoopbackIsOnlyAllowedForLoopbackHosts() async throws {
        let client = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true))
        for url in ["https://example.com/", "https://127.0.0.1@example.com/", "https://127.0.0.2/", "https://localhost.example.com/"] {
            _ = await expectError({ if case .insecureTransportNotAllowed = $0 { true } else { false } }) { () throws(HTTPError) in
                _ = try await client.send(HTTPRequest(url: url))
            }
        }
        // On a loopback host the setting is accepted and the request goes out.
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        #expect(try await client.send(HTTPRequest(url: server.baseURL + "/ping")).status == 200)
        // localhost is loopback too: the refused connection proves the policy let it through.
        let port = try RawTCPListener.closedPort()
        _ = await expectError({ if case .couldNotConnect = $0 { true } else { false } }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(port)/"))
        }
    }

    @Test func invalidRequestsFailBeforeSending() async throws {
        let client = try CurlHTTPClient()
        _ = await expectError({ if case .invalidURL = $0 { true } else { false } }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(url: "file:///etc/passwd"))
        }
        _ = await expectError({ if case .invalidURL = $0 { true } else { false } }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(url: "::not a url::"))
        }
        _ = await expectError({ $0 == .invalidHeader(name: "X-Evil") }) { () throws(HTTPError) in
            _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:1/", headers: ["X-Evil": "a\r\nHost: other"]))
        }
    }

    @Test func traceIsRedacted() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let capture = TraceCapture()
        let client = try CurlHTTPClient(configuration: CurlConfiguration(trace: capture.sink, traceBodies: true))
        let secretBody = #"{"access_token":"SECRET-ACCESS","client_id":"3MVG9-visible","password":"SECRET-PW"}"#
        let response = try await client.send(HTTPRequest(
            method: .post, url: server.baseURL + "/oauth?refresh_token=SECRET-REFRESH&limit=5",
            headers: ["Authorization": "Bearer SECRET-BEARER", "Cookie": "sid=SECRET-COOKIE", "Content-Type": "application/json"],
            body: Data(secretBody.utf8)))
        #expect(response.status == 200)
        #expect(response.text.contains("SECRET-ISSUED")) // the caller still gets the real body
        let trace = capture.text
        #expect(!trace.contains("SECRET"), "trace leaked a secret:\n\(trace)")
        #expect(trace.contains("→ POST \(server.baseURL)/oauth?refresh_token=[REDACTED]&limit=5"))
        #expect(trace.contains("→ Authorization: [REDACTED]"))
        #expect(trace.contains("→ Cookie: [REDACTED]"))
        #expect(trace.contains("← Set-Cookie: [REDACTED]"))
        #expect(trace.contains("← 200 POST"))
        #expect(trace.contains(#"← body: {"access_token":"[REDACTED]","instance_url""#))
        #expect(trace.contains("ms"))
        #expect(trace.contains(#""client_id":"3MVG9-visible""#))

        // Failures are traced too, without bodies unless asked.
        let quiet = TraceCapture()
        let quietClient = try CurlHTTPClient(configuration: CurlConfiguration(trace: quiet.sink))
        _ = try await quietClient.send(HTTPRequest(method: .post, url: server.baseURL + "/oauth", body: Data(secretBody.utf8)))
        #expect(!quiet.text.contains("body:"))
        let port = try RawTCPListener.closedPort()
        _ = try? await quietClient.send(HTTPRequest(url: "http://127.0.0.1:\(port)/?code=SECRET-CODE"))
        #expect(quiet.text.contains("✗ GET http://127.0.0.1:\(port)/?code=[REDACTED] failed"))
        #expect(!quiet.text.contains("SECRET"))
    }

    @Test func loopbackLatencyBenchmark() async throws {
        let server = try await LoopbackHTTPServer.start()
        defer { server.stop() }
        let result = try await CurlHTTPClient.benchmarkLoopback(url: server.baseURL + "/empty", requests: 500)
        print("Loopback round trip (libcurl \(CurlHTTPClient.libcurlVersion), FlyingFox server):\n\(result)")
        #expect(result.keepAlive.requests == 500)
        #expect(result.keepAlive.connectionsOpened == 0) // the warm-up request opened the only one
        #expect(result.freshConnections.connectionsOpened == 500)
    }
}
