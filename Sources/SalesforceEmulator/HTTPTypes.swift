import Foundation

/// A request as the emulator core sees it (independent of FlyingFox).
struct EmuRequest: Sendable {
    var method: String
    /// Percent-decoded path segments, empty ones dropped (so trailing slashes don't matter).
    var segments: [String]
    var path: String
    var rawQuery: String
    var query: [String: String]
    var headers: [String: String]  // lowercased names
    var body: Data

    init(method: String, path: String, rawQuery: String, headers: [String: String], body: Data) {
        self.method = method.uppercased()
        self.path = path
        self.segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        self.rawQuery = rawQuery
        self.query = FormDecoding.decode(rawQuery)
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

struct EmuResponse: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: Data = Data()

    static func json(_ status: Int, _ value: EmulatorJSON) -> EmuResponse {
        EmuResponse(status: status, headers: ["Content-Type": "application/json;charset=UTF-8"], body: value.serialized())
    }

    static func noContent() -> EmuResponse { EmuResponse(status: 204) }
}

/// A Salesforce REST error: `[{"message","errorCode","fields"}]` with an HTTP status.
struct SFError: Error, Sendable {
    var status: Int
    var errorCode: String
    var message: String
    var fields: [String] = []

    var json: EmulatorJSON {
        ["message": .string(message), "errorCode": .string(errorCode), "fields": .array(fields.map { .string($0) })]
    }

    /// The per-record form used by sObject Collections (`statusCode` instead of `errorCode`).
    var collectionJSON: EmulatorJSON {
        ["statusCode": .string(errorCode), "message": .string(message), "fields": .array(fields.map { .string($0) })]
    }

    var response: EmuResponse { .json(status, [json]) }

    static let notFound = SFError(status: 404, errorCode: "NOT_FOUND", message: "The requested resource does not exist")
    static let invalidSession = SFError(status: 401, errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid")

    static func badRequest(_ code: String, _ message: String, fields: [String] = []) -> SFError {
        SFError(status: 400, errorCode: code, message: message, fields: fields)
    }

    static func methodNotAllowed(_ method: String, allowed: [String]) -> SFError {
        SFError(status: 405, errorCode: "METHOD_NOT_ALLOWED",
                message: "HTTP Method '\(method)' not allowed. Allowed are \(allowed.joined(separator: ","))")
    }
}

/// An OAuth endpoint error: `{"error","error_description"}`.
struct OAuthError: Error, Sendable {
    var status = 400
    var error: String
    var description: String

    var response: EmuResponse {
        .json(status, ["error": .string(error), "error_description": .string(description)])
    }
}

enum FormDecoding {
    /// `application/x-www-form-urlencoded` (also query strings): `+` is a space.
    static func decode(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = unescape(String(kv[0]))
            let value = kv.count > 1 ? unescape(String(kv[1])) : ""
            if out[key] == nil { out[key] = value }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
