import Foundation

/// A fault injected for the next `count` requests matching `method` and `pathPrefix`
/// (nil = any). Posted as JSON to `/__emulator/faults`, e.g.
/// `{"action":"error","status":400,"errorCode":"UNABLE_TO_LOCK_ROW","pathPrefix":"/services/data/v59.0/sobjects/Task","count":2}`.
public struct EmulatorFault: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        /// Respond with `status` and a Salesforce error body; the request is not processed.
        case error
        /// Only wait `delayMs`, then process normally.
        case delay
        /// Close the connection without a response; the request is not processed.
        case dropBeforeProcessing = "drop-before-processing"
        /// Process the request (e.g. the record IS created), then close without a response.
        case dropAfterProcessing = "drop-after-processing"
        /// Process the request, then send a truncated, unparseable JSON body.
        case malformedJSON = "malformed-json"
        /// Process the request (the record IS created), then wait `delayMs` before answering normally.
        case delayAfterProcessing = "delay-after-processing"
        /// Answer `status` (e.g. 502/504) with a proxy's HTML page (or `body`) instead of Salesforce; not processed.
        case proxyError = "proxy-error"
        /// Process the request, then answer like a proxy whose upstream timed out: `status` and no Salesforce body.
        case proxyErrorAfterProcessing = "proxy-error-after-processing"
        /// Process the request, then answer with `Content-Encoding: gzip` on bytes that are not gzip.
        case brokenGzipAfterProcessing = "broken-gzip-after-processing"
        /// Process the request, then answer without an HTTP status line (what a client sees as HTTP/0.9).
        case http09AfterProcessing = "http09-after-processing"

        /// Whether the request reaches the org (is processed) under this fault.
        public var processes: Bool {
            switch self {
            case .error, .dropBeforeProcessing, .proxyError: false
            case .delay, .dropAfterProcessing, .malformedJSON, .delayAfterProcessing, .proxyErrorAfterProcessing,
                 .brokenGzipAfterProcessing, .http09AfterProcessing: true
            }
        }
    }

    public var action: Action
    public var method: String?
    public var pathPrefix: String?
    public var count: Int
    public var status: Int
    public var errorCode: String
    public var message: String
    public var delayMs: Int
    /// The proxy faults' body (nil: a proxy's HTML error page; "": no body).
    public var body: String?

    public init(action: Action, method: String? = nil, pathPrefix: String? = nil, count: Int = 1,
                status: Int = 503, errorCode: String? = nil, message: String? = nil, delayMs: Int = 0, body: String? = nil) {
        self.action = action
        self.method = method?.uppercased()
        self.pathPrefix = pathPrefix
        self.count = count
        self.status = status
        self.errorCode = errorCode ?? Self.defaultCode(status)
        self.message = message ?? Self.defaultMessage(self.errorCode)
        self.delayMs = delayMs
        self.body = body
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(action: try c.decodeIfPresent(Action.self, forKey: .action) ?? .error,
                  method: try c.decodeIfPresent(String.self, forKey: .method),
                  pathPrefix: try c.decodeIfPresent(String.self, forKey: .pathPrefix),
                  count: try c.decodeIfPresent(Int.self, forKey: .count) ?? 1,
                  status: try c.decodeIfPresent(Int.self, forKey: .status) ?? 503,
                  errorCode: try c.decodeIfPresent(String.self, forKey: .errorCode),
                  message: try c.decodeIfPresent(String.self, forKey: .message),
                  delayMs: try c.decodeIfPresent(Int.self, forKey: .delayMs) ?? 0,
                  body: try c.decodeIfPresent(String.self, forKey: .body))
    }

    func matches(method: String, path: String) -> Bool {
        (self.method == nil || self.method == method.uppercased()) && (pathPrefix.map { path.hasPrefix($0) } ?? true)
    }

    static func defaultCode(_ status: Int) -> String {
        switch status {
        case 401: return "INVALID_SESSION_ID"
        case 403: return "REQUEST_LIMIT_EXCEEDED"
        case 404: return "NOT_FOUND"
        case 500: return "UNKNOWN_EXCEPTION"
        case 503: return "SERVER_UNAVAILABLE"
        default: return "UNKNOWN_EXCEPTION"
        }
    }

    static func defaultMessage(_ code: String) -> String {
        switch code {
        case "INVALID_SESSION_ID": return "Session expired or invalid"
        case "REQUEST_LIMIT_EXCEEDED": return "TotalRequests Limit exceeded."
        case "UNABLE_TO_LOCK_ROW": return "unable to obtain exclusive access to this record or 1 records"
        case "SERVER_UNAVAILABLE": return "Server unavailable, please try again later"
        case "NOT_FOUND": return "The requested resource does not exist"
        default: return "An unexpected error occurred. Please include this ErrorId if you contact support: 0000000-0 (emulated)"
        }
    }
}

/// One logged request (Authorization and bodies are never logged).
public struct EmulatorLogEntry: Codable, Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String
    /// HTTP status sent; 0 when the connection was dropped without a response.
    public var status: Int
    public var time: String
    public var durationMs: Int
    /// The injected fault's action, if one applied.
    public var fault: String?
}
