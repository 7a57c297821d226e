import Foundation
import RingsideCore
import RingsideCurl
import SalesforceEmulator
import Testing
@testable import RingsideSalesforce

/// Every auth flow through real libcurl against the emulator.
@Suite("Auth against the emulator (libcurl)", .serialized)
struct AuthIntegrationTests {
    @Test func passwordFlow() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            let session = try await client.auth.login()
            #expect(session.instanceURL == h.base)
            #expect(!session.accessToken.isEmpty)
            let user = try await client.currentUserTyped()
            #expect(user == AgentUser(id: "005Dg0000000001IAA", name: "Alex Agent", timeZone: "Europe/London"))
        }
    }

    @Test func clientCredentialsFlow() async throws {
        try await withEmulator { h in
            let client = try h.client(.clientCredentials)
            let result = try await client.lookupTyped(SF.number("07814 256404"))
            #expect(result.candidates.map(\.id) == [annId])
            #expect(await client.auth.tokenRequests == 1)
        }
    }

    @Test func refreshTokenFlowFromSettings() async throws {
        try await withEmulator { h in
            let client = try h.client(.refreshToken, refreshToken: EmulatorHarness.seededRefreshToken)
            let user = try await client.currentUserTyped()
            #expect(user.timeZone == "Europe/London")
        }
    }

    @Test func deviceFlowApprovedThroughTheEmulatorSavesA0600RefreshToken() async throws {
        try await withEmulator { h in
            let dir = NSTemporaryDirectory() + "ringside-sf-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let store = FileTokenStore(path: dir + "/salesforce-refresh-token")
            let client = try h.client(.deviceFlow, tokenStore: store)

            // Before login: the device-flow kind has no saved token and says what to do.
            let before = await expectFailure { () async throws(SalesforceError) in try await client.currentUserTyped() }
            #expect(before?.description.contains("ringside login") == true)

            let start = try await client.auth.startDeviceFlow()
            #expect(start.verificationURL == h.base + "/setup/connect")
            #expect(start.interval == .milliseconds(300))
            #expect(start.userCode.count == 8)
            let polls = LockedValue<[DevicePollResult]>([])
            let poller = Task { () async throws(SalesforceError) -> SalesforceSession in
                try await client.auth.pollDeviceFlow(start) { r in polls.withValue { $0.append(r) } }
            }
            // Approve once the emulator has answered a poll with "pending" (not after a fixed wait).
            let deadline = ContinuousClock.now + .seconds(15)
            while !polls.value.contains(.pending), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await h.emulator.approveDevice(userCode: start.userCode))
            let session = try await poller.value
            #expect(session.refreshToken != nil)
            #expect(polls.value.contains(.pending), "polled at least once before approval")
            #expect(!polls.value.contains(.slowDown), "the interval was honoured")
            #expect(store.permissions() == 0o600)
            #expect(try store.loadRefreshToken() == session.refreshToken)

            // A new process: the saved refresh token signs in without a person.
            let later = try h.client(.deviceFlow, tokenStore: store)
            #expect(try await later.currentUserTyped().name == "Alex Agent")
            #expect(await later.auth.tokenRequests == 1)
        }
    }

    @Test func invalidGrantIsTypedAndSaysWhatToFix() async throws {
        try await withEmulator { h in
            var settings = h.settings(.password)
            settings.securityToken = "OLDTOKEN"
            let client = try SalesforceClient(settings: settings, http: EmulatorHarness.curl())
            let error = await expectFailure { () async throws(SalesforceError) in try await client.auth.login() }
            #expect(error?.errorCode == "invalid_grant")
            #expect(error?.isAuthenticationFailure == true)
            #expect(error?.isPermanent == true)
            #expect(error?.description.contains("security token") == true)
            #expect(error?.description.contains(SF.password) == false)

            let revoked = try h.client(.refreshToken, refreshToken: "5Aep-revoked")
            let refreshError = await expectFailure { () async throws(SalesforceError) in try await revoked.lookupTyped(SF.number("07814256404")) }
            #expect(refreshError?.errorCode == "invalid_grant")
            #expect(refreshError?.description.contains("ringside login") == true)
            #expect(refreshError?.description.contains("5Aep-revoked") == false)

            var badSecret = h.settings(.clientCredentials)
            badSecret.clientSecret = "wrong-secret-value"
            let cc = try SalesforceClient(settings: badSecret, http: EmulatorHarness.curl())
            let ccError = await expectFailure { () async throws(SalesforceError) in try await cc.auth.login() }
            #expect(ccError?.errorCode == "invalid_client")
            #expect(ccError?.description.contains("wrong-secret-value") == false)
        }
    }

    @Test func expiredTokenIsRefreshedAndTheRequestRetriedOnce() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.lookupTyped(SF.number("07814256404"))
            await h.emulator.expireTokens()
            await h.emulator.clearRequestLog()
            let result = try await client.lookupTyped(SF.number("07814256404"))
            #expect(result.candidates.map(\.id) == [annId])
            let log = await h.emulator.requestLog
            #expect(log.map(\.status) == [401, 200, 200], "search 401 → token 200 → search 200")
            #expect(log[1].path == "/services/oauth2/token")
            #expect(await client.auth.tokenRequests == 2)
        }
    }

    /// Issue 15: userinfo answers an expired token with 403 `Bad_OAuth_Token`, not 401: that also refreshes.
    @Test func userinfoBadOAuthTokenIsRefreshedAndNeverCalledAProxy() async throws {
        try await withEmulator { h in
            let client = try h.client(.refreshToken, refreshToken: EmulatorHarness.seededRefreshToken)
            let first = try await client.currentUserTyped()
            await h.emulator.expireTokens()
            await h.emulator.clearRequestLog()
            let again = try await client.currentUserTyped()
            #expect(again == first)
            #expect(again.timeZone == "Europe/London")
            let log = await h.emulator.requestLog
            #expect(log.first?.path == "/services/oauth2/userinfo" && log.first?.status == 403)
            #expect(log.dropFirst().first?.path == "/services/oauth2/token")
            #expect(log.filter { $0.path == "/services/oauth2/userinfo" }.map(\.status) == [403, 200])
            #expect(await client.auth.tokenRequests == 2)
            // When the refresh token is revoked too, the error says sign in again, not "proxy or captive portal".
            await h.emulator.expireTokens()
            let revoked = try h.client(.refreshToken, refreshToken: "5Aep861-not-a-real-token")
            let error = await expectFailure { () async throws(SalesforceError) in _ = try await revoked.currentUserTyped() }
            #expect(error?.isAuthenticationFailure == true)
            #expect(error.map { $0.description + $0.fix }?.contains("proxy") == false)
            #expect(error.map { $0.description + $0.fix }?.contains("login") == true)
        }
    }

    /// A 403 `Bad_OAuth_Token` that persists after the refresh is an authentication failure with a sign-in fix.
    @Test func persistentBadOAuthTokenSaysSignIn() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            await h.emulator.inject(EmulatorFault(action: .error, pathPrefix: "/services/oauth2/userinfo", count: 2, status: 403,
                                                  errorCode: "Bad_OAuth_Token", message: "Bad_OAuth_Token"))
            let error = await expectFailure { () async throws(SalesforceError) in _ = try await client.currentUserTyped() }
            #expect(error?.isAuthenticationFailure == true)
            #expect(error?.fix.contains("proxy") == false)
        }
    }

    @Test func concurrentRequestsAfterExpiryShareOneRefresh() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.lookupTyped(SF.number("07814256404"))
            await h.emulator.expireTokens()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await client.lookupTyped(SF.number("07814256404")).candidates.count } }
                for try await count in group { #expect(count == 1) }
            }
            #expect(await client.auth.tokenRequests == 2)
        }
    }

    @Test func persistentInvalidSessionIsRetriedOnlyOnce() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            _ = try await client.auth.login()
            await h.emulator.clearRequestLog()
            await h.emulator.inject(EmulatorFault(action: .error, pathPrefix: "/services/data/", count: 2, status: 401))
            let error = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
            #expect(error?.errorCode == "INVALID_SESSION_ID")
            #expect(await h.dataRequests().count == 2)
        }
    }

    @Test func secretsStayOutOfTheCurlTrace() async throws {
        try await withEmulator { h in
            let trace = TraceLines()
            let http = try EmulatorHarness.curl(trace: trace.sink, traceBodies: true)
            let store = InMemoryTokenStore()
            let client = try h.client(.password, tokenStore: store, http: http)
            let session = try await client.auth.login()
            _ = try await client.lookupTyped(SF.number("07814256404"))
            _ = try await client.createTask(SF.callRecord("trace-1"))
            var wrong = h.settings(.password)
            wrong.password = "another-Secret-pw"
            let failing = try SalesforceClient(settings: wrong, http: http)
            let error = await expectFailure { () async throws(SalesforceError) in try await failing.auth.login() }

            let text = trace.text
            #expect(text.contains("/services/oauth2/token"), "the trace did record the login")
            #expect(text.contains("grant_type=password"))
            for secret in [SF.password, SF.clientSecret, SF.securityToken, session.accessToken, "another-Secret-pw"] {
                #expect(!text.contains(secret), "trace leaks a secret")
                #expect(error?.description.contains(secret) == false)
            }
        }
    }

    @Test func apiVersion51Works() async throws {
        try await withEmulator { h in
            let client = try h.client(.password, version: "51.0")
            _ = try await client.orgSchema()
            await h.emulator.clearRequestLog()
            let result = try await client.lookupTyped(SF.number("+44 7814 256404"))
            #expect(result.candidates.map(\.id) == [annId])
            let id = try await client.createTask(SF.callRecord("v51-call", who: EntityRef(type: .contact, id: annId, name: "Ann Lee")))
            #expect(try await client.findTask(callObject: "v51-call") == id)
            #expect(try await client.availableVersions().contains("51.0"))
            #expect(await h.dataRequests().filter { $0.path.contains("/v51.0/") }.count == 3)
        }
    }

    @Test func unsupportedAPIVersionIsAPermanentError() async throws {
        try await withEmulator(apiVersions: ["51.0", "62.0"]) { h in
            let client = try h.client(.password, version: "v58.0")
            let error = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
            #expect(error?.status == 404)
            #expect(error?.isPermanent == true)
        }
    }
}
