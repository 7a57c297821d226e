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

    /// The demo org's schema as describe would report it (for fake-transport tests, which script no describe).
    static func schema(personAccounts: Bool = true, hidden: [String] = [], extraPhones: [String: [String]] = [:],
                       lockedTaskFields: Set<String> = []) -> OrgSchema {
        let system = ["Id", "OwnerId", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"]
        func object(_ name: String, _ fields: [String], phones: [String], createable: Set<String>? = nil) -> OrgSchema.ObjectInfo {
            let extra = extraPhones[name] ?? []
            let all = Set(system + fields + phones + extra)
            return OrgSchema.ObjectInfo(name: name, fields: all, phoneFields: phones + extra,
                                        createable: createable ?? all.subtracting(["Id", "Name", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"]))
        }
        let person = personAccounts ? ["IsPersonAccount"] : []
        var objects: [String: OrgSchema.ObjectInfo] = [
            "Contact": object("Contact", ["Name", "FirstName", "LastName", "AccountId"] + person,
                              phones: ["Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone"]),
            "Account": object("Account", ["Name"] + (personAccounts ? ["IsPersonAccount", "PersonContactId"] : []),
                              phones: ["Phone"] + (personAccounts ? ["PersonMobilePhone", "PersonHomePhone", "PersonOtherPhone"] : [])),
            "Lead": object("Lead", ["Name", "FirstName", "LastName", "Company", "IsConverted"], phones: ["Phone", "MobilePhone"]),
            "Case": object("Case", ["CaseNumber", "Subject", "Status", "AccountId"], phones: ["SuppliedPhone"]),
            "Opportunity": object("Opportunity", ["Name", "StageName", "AccountId", "NextStep"], phones: []),
        ]
        let taskFields = ["Subject", "Description", "ActivityDate", "Status", "Priority", "TaskSubtype", "CallType",
                          "CallDurationInSeconds", "CallObject", "CallDisposition", "WhoId", "WhatId"]
        objects["Task"] = object("Task", taskFields, phones: [], createable: Set(taskFields + ["OwnerId"]).subtracting(lockedTaskFields))
        for name in hidden { objects[name] = nil }
        return OrgSchema(objects: objects, hidden: hidden, fetchedAt: Date(), source: "fixture")
    }

    /// A client over `http` that already knows the demo org's schema (no describe requests).
    static func client(_ settings: SalesforceSettings = SF.settings(), http: any HTTPClient,
                       schema: OrgSchema = SF.schema()) throws -> SalesforceClient {
        let client = try SalesforceClient(settings: settings, http: http)
        client.useSchema(schema)
        return client
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
