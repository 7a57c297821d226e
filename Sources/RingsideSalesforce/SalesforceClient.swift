import Foundation
import RingsideCore
import RingsideCurl

/// The Salesforce REST client: implements the `CRM` port (lookup, New, search, user) and
/// writes call records (Tasks or a custom object), over any `HTTPClient` (libcurl in production).
///
/// Every request carries the current access token; a 401 `INVALID_SESSION_ID` triggers one
/// token refresh (shared by concurrent requests) and one retry. The latest
/// `Sforce-Limit-Info` usage is kept in `apiUsage`.
public final class SalesforceClient: CRM, Sendable {
    public let settings: SalesforceSettings
    public let auth: SalesforceAuth
    let http: any HTTPClient
    private let usage = LockedValue<APIUsage?>(nil)
    private let counter = LockedValue(0)
    /// The org's describe, read on first use (issue 15).
    let schemaCache = LockedValue<OrgSchema?>(nil)
    /// Where the describe is kept between runs (nil: memory only).
    let schemaStore: (any OrgSchemaStore)?

    /// - Throws: `.invalidSettings` when the settings cannot work.
    public init(settings: SalesforceSettings, http: any HTTPClient, auth: SalesforceAuth,
                schemaStore: (any OrgSchemaStore)? = nil) throws(SalesforceError) {
        let problems = settings.validate()
        guard problems.isEmpty else { throw .invalidSettings(problems) }
        self.settings = settings
        self.http = http
        self.auth = auth
        self.schemaStore = schemaStore
    }

    /// A client with its own `SalesforceAuth`.
    public convenience init(settings: SalesforceSettings, http: any HTTPClient,
                            tokenStore: any TokenStore = InMemoryTokenStore(),
                            schemaStore: (any OrgSchemaStore)? = nil) throws(SalesforceError) {
        try self.init(settings: settings, http: http,
                      auth: SalesforceAuth(settings: settings, http: http, tokenStore: tokenStore), schemaStore: schemaStore)
    }

    /// A client over libcurl configured from the settings (CA bundle, loopback escape hatch, timeouts).
    public static func live(settings: SalesforceSettings, tokenStore: any TokenStore, schemaStore: (any OrgSchemaStore)? = nil,
                            trace: (@Sendable (String) -> Void)? = nil) throws(SalesforceError) -> SalesforceClient {
        let configuration = CurlConfiguration(connectTimeout: settings.requestTimeouts.connect,
                                              totalTimeout: settings.requestTimeouts.total,
                                              caBundlePath: settings.caBundlePath,
                                              allowInsecureLoopback: settings.allowInsecureLoopback, trace: trace)
        let http: CurlHTTPClient
        do {
            http = try CurlHTTPClient(configuration: configuration)
        } catch {
            throw .transport(error, operation: "start libcurl")
        }
        return try SalesforceClient(settings: settings, http: http, tokenStore: tokenStore, schemaStore: schemaStore)
    }

    /// The org's API usage from the latest response's `Sforce-Limit-Info` header.
    public var apiUsage: APIUsage? { usage.value }

    /// REST requests sent so far (token requests excluded; a retry after refresh counts twice).
    public var requestsSent: Int { counter.value }

    // MARK: Transport

    /// `/services/data/vNN.N` + `path`.
    func dataPath(_ path: String) -> String {
        "/services/data/\(settings.versionPath)" + path
    }

    /// Sends a request to the instance (`path` starts with `/services/…`), handling auth,
    /// the single retry after a refresh, usage headers and errors.
    func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
              operation: String? = nil) async throws(SalesforceError) -> JSONValue {
        try await sendWithStatus(method, path, query: query, body: body, operation: operation).value
    }

    /// `send`, also returning the HTTP status of the (final) response.
    func sendWithStatus(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                        operation: String? = nil) async throws(SalesforceError) -> (value: JSONValue, status: Int) {
        let operation = operation ?? "\(method) \(Self.shortPath(path))"
        let response = try await sendForResponse(method, path, query: query, body: body, operation: operation)
        return (try ResponseDecoding.json(response, operation: operation, isWrite: method != .get && method != .head), response.status)
    }

    /// Sends a request (auth, the single retry after a refresh, usage headers) and returns the final response as it is.
    func sendForResponse(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                         operation: String) async throws(SalesforceError) -> HTTPResponse {
        var url = path
        if !query.isEmpty {
            url += "?" + query.map { SalesforceEscaping.urlQueryValue($0.0) + "=" + SalesforceEscaping.urlQueryValue($0.1) }
                .joined(separator: "&")
        }
        var session = try await auth.currentSession()
        var response = try await transmit(method, url, body: body, session: session, operation: operation)
        if ResponseDecoding.isInvalidSession(response) {
            session = try await auth.session(replacing: session.accessToken)
            response = try await transmit(method, url, body: body, session: session, operation: operation)
        }
        return response
    }

    private func transmit(_ method: HTTPMethod, _ pathAndQuery: String, body: JSONValue?, session: SalesforceSession,
                          operation: String) async throws(SalesforceError) -> HTTPResponse {
        var headers: HTTPHeaderFields = ["Authorization": "Bearer \(session.accessToken)", "Accept": "application/json"]
        var data = Data()
        if let body {
            headers.set("Content-Type", "application/json")
            data = body.serialized()
        }
        let request = HTTPRequest(method: method, url: session.instanceURL + pathAndQuery, headers: headers, body: data,
                                  timeouts: HTTPTimeouts(connect: settings.requestTimeouts.connect,
                                                         total: settings.requestTimeouts.total))
        counter.withValue { $0 += 1 }
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            throw .transport(error, operation: operation)
        }
        if let header = response.headers["Sforce-Limit-Info"], let parsed = APIUsage.parse(header: header) {
            usage.withValue { $0 = parsed }
        }
        return response
    }

    /// `/services/data/v62.0/sobjects/Task` → `/sobjects/Task` (for messages).
    static func shortPath(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.count >= 3, parts[0] == "services", parts[1] == "data" {
            return "/" + parts.dropFirst(3).joined(separator: "/")
        }
        return path
    }

    /// The instance URL of the current session (signing in if needed).
    func instanceURL() async throws(SalesforceError) -> String {
        try await auth.currentSession().instanceURL
    }
}

/// The client's lock box: the shared `RingsideCore.Locked` (a `Mutex`).
typealias LockedValue = Locked
