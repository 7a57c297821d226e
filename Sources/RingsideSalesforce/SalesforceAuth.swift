import Foundation
import RingsideCurl

/// Obtains and refreshes access tokens for the configured flow, and runs the device flow
/// for `ringside login`.
///
/// Concurrent callers share one login/refresh: while a token request is in flight, every
/// other caller awaits the same result. A refresh after a rejected token happens only when
/// the rejected token is still the current one (otherwise the newer token is returned).
public actor SalesforceAuth {
    public let settings: SalesforceSettings
    let http: any HTTPClient
    let tokenStore: any TokenStore
    let sleep: @Sendable (Duration) async throws -> Void

    private var session: SalesforceSession?
    private var inFlight: Task<Result<SalesforceSession, SalesforceError>, Never>?
    /// Token-endpoint requests made (logins and refreshes, not device-flow polls).
    public private(set) var tokenRequests = 0

    /// - Parameters:
    ///   - sleep: how to wait between device-flow polls (injected by tests).
    public init(settings: SalesforceSettings, http: any HTTPClient, tokenStore: any TokenStore = InMemoryTokenStore(),
                session: SalesforceSession? = nil,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.settings = settings
        self.http = http
        self.tokenStore = tokenStore
        self.session = session
        self.sleep = sleep
    }

    /// The current session, signing in first when there is none.
    public func currentSession() async throws(SalesforceError) -> SalesforceSession {
        if let session { return session }
        return try await shared()
    }

    /// A fresh session after `rejected` was refused (401 `INVALID_SESSION_ID`). When another
    /// caller already replaced that token, returns the replacement without a new request.
    public func session(replacing rejected: String) async throws(SalesforceError) -> SalesforceSession {
        if let session, session.accessToken != rejected { return session }
        session = nil
        return try await shared()
    }

    /// Signs in now with the configured flow, replacing any current session.
    @discardableResult
    public func login() async throws(SalesforceError) -> SalesforceSession {
        session = nil
        return try await shared()
    }

    /// Uses a session obtained elsewhere.
    public func use(_ session: SalesforceSession) {
        self.session = session
    }

    /// Forgets the session and the saved refresh token.
    public func logout() throws(SalesforceError) {
        session = nil
        try tokenStore.clear()
    }

    private func shared() async throws(SalesforceError) -> SalesforceSession {
        let task: Task<Result<SalesforceSession, SalesforceError>, Never>
        if let inFlight {
            task = inFlight
        } else {
            task = Task { await self.acquire() }
            inFlight = task
        }
        let result = await task.value
        if inFlight == task { inFlight = nil }
        return try result.get()
    }

    private func acquire() async -> Result<SalesforceSession, SalesforceError> {
        do throws(SalesforceError) {
            let new = try await requestToken()
            session = new
            return .success(new)
        } catch {
            return .failure(error)
        }
    }

    private func requestToken() async throws(SalesforceError) -> SalesforceSession {
        var form: [(String, String)]
        let grant: String
        switch settings.authKind {
        case .clientCredentials:
            grant = "client_credentials"
            form = [("grant_type", grant), ("client_id", settings.clientId), ("client_secret", settings.clientSecret ?? "")]
        case .password:
            grant = "password"
            form = [("grant_type", grant), ("client_id", settings.clientId), ("client_secret", settings.clientSecret ?? ""),
                    ("username", settings.username ?? ""),
                    ("password", (settings.password ?? "") + (settings.securityToken ?? ""))]
        case .refreshToken, .deviceFlow:
            grant = "refresh_token"
            guard let refresh = try tokenStore.loadRefreshToken() ?? settings.refreshToken, !refresh.isEmpty else {
                throw .notLoggedIn(reason: settings.authKind == .deviceFlow
                    ? "no saved login (refresh token) yet"
                    : "no refresh token is configured or saved")
            }
            form = [("grant_type", grant), ("refresh_token", refresh), ("client_id", settings.clientId)]
            if let secret = settings.clientSecret, !secret.isEmpty { form.append(("client_secret", secret)) }
        }
        tokenRequests += 1
        let value = try await postToken(form, grant: grant)
        let new = try SalesforceSession.parse(value, fallbackInstance: settings.instanceURL, operation: "login (\(grant))")
        if let rotated = new.refreshToken, settings.authKind == .refreshToken || settings.authKind == .deviceFlow {
            try tokenStore.saveRefreshToken(rotated)
        }
        return new
    }

    /// POSTs a form to `/services/oauth2/token`; OAuth errors become `.oauth` with `grant` named.
    func postToken(_ form: [(String, String)], grant: String) async throws(SalesforceError) -> JSONValue {
        let operation = "login (\(grant))"
        let request = HTTPRequest(
            method: .post, url: settings.loginBase + "/services/oauth2/token",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Data(SalesforceEscaping.formBody(form).utf8),
            timeouts: HTTPTimeouts(connect: settings.requestTimeouts.connect, total: settings.requestTimeouts.total))
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            throw .transport(error, operation: operation)
        }
        guard response.isSuccess else {
            if let value = JSONValue.parse(response.body), let error = value["error"]?.stringValue {
                throw .oauth(status: response.status, error: error,
                             description: value["error_description"]?.stringValue ?? "", grant: grant)
            }
            throw ResponseDecoding.error(for: response, operation: operation)
        }
        guard let value = JSONValue.parse(response.body) else {
            throw .malformedResponse(status: response.status, operation: operation,
                                     reason: "the token response is not valid JSON", processed: false)
        }
        return value
    }
}
