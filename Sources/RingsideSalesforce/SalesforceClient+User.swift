import RingsideCore

/// The signed-in user: id, name and time zone (`TimeZoneSidKey`).
extension SalesforceClient {
    public func currentUser() async throws -> AgentUser {
        try await currentUserTyped()
    }

    /// `GET /services/oauth2/userinfo`, then the User's `TimeZoneSidKey` (falling back to
    /// userinfo's `zoneinfo` when the User record cannot be read).
    public func currentUserTyped() async throws(SalesforceError) -> AgentUser {
        let info = try await send(.get, "/services/oauth2/userinfo", operation: "user info")
        guard let id = info["user_id"]?.stringValue else {
            throw .malformedResponse(status: 200, operation: "user info", reason: "no user_id in userinfo", processed: false)
        }
        var name = info["name"]?.stringValue ?? info["preferred_username"]?.stringValue ?? id
        var zone = info["zoneinfo"]?.stringValue
        do {
            let user = try await send(.get, dataPath("/sobjects/User/\(id)"), query: [("fields", "Id,Name,TimeZoneSidKey")],
                                      operation: "GET User")
            if let key = user["TimeZoneSidKey"]?.stringValue { zone = key }
            if let n = user["Name"]?.stringValue { name = n }
        } catch {
            guard !error.isRetryable, !error.isAuthenticationFailure, zone != nil else { throw error }
        }
        return AgentUser(id: id, name: name, timeZone: zone ?? "GMT")
    }
}
