import Foundation

/// Round-trip latency figures from `CurlHTTPClient.benchmarkLoopback(url:)`.
public struct LoopbackBenchmark: Sendable, CustomStringConvertible {
    /// Latency percentiles in milliseconds for one connection mode.
    public struct Figures: Sendable {
        public var requests: Int
        public var p50: Double
        public var p99: Double
        public var connectionsOpened: Int
    }

    public var keepAlive: Figures
    public var freshConnections: Figures

    public var description: String {
        func line(_ name: String, _ f: Figures) -> String {
            String(format: "%@: %d requests, p50 %.3f ms, p99 %.3f ms, %d connection(s) opened",
                   name, f.requests, f.p50, f.p99, f.connectionsOpened)
        }
        return line("keep-alive", keepAlive) + "\n" + line("no keep-alive", freshConnections)
    }
}

extension CurlHTTPClient {
    /// Measures sequential GET round trips to `url` (meant for a loopback server), once with
    /// connection reuse and once with a fresh connection per request. Used by
    /// `ringside bench` and the test suite; prints nothing itself.
    public static func benchmarkLoopback(url: String, requests: Int = 500) async throws(HTTPError) -> LoopbackBenchmark {
        let target = try URLTarget(url, allowedSchemes: ["http", "https"])
        guard target.isLoopback else { throw .invalidURL("benchmarkLoopback needs a loopback URL, got \(Redactor.url(url))") }
        let keepAlive = try await measure(url: url, requests: requests, reuse: true)
        let fresh = try await measure(url: url, requests: requests, reuse: false)
        return LoopbackBenchmark(keepAlive: keepAlive, freshConnections: fresh)
    }

    private static func measure(url: String, requests: Int, reuse: Bool) async throws(HTTPError) -> LoopbackBenchmark.Figures {
        let client = try CurlHTTPClient(configuration: CurlConfiguration(reuseConnections: reuse))
        var samples: [Double] = []
        samples.reserveCapacity(requests)
        var opened = 0
        _ = try await client.send(HTTPRequest(url: url)) // warm-up: DNS, first connect
        for _ in 0..<requests {
            let start = ContinuousClock.now
            let response = try await client.send(HTTPRequest(url: url))
            let elapsed = start.duration(to: .now)
            let (seconds, attoseconds) = elapsed.components
            samples.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
            opened += response.timing.connectionsOpened
        }
        samples.sort()
        func percentile(_ p: Double) -> Double {
            guard !samples.isEmpty else { return 0 }
            let index = min(samples.count - 1, Int((p * Double(samples.count)).rounded(.up)) - 1)
            return samples[max(0, index)]
        }
        return .init(requests: requests, p50: percentile(0.50), p99: percentile(0.99), connectionsOpened: opened)
    }
}
