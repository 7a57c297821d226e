import Foundation
import RingsideCore
import RingsideCurl
import SalesforceEmulator
@testable import RingsideSalesforce

/// An in-process Salesforce emulator plus clients that reach it through real libcurl.
struct EmulatorHarness: Sendable {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let seededRefreshToken = "5Aep861ringside-test-refresh-token"
    static let username = "agent@ringside.example"

    let emulator: SalesforceEmulator

    var base: String { emulator.baseURL.absoluteString }

    /// The shipped example seed with test credentials and a fast device-flow interval.
    static func seed() throws -> EmulatorSeed {
        var seed = try EmulatorSeed.load(contentsOf: repoRoot.appendingPathComponent("Resources/emulator-seed.json"))
        seed.credentials = EmulatorSeed.Credentials(clientId: SF.clientId, clientSecret: SF.clientSecret, username: username,
                                                    password: SF.password, securityToken: SF.securityToken,
                                                    refreshTokens: [seededRefreshToken])
        seed.deviceFlowInterval = 0.3
        return seed
    }

    static func start(apiVersions: [String] = SalesforceEmulator.defaultAPIVersions,
                      org: EmulatorSeed.Org = EmulatorSeed.Org()) async throws -> EmulatorHarness {
        var seed = try seed()
        seed.org = org
        return EmulatorHarness(emulator: try await SalesforceEmulator.start(seed: seed, port: 0, apiVersions: apiVersions))
    }

    func stop() async { await emulator.stop() }

    func settings(_ kind: SalesforceSettings.AuthKind = .password, version: String = "v62.0",
                  taskObject: TaskObject = .standardTask, refreshToken: String? = nil,
                  newEntity: EntityType = .lead) -> SalesforceSettings {
        var s = SalesforceSettings(loginURL: base, apiVersion: version, authKind: kind, clientId: SF.clientId,
                                   clientSecret: SF.clientSecret, username: Self.username, password: SF.password,
                                   securityToken: SF.securityToken, refreshToken: refreshToken, defaultNewEntity: newEntity,
                                   taskObject: taskObject, defaultRegion: .GB, allowInsecureLoopback: true)
        s.requestTimeouts = .init(connect: .seconds(5), total: .seconds(10))
        return s
    }

    static func curl(trace: (@Sendable (String) -> Void)? = nil, traceBodies: Bool = false) throws -> CurlHTTPClient {
        try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true, trace: trace, traceBodies: traceBodies))
    }

    func client(_ kind: SalesforceSettings.AuthKind = .password, version: String = "v62.0", taskObject: TaskObject = .standardTask,
                tokenStore: any TokenStore = InMemoryTokenStore(), refreshToken: String? = nil, newEntity: EntityType = .lead,
                http: (any HTTPClient)? = nil) throws -> SalesforceClient {
        try SalesforceClient(settings: settings(kind, version: version, taskObject: taskObject, refreshToken: refreshToken,
                                                newEntity: newEntity),
                             http: http ?? Self.curl(), tokenStore: tokenStore)
    }

    /// Requests to the REST API (`/services/data/…`) in the log.
    func dataRequests() async -> [EmulatorLogEntry] {
        await emulator.requestLog.filter { $0.path.hasPrefix("/services/data/") }
    }
}

/// Runs `body` with a fresh emulator, stopping it afterwards.
func withEmulator(apiVersions: [String] = SalesforceEmulator.defaultAPIVersions, org: EmulatorSeed.Org = EmulatorSeed.Org(),
                  _ body: (EmulatorHarness) async throws -> Void) async throws {
    let harness = try await EmulatorHarness.start(apiVersions: apiVersions, org: org)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}

let annId = "003Dg0000000001IAA"
let acmeId = "001Dg0000000001IAA"
let danLeadId = "00QDg0000000001MAA"
let priyaAccountId = "001Dg0000000003IAA"
