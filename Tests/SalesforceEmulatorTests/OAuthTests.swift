import Foundation
import Testing
@testable import SalesforceEmulator

@Suite struct OAuthTests {
    let good = ["grant_type": "password", "client_id": "3MVG9ringside-demo-client", "client_secret": "ringside-demo-secret",
                "username": "agent@ringside.example", "password": "demo-passwordDEMOTOKEN"]

    @Test func passwordGrantReturnsSalesforceTokenShape() async throws {
        try await withEmulator { emu, client in
            let r = try await client.send("POST", "/services/oauth2/token", form: good, auth: false)
            #expect(r.status == 200)
            let j = try #require(r.json)
            #expect(j["instance_url"]?.stringValue == emu.baseURL.absoluteString)
            #expect(j["token_type"]?.stringValue == "Bearer")
            #expect(j["id"]?.stringValue?.hasSuffix("/005Dg0000000001IAA") == true)
            #expect(j["issued_at"]?.stringValue.flatMap(Int64.init) != nil)
            #expect(j["signature"]?.stringValue?.isEmpty == false)
            #expect(j["refresh_token"]?.stringValue != nil)
            let token = try #require(j["access_token"]?.stringValue)
            var authed = client
            authed.token = token
            #expect(try await authed.get("/services/data/v59.0/limits/").status == 200)
        }
    }

    @Test(arguments: [
        ("password", "demo-password", "invalid_grant", "authentication failure"),
        ("client_id", "nope", "invalid_client_id", "client identifier invalid"),
        ("client_secret", "nope", "invalid_client", "invalid client credentials"),
        ("grant_type", "magic", "unsupported_grant_type", "grant type not supported"),
    ])
    func badCredentials(field: String, value: String, error: String, description: String) async throws {
        var form = good
        form[field] = value
        try await withEmulator { _, client in
            let r = try await client.send("POST", "/services/oauth2/token", form: form, auth: false)
            #expect(r.status == 400)
            #expect(r.json?["error"]?.stringValue == error)
            #expect(r.json?["error_description"]?.stringValue == description)
        }
    }

    @Test func clientCredentialsWithBasicAuthAndRefreshToken() async throws {
        try await withEmulator { _, client in
            let basic = Data("3MVG9ringside-demo-client:ringside-demo-secret".utf8).base64EncodedString()
            let cc = try await client.send("POST", "/services/oauth2/token", form: ["grant_type": "client_credentials"],
                                           headers: ["Authorization": "Basic \(basic)"], auth: false)
            #expect(cc.status == 200)
            #expect(cc.json?["refresh_token"] == nil)
            let rt = try await client.send("POST", "/services/oauth2/token", form: [
                "grant_type": "refresh_token", "client_id": "3MVG9ringside-demo-client",
                "refresh_token": "5Aep861ringside-demo-refresh-token"], auth: false)
            #expect(rt.status == 200)
            #expect(rt.json?["access_token"]?.stringValue != nil)
            let bad = try await client.send("POST", "/services/oauth2/token", form: [
                "grant_type": "refresh_token", "client_id": "3MVG9ringside-demo-client", "refresh_token": "nope"], auth: false)
            #expect(bad.status == 400)
            #expect(bad.json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test func deviceFlowPendingSlowDownApproval() async throws {
        try await withEmulator { emu, client in
            let start = try await client.send("POST", "/services/oauth2/token", form: [
                "response_type": "device_code", "client_id": "3MVG9ringside-demo-client", "scope": "api refresh_token"], auth: false)
            #expect(start.status == 200)
            let j = try #require(start.json)
            let device = try #require(j["device_code"]?.stringValue)
            let user = try #require(j["user_code"]?.stringValue)
            #expect(j["verification_uri"]?.stringValue?.hasSuffix("/setup/connect") == true)
            #expect(j["interval"]?.numberValue == 5)
            #expect(j["expires_in"] != nil)
            let poll = ["grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                        "client_id": "3MVG9ringside-demo-client", "device_code": device]
            let pending = try await client.send("POST", "/services/oauth2/token", form: poll, auth: false)
            #expect(pending.status == 400)
            #expect(pending.json?["error"]?.stringValue == "authorization_pending")
            let fast = try await client.send("POST", "/services/oauth2/token", form: poll, auth: false)
            #expect(fast.json?["error"]?.stringValue == "slow_down")
            let approve = try await client.send("POST", "/__emulator/device/approve", json: ["user_code": .string(user)])
            #expect(approve.status == 204)
            await emu.advanceClock(by: 6)  // instead of sleeping for the interval
            // Salesforce's own spelling: grant_type=device & code=…
            let done = try await client.send("POST", "/services/oauth2/token", form: [
                "grant_type": "device", "client_id": "3MVG9ringside-demo-client", "code": device], auth: false)
            #expect(done.status == 200)
            #expect(done.json?["refresh_token"]?.stringValue != nil)
        }
    }

    @Test func expiredUnknownAndMissingTokensAre401() async throws {
        try await withEmulator { emu, client in
            #expect(try await client.get("/services/data/v59.0/").status == 200)
            await emu.expireTokens()
            let expired = try await client.get("/services/data/v59.0/limits")
            #expect(expired.status == 401)
            #expect(expired.errorCode == "INVALID_SESSION_ID")
            #expect(expired.json?.arrayValue?.first?["message"]?.stringValue == "Session expired or invalid")
            var unknown = client
            unknown.token = "bogus"
            #expect(try await unknown.get("/services/data/v59.0/limits").status == 401)
            let none = try await client.send("GET", "/services/data/v59.0/limits", auth: false)
            #expect(none.errorCode == "INVALID_SESSION_ID")
        }
    }

    @Test func expireTokensControlOverHTTP() async throws {
        try await withEmulator { _, client in
            let expire = try await client.send("POST", "/__emulator/expire-tokens")
            #expect(expire.status == 204)
            let after = try await client.get("/services/data/v59.0/limits")
            #expect(after.status == 401)
        }
    }

    @Test func userInfoAndUserRecordCarryTimeZone() async throws {
        try await withEmulator { _, client in
            let info = try await client.get("/services/oauth2/userinfo")
            #expect(info.status == 200)
            #expect(info.json?["zoneinfo"]?.stringValue == "Europe/London")
            #expect(info.json?["user_id"]?.stringValue == "005Dg0000000001IAA")
            #expect(info.json?["organization_id"]?.stringValue?.hasPrefix("00D") == true)
            #expect(info.json?["preferred_username"]?.stringValue == "agent@ringside.example")
            #expect(info.json?["email"] != nil && info.json?["name"] != nil)
            let user = try await client.get("/services/data/v60.0/sobjects/User/005Dg0000000001IAA")
            #expect(user.status == 200)
            #expect(user.json?["TimeZoneSidKey"]?.stringValue == "Europe/London")
        }
    }
}
