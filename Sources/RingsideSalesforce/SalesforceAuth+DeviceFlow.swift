import Foundation

/// The OAuth 2.0 device flow as Salesforce implements it: `response_type=device_code`, then
/// polls with `grant_type=device` and `code` (not RFC 8628's names).
extension SalesforceAuth {
    /// Asks for a device code. Show the result's `userCode` and `verificationURL`, then call
    /// `pollDeviceFlow(_:)`.
    public func startDeviceFlow() async throws(SalesforceError) -> DeviceAuthorization {
        let value = try await postToken([("response_type", "device_code"), ("client_id", settings.clientId),
                                         ("scope", settings.deviceFlowScope)], grant: "device")
        guard let device = value["device_code"]?.stringValue, let user = value["user_code"]?.stringValue,
              let uri = value["verification_uri"]?.stringValue ?? value["verification_url"]?.stringValue else {
            throw .malformedResponse(status: 200, operation: "login (device)",
                                     reason: "the device-code response lacks device_code, user_code or verification_uri",
                                     processed: false)
        }
        let interval = Self.seconds(value["interval"]) ?? .seconds(5)
        let expires = Self.seconds(value["expires_in"]) ?? .seconds(600)
        return DeviceAuthorization(deviceCode: device, userCode: user, verificationURL: uri,
                                   interval: interval > .zero ? interval : .seconds(5), expiresIn: expires)
    }

    /// Polls once. `authorization_pending` → `.pending`, `slow_down` → `.slowDown`; on approval the
    /// session is kept and its refresh token saved to the token store.
    /// - Throws: `.deviceFlowExpired` (`expired_token`), `.deviceFlowDenied` (`access_denied`), other errors.
    public func pollDeviceFlowOnce(_ authorization: DeviceAuthorization) async throws(SalesforceError) -> DevicePollResult {
        let value: JSONValue
        do {
            value = try await postToken([("grant_type", "device"), ("client_id", settings.clientId),
                                         ("code", authorization.deviceCode)], grant: "device")
        } catch {
            switch error.errorCode {
            case "authorization_pending": return .pending
            case "slow_down": return .slowDown
            case "expired_token": throw .deviceFlowExpired
            case "access_denied": throw .deviceFlowDenied
            default: throw error
            }
        }
        let new = try SalesforceSession.parse(value, fallbackInstance: settings.instanceURL, operation: "login (device)")
        if let refresh = new.refreshToken { try tokenStore.saveRefreshToken(refresh) }
        use(new)
        return .authorized(new)
    }

    /// Polls until the person approves, waiting the interval between polls and adding 5 s
    /// on every `slow_down`. Gives up with `.deviceFlowExpired` once the code's lifetime has passed.
    /// `progress` is told about every poll result (for a spinner).
    public func pollDeviceFlow(_ authorization: DeviceAuthorization,
                               progress: (@Sendable (DevicePollResult) -> Void)? = nil) async throws(SalesforceError) -> SalesforceSession {
        var interval = authorization.interval
        var waited = Duration.zero
        while true {
            if waited >= authorization.expiresIn { throw .deviceFlowExpired }
            do {
                try await sleep(interval)
            } catch {
                throw .transport(.cancelled, operation: "login (device)")
            }
            waited += interval
            let result = try await pollDeviceFlowOnce(authorization)
            progress?(result)
            switch result {
            case .pending:
                continue
            case .slowDown:
                interval += .seconds(5)
            case .authorized(let session):
                return session
            }
        }
    }

    static func seconds(_ value: JSONValue?) -> Duration? {
        guard let value else { return nil }
        switch value {
        case .int(let i): return .seconds(i)
        case .double(let d): return .milliseconds(Int((d * 1000).rounded()))
        case .string(let s): return Double(s).map { .milliseconds(Int(($0 * 1000).rounded())) }
        case .null, .bool, .array, .object: return nil
        }
    }
}
