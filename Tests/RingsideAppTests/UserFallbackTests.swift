import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import Testing

/// Issue 15: when the Salesforce user can't be read, the config's user id and time zone stand in — never silently.
@Suite struct UserFallbackTests {
    @Test func anUnreachableOrgFallsBackToTheConfigAndSaysSoOnTheBanner() async throws {
        let folder = NSTemporaryDirectory() + "ringside-fallback-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var config = try RingsideConfig.load(path: nil, environment: ["HOME": folder])
        config.dataDirectory = folder
        config.crm = "salesforce"
        config.loginURL = "http://127.0.0.1:9"  // discard port: nothing listens, the connection is refused
        config.auth = "password"
        config.clientId = "client"
        config.clientSecret = "secret"
        config.username = "agent@example.com"
        config.password = "password-value"
        config.timeZone = "America/New_York"
        config.agentUserId = "005000000000042AAA"
        let agent = try SalesforceAgent(config: config)
        let (user, fallback) = await agent.resolveUser()
        #expect(user.id == "005000000000042AAA" && user.timeZone == "America/New_York")
        let notice = try #require(fallback)
        #expect(notice.contains("using the config instead"))
        #expect(notice.contains("America/New_York") && notice.contains("005000000000042AAA"))
        #expect(!notice.contains("password-value"))
        let runtime = await agent.runtime(phone: SimulatedPhone(), user: user, isDemo: false, phoneLabel: "Simulated phone")
        let banner = await runtime.current.banner?.text
        #expect(banner?.contains("Salesforce user not read") == true)
        await runtime.stop()
        await agent.indexScheduler.stop()
    }
}
