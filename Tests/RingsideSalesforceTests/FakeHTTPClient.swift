import Foundation
import RingsideCurl
@testable import RingsideSalesforce

/// A scripted `HTTPClient`: each request is answered by the handler (or the next queued
/// response), and every request is recorded.
final class FakeHTTPClient: HTTPClient, @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest, Int) async throws(HTTPError) -> HTTPResponse

    private let lock = NSLock()
    private var queue: [Result<HTTPResponse, HTTPError>] = []
    private var recorded: [HTTPRequest] = []
    private let handler: Handler?

    init(handler: Handler? = nil) { self.handler = handler }

    /// Requests received so far, in order.
    var requests: [HTTPRequest] { lock.withLock { recorded } }

    /// Queues a JSON response.
    func enqueue(_ status: Int, _ json: String, headers: HTTPHeaderFields = [:]) {
        var h = headers
        h.set("Content-Type", "application/json;charset=UTF-8")
        lock.withLock { queue.append(.success(HTTPResponse(status: status, headers: h, body: Data(json.utf8), effectiveURL: ""))) }
    }

    func enqueue(error: HTTPError) {
        lock.withLock { queue.append(.failure(error)) }
    }

    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let index: Int = lock.withLock { recorded.append(request); return recorded.count - 1 }
        if let handler { return try await handler(request, index) }
        let next: Result<HTTPResponse, HTTPError>? = lock.withLock { queue.isEmpty ? nil : queue.removeFirst() }
        guard let next else {
            return HTTPResponse(status: 599, body: Data("no scripted response".utf8), effectiveURL: request.url)
        }
        return try next.get()
    }
}

extension HTTPRequest {
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Form fields of an urlencoded body.
    var form: [String: String] {
        var out: [String: String] = [:]
        for pair in bodyText.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if kv.count == 2 { out[kv[0]] = kv[1] }
        }
        return out
    }

    /// The decoded `q` query parameter.
    var queryQ: String? {
        guard let range = url.range(of: "?q=") ?? url.range(of: "&q=") else { return nil }
        let rest = url[range.upperBound...]
        let value = rest.split(separator: "&").first.map(String.init) ?? ""
        return value.removingPercentEncoding
    }

    var path: String {
        guard let u = URLComponents(string: url) else { return url }
        return u.path
    }
}

func response(_ status: Int, _ json: String, headers: HTTPHeaderFields = [:]) -> HTTPResponse {
    var h = headers
    h.set("Content-Type", "application/json")
    return HTTPResponse(status: status, headers: h, body: Data(json.utf8), effectiveURL: "")
}

let tokenJSON = #"{"access_token":"00DFAKE!tok1","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA","token_type":"Bearer","issued_at":"1700000000000"}"#
