import Foundation
import RingsideCore
import RingsideCurl
@testable import RingsideSalesforce

enum SF {
    static let clientId = "emulator-client-id"
    static let clientSecret = "s3cret-CLIENT-value"
    static let password = "hunter2-PASSWORD"
    static let securityToken = "SECTOKEN123"
    static let username = "agent@example.com"

    static func settings(_ kind: SalesforceSettings.AuthKind = .password, login: String = "https://acme.my.salesforce.com",
                         version: String = "v62.0", taskObject: TaskObject = .standardTask,
                         insecure: Bool = false) -> SalesforceSettings {
        SalesforceSettings(loginURL: login, apiVersion: version, authKind: kind, clientId: clientId, clientSecret: clientSecret,
                           username: username, password: password, securityToken: securityToken,
                           taskObject: taskObject, defaultRegion: .GB, allowInsecureLoopback: insecure)
    }

    static func number(_ raw: String) -> PhoneNumber {
        try! PhoneNumber.parse(raw, defaultRegion: .GB)
    }

    /// A complete call record with the given association.
    static func callRecord(_ callObject: String, who: EntityRef? = nil, what: EntityRef? = nil, ownerId: String? = nil,
                           disposition: String? = "Resolved", status: String = "Completed") -> CallRecord {
        let start = Date(timeIntervalSince1970: 1_718_896_296)
        return CallRecord(callObject: callObject, callType: .inbound, direction: .inbound, remote: "07814256404",
                          e164: "+447814256404", remoteName: "Ann Lee", startedAt: start, answeredAt: start.addingTimeInterval(5),
                          endedAt: start.addingTimeInterval(125), durationSeconds: 120, holdSeconds: 0, endReason: "remote hangup",
                          subject: "Inbound Call at 16:11:36 Europe/London from 07814256404 (Ann Lee)",
                          description: "Notes\n\nInbound Call at 16:11:36 Europe/London from 07814256404 (Ann Lee)",
                          activityDate: "2024-06-20", status: status, priority: "Normal", ownerId: ownerId,
                          disposition: disposition, notes: "Notes", who: who, what: what, associationRule: .singleMatch,
                          associationNote: nil, timeZone: "Europe/London", delivery: .queued)
    }
}

/// Captures trace lines from libcurl's thread.
final class TraceLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
    var sink: @Sendable (String) -> Void { { [self] line in lock.withLock { lines.append(line) } } }
}

/// Records device-flow sleeps without waiting.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var slept: [Duration] = []
    var durations: [Duration] { lock.withLock { slept } }
    var sleep: @Sendable (Duration) async throws -> Void { { [self] d in lock.withLock { slept.append(d) } } }
}

func expectFailure<T>(_ body: () async throws(SalesforceError) -> T) async -> SalesforceError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
