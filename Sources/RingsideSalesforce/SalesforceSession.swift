import Foundation

/// An access token and where to use it. `description` never shows the tokens.
public struct SalesforceSession: Hashable, Sendable, CustomStringConvertible {
    public var accessToken: String
    /// Base URL for REST calls, used verbatim (`https://acme.my.salesforce.com`).
    public var instanceURL: String
    /// Present when the flow issued one (device flow, web flows, refresh rotation).
    public var refreshToken: String?
    /// Identity URL `https://login…/id/<org>/<user>`.
    public var identityURL: String?
    public var issuedAt: Date?

    public init(accessToken: String, instanceURL: String, refreshToken: String? = nil, identityURL: String? = nil,
                issuedAt: Date? = nil) {
        self.accessToken = accessToken
        self.instanceURL = SalesforceSettings.trimmedBase(instanceURL)
        self.refreshToken = refreshToken
        self.identityURL = identityURL
        self.issuedAt = issuedAt
    }

    /// The user id at the end of the identity URL, when present.
    public var userId: String? {
        identityURL?.split(separator: "/").last.map(String.init)
    }

    public var description: String {
        "SalesforceSession(instance: \(instanceURL), accessToken: [REDACTED]\(refreshToken == nil ? "" : ", refreshToken: [REDACTED]"))"
    }

    /// Whether the bearer token may be sent to `instance`: https, or http only to this machine (the emulator).
    static func isSafeInstance(_ instance: String) -> Bool {
        guard let parts = URLComponents(string: instance), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased(),
              !host.isEmpty else { return false }
        if scheme == "https" { return true }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(bare)
    }

    /// Parses the token endpoint's success body (`access_token`, `instance_url`, optional
    /// `refresh_token`, `id`, `issued_at` as epoch milliseconds in a string).
    static func parse(_ value: JSONValue, fallbackInstance: String?, operation: String) throws(SalesforceError) -> SalesforceSession {
        guard let access = value["access_token"]?.stringValue, !access.isEmpty else {
            throw .malformedResponse(status: 200, operation: operation, reason: "the token response has no access_token", processed: false)
        }
        guard let instance = value["instance_url"]?.stringValue ?? fallbackInstance, !instance.isEmpty else {
            throw .malformedResponse(status: 200, operation: operation, reason: "the token response has no instance_url", processed: false)
        }
        guard Self.isSafeInstance(instance) else {
            throw .malformedResponse(status: 200, operation: operation,
                                     reason: "the token response's instance_url \(instance) is not https:// (the access token would travel in clear); "
                                         + "Ringside refused it. Check salesforce.login_url points at your real Salesforce login", processed: false)
        }
        let issued = (value["issued_at"]?.stringValue.flatMap(Double.init) ?? value["issued_at"]?.intValue.map(Double.init))
            .map { Date(timeIntervalSince1970: $0 / 1000) }
        return SalesforceSession(accessToken: access, instanceURL: instance, refreshToken: value["refresh_token"]?.stringValue,
                                 identityURL: value["id"]?.stringValue, issuedAt: issued)
    }
}

/// What `startDeviceFlow()` returns: show `userCode` and `verificationURL` to the person.
public struct DeviceAuthorization: Hashable, Sendable, CustomStringConvertible {
    /// Secret polling code (never shown).
    public var deviceCode: String
    /// The code the person types at the verification page.
    public var userCode: String
    public var verificationURL: String
    /// Minimum time between polls.
    public var interval: Duration
    /// How long the code stays valid.
    public var expiresIn: Duration

    public init(deviceCode: String, userCode: String, verificationURL: String, interval: Duration, expiresIn: Duration) {
        self.deviceCode = deviceCode
        self.userCode = userCode
        self.verificationURL = verificationURL
        self.interval = interval
        self.expiresIn = expiresIn
    }

    public var description: String {
        "Open \(verificationURL) and enter the code \(userCode)."
    }
}

/// The outcome of one device-flow poll.
public enum DevicePollResult: Hashable, Sendable {
    /// Not approved yet: poll again after the interval.
    case pending
    /// Polled too fast: add 5 seconds to the interval.
    case slowDown
    /// Approved: signed in.
    case authorized(SalesforceSession)
}
