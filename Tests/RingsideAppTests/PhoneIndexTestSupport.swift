import Foundation
import RingsideCore
import RingsideCurl
import RingsideSalesforce
import RingsideStore
import SalesforceEmulator
@testable import RingsideApp

/// An in-process emulator, a libcurl client signed in to it, and a fresh database with the phone index tables.
/// (Test targets cannot share files; the emulator start-up follows RingsideSalesforceTests' EmulatorHarness.)
struct PhoneIndexHarness: Sendable {
    static let credentials = EmulatorSeed.Credentials(clientId: "idx-client", clientSecret: "idx-secret", username: EmulatorSeed.defaultUser.Username,
                                                      password: "idx-password", securityToken: "IDX")
    let emulator: SalesforceEmulator
    let folder: String

    static func start(org: EmulatorSeed.Org = EmulatorSeed.Org()) async throws -> PhoneIndexHarness {
        let emulator = try await SalesforceEmulator.start(seed: EmulatorSeed(credentials: credentials, dailyApiLimit: 1_000_000, org: org))
        let folder = NSTemporaryDirectory() + "ringside-phoneindex-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return PhoneIndexHarness(emulator: emulator, folder: folder)
    }

    func stop() async {
        await emulator.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    var settings: SalesforceSettings {
        var s = SalesforceSettings(loginURL: emulator.baseURL.absoluteString, authKind: .password, clientId: Self.credentials.clientId,
                                   clientSecret: Self.credentials.clientSecret, username: Self.credentials.username,
                                   password: Self.credentials.password, securityToken: Self.credentials.securityToken,
                                   defaultRegion: .GB, allowInsecureLoopback: true)
        s.requestTimeouts = .init(connect: .seconds(5), total: .seconds(30))
        return s
    }

    func client() throws -> SalesforceClient {
        try SalesforceClient(settings: settings, http: try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true)),
                             tokenStore: InMemoryTokenStore())
    }

    /// A fresh database (its own file) and its phone index store.
    func store(_ name: String = "index") throws -> PhoneIndexStore {
        PhoneIndexStore(database: try RingsideDatabase(path: folder + "/\(name).sqlite"))
    }

    func sync(_ store: PhoneIndexStore, client: SalesforceClient? = nil, pageSize: Int = 2000, overlap: TimeInterval = 120) throws -> PhoneIndexSync {
        var options = PhoneIndexSync.Options()
        options.pageSize = pageSize
        options.overlap = overlap
        return PhoneIndexSync(client: try client ?? self.client(), store: store, options: options)
    }

    /// REST data requests logged by the emulator so far.
    func dataRequests() async -> [EmulatorLogEntry] {
        await emulator.requestLog.filter { $0.path.hasPrefix("/services/data/") }
    }

    /// `DELETE /sobjects/Type/Id` straight to the emulator (the client has no delete).
    func delete(_ type: String, _ id: String) async throws {
        let http = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true))
        let token = await emulator.issueAccessToken()
        let response = try await http.send(HTTPRequest(method: .delete, url: emulator.baseURL.absoluteString + "/services/data/v62.0/sobjects/\(type)/\(id)",
                                                       headers: ["Authorization": "Bearer \(token)"]))
        precondition(response.status == 204, "delete \(id): HTTP \(response.status)")
    }

    /// Every (record id, E.164) pair of synced rows, for comparing two indexes.
    static func rows(_ store: PhoneIndexStore) throws -> Set<String> {
        var out = Set<String>()
        try store.forEachPhoneRow { row in
            if let e164 = row.e164 { out.insert("\(row.type) \(row.id) \(row.name) \(row.field) \(e164)") }
        }
        return out
    }
}

/// Runs `body` with a fresh emulator and folder, stopping them afterwards.
func withPhoneIndexHarness(org: EmulatorSeed.Org = EmulatorSeed.Org(), _ body: (PhoneIndexHarness) async throws -> Void) async throws {
    let harness = try await PhoneIndexHarness.start(org: org)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}

/// Org records for the tests: the `i`-th contact's mobile is `+44 7700 9xxxxx`.
enum IndexFixtures {
    static func mobile(_ i: Int) -> String { "7700" + String(format: "%06d", 900_000 + i) }

    static func contacts(_ count: Int, from start: Int = 0) -> [EmulatorRecord] {
        (start..<(start + count)).map { i in
            var r: EmulatorRecord = ["FirstName": "Test", "LastName": .string("Contact \(i)"),
                                     "MobilePhone": .string(i % 2 == 0 ? "0\(mobile(i).prefix(4)) \(mobile(i).dropFirst(4))" : "+44 \(mobile(i))")]
            if i % 3 == 0 { r["Phone"] = .string("020 7946 \(String(format: "%04d", i % 10_000))") }
            return r
        }
    }

    static func e164(_ i: Int) -> String { "+44" + mobile(i) }
}
