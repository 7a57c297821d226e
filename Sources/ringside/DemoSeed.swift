import Foundation
import RingsideStore
import SalesforceEmulator

/// Turns the demo directory into a Salesforce emulator seed, so `demo --salesforce-emulator` and the
/// Salesforce tests work on the same people, numbers and ids as the local demo.
enum DemoSeed {
    static let credentials = EmulatorSeed.Credentials(clientId: "ringside-demo-client", clientSecret: "ringside-demo-secret",
                                                      username: "agent@ringside.example", password: "demo-password",
                                                      securityToken: "DEMOTOKEN", refreshTokens: [])
    static let userId = "005000000000001AAA"

    static func make(from file: DirectoryFile, timeZone: String) -> EmulatorSeed {
        var seed = EmulatorSeed()
        seed.credentials = credentials
        seed.users = [EmulatorSeed.User(Id: userId, Username: credentials.username, Name: "Demo Agent",
                                        TimeZoneSidKey: timeZone, Email: credentials.username)]
        var records: [String: [EmulatorRecord]] = [:]
        for item in file.records {
            var record: EmulatorRecord = ["Id": .string(item.id), "LastModifiedDate": .string(item.lastModified),
                                          "SystemModstamp": .string(item.lastModified)]
            let parts = item.name.split(separator: " ")
            switch item.type {
            case "Contact", "Lead":
                record["FirstName"] = parts.count > 1 ? .string(parts.dropLast().joined(separator: " ")) : .null
                record["LastName"] = .string(parts.last.map(String.init) ?? item.name)
                if item.type == "Lead" {
                    record["Company"] = .string(item.accountName ?? "Unknown")
                    record["IsConverted"] = .bool(false)
                    record["Status"] = .string("Open - Not Contacted")
                }
            case "Case":
                record["Subject"] = .string(item.name)
                record["Status"] = .string("New")
            case "Opportunity":
                record["Name"] = .string(item.name)
                record["StageName"] = .string("Prospecting")
                record["CloseDate"] = .string("2026-12-31")
            default:
                record["Name"] = .string(item.name)
                if item.isPersonAccount == true {
                    record["IsPersonAccount"] = .bool(true)
                    record["FirstName"] = parts.count > 1 ? .string(parts.dropLast().joined(separator: " ")) : .null
                    record["LastName"] = .string(parts.last.map(String.init) ?? item.name)
                }
            }
            if let accountId = item.accountId { record["AccountId"] = .string(accountId) }
            for phone in item.phones { record[phone.field] = .string(phone.raw) }
            records[item.type, default: []].append(record)
        }
        seed.records = records
        return seed
    }
}
