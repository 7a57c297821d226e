import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import SalesforceEmulator

/// Seed used by the HTTP tests: the shipped example seed with a fast device-flow interval.
func testSeed() throws -> EmulatorSeed {
    var seed = try EmulatorSeed.load(contentsOf: repoRoot.appendingPathComponent("Resources/emulator-seed.json"))
    seed.deviceFlowInterval = 5
    return seed
}

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let ann = "003Dg0000000001IAA"
let acme = "001Dg0000000001IAA"
let openLead = "00QDg0000000001MAA"

struct HTTPResult: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var json: EmulatorJSON? { try? EmulatorJSON.parse(body) }
    /// First error's errorCode of a Salesforce error array.
    var errorCode: String? { json?.arrayValue?.first?["errorCode"]?.stringValue }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

enum HTTPFailure: Error { case noResponse(any Error) }

/// A small loopback client for the emulator.
struct Client: Sendable {
    let base: URL
    var token: String?

    func send(_ method: String, _ path: String, json: EmulatorJSON? = nil, form: [String: String]? = nil,
              headers: [String: String] = [:], auth: Bool = true) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if auth, let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = json.serialized()
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let form {
            request.httpBody = Data(form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&").utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { cont in
            session.dataTask(with: request) { data, response, error in
                if let error { cont.resume(throwing: HTTPFailure.noResponse(error)); return }
                let http = response as! HTTPURLResponse
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
                cont.resume(returning: HTTPResult(status: http.statusCode, headers: headers, body: data ?? Data()))
            }.resume()
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await send("GET", path, headers: headers)
    }

    func query(_ soql: String, all: Bool = false, headers: [String: String] = [:]) async throws -> HTTPResult {
        let q = soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try await get("/services/data/v59.0/\(all ? "queryAll" : "query")/?q=\(q)", headers: headers)
    }

    func search(_ sosl: String) async throws -> HTTPResult {
        try await get("/services/data/v59.0/search/?q=\(sosl.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
    }

    func create(_ type: String, _ fields: EmulatorJSON) async throws -> HTTPResult {
        try await send("POST", "/services/data/v59.0/sobjects/\(type)/", json: fields)
    }
}

/// Runs `body` against a fresh in-process emulator with a valid token.
func withEmulator(seed: EmulatorSeed? = nil, _ body: (SalesforceEmulator, Client) async throws -> Void) async throws {
    let emu = try await SalesforceEmulator.start(seed: seed ?? testSeed(), port: 0)
    let client = Client(base: emu.baseURL, token: await emu.issueAccessToken())
    do {
        try await body(emu, client)
    } catch {
        await emu.stop()
        throw error
    }
    await emu.stop()
}
