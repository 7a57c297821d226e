import Foundation
import Testing
import RingsideCore

/// The shape of `Resources/demo-directory.json` (written by `scripts/gen-demo-directory.py`).
struct DemoDirectory: Decodable {
    struct Phone: Decodable {
        let field: String
        let raw: String
    }

    struct Record: Decodable {
        let type: String
        let id: String
        let name: String
        let accountId: String?
        let accountName: String?
        let phones: [Phone]
        let owner: String
        let lastModified: String
        let isPersonAccount: Bool
    }

    let version: Int
    let defaultRegion: String
    let scenarios: [String: String]
    let favourites: [String]
    let records: [Record]

    static func load() throws -> DemoDirectory {
        // Tests/RingsideCoreTests/DemoDirectoryDataTests.swift → repository root.
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Resources/demo-directory.json"))
        return try JSONDecoder().decode(DemoDirectory.self, from: data)
    }

    func region() throws -> PhoneRegion {
        try #require(PhoneRegion(code: defaultRegion))
    }

    /// Records with at least one phone equal to `raw` after normalisation.
    func matches(_ raw: String) throws -> [Record] {
        let region = try region()
        let key = try PhoneNumber.parse(raw, defaultRegion: region).matchKey
        return try records.filter { record in
            try record.phones.contains { try PhoneNumber.parse($0.raw, defaultRegion: region).matchKey == key }
        }
    }
}

@Suite("Demo directory data")
struct DemoDirectoryDataTests {
    @Test func decodesWithEnoughRecordsOfEveryKind() throws {
        let directory = try DemoDirectory.load()
        #expect(directory.version == 1)
        #expect(try directory.region() == .GB)
        #expect(directory.records.count >= 200)
        let count = { (type: String, person: Bool) in
            directory.records.filter { $0.type == type && $0.isPersonAccount == person }.count
        }
        #expect(count("Contact", false) >= 80)
        #expect(count("Account", false) >= 20)
        #expect(count("Account", true) >= 10)
        #expect(count("Lead", false) >= 30)
        #expect(count("Case", false) >= 10)
        #expect(count("Opportunity", false) >= 10)
        #expect(directory.records.allSatisfy { EntityType(name: $0.type)?.rawValue == $0.type })
    }

    @Test func idsAreValidAndMatchTheirType() throws {
        let directory = try DemoDirectory.load()
        var seen = Set<SalesforceID>()
        for record in directory.records {
            let id = try SalesforceID(record.id)
            #expect(id.description == record.id, "\(record.id) is not in normalised 18-character form")
            #expect(id.entityType?.rawValue == record.type, "\(record.id) has the prefix of \(id.keyPrefix), not \(record.type)")
            #expect(seen.insert(id).inserted, "duplicate id \(record.id)")
        }
    }

    @Test func accountLinksPointAtCompanyAccounts() throws {
        let directory = try DemoDirectory.load()
        let companies = Dictionary(uniqueKeysWithValues: directory.records
            .filter { $0.type == "Account" && !$0.isPersonAccount }.map { ($0.id, $0.name) })
        for record in directory.records {
            switch EntityType(name: record.type) {
            case .contact, .caseRecord, .opportunity:
                let accountId = try #require(record.accountId, "\(record.name) has no account")
                #expect(companies[accountId] == record.accountName, "\(record.name) links to \(accountId)")
            case .account, .lead, nil:
                #expect(record.accountId == nil)
            }
        }
    }

    @Test func everyPhoneParsesAndUsesItsTypesFields() throws {
        let directory = try DemoDirectory.load()
        let region = try directory.region()
        var total = 0
        var countries = Set<Int>()
        for record in directory.records {
            let allowed: Set<String> = switch EntityType(name: record.type) {
            case .contact: ["Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone"]
            case .account where record.isPersonAccount: ["Phone", "PersonMobilePhone", "PersonHomePhone", "PersonOtherPhone"]
            case .account: ["Phone"]
            case .lead: ["Phone", "MobilePhone"]
            case .caseRecord, .opportunity, nil: []
            }
            if allowed.isEmpty { #expect(record.phones.isEmpty, "\(record.type) \(record.name) should have no phones") }
            for phone in record.phones {
                total += 1
                #expect(allowed.contains(phone.field), "\(record.type) has no field \(phone.field)")
                let number = try PhoneNumber.parse(phone.raw, defaultRegion: region)
                #expect(number.kind == .external, "\(phone.raw)")
                countries.insert(try #require(number.countryCode))
            }
        }
        #expect(total >= 250)
        #expect(countries.isSuperset(of: [44, 1, 81, 49, 33, 61, 91]))
    }

    @Test func scenariosMatchOneThreeAndNoRecords() throws {
        let directory = try DemoDirectory.load()
        let scenario = { (name: String) throws -> String in try #require(directory.scenarios[name], "missing scenario \(name)") }
        #expect(try directory.matches(scenario("singleMatch")).count == 1)
        let multiple = try directory.matches(scenario("multipleMatch"))
        #expect(multiple.count == 3)
        #expect(Set(multiple.compactMap(\.accountId)).count == 1, "the switchboard belongs to one account")
        #expect(try directory.matches(scenario("noMatch")).isEmpty)
        let noMatch = try PhoneNumber.parse(scenario("noMatch"), defaultRegion: directory.region())
        #expect(noMatch.region == .GB)
        #expect(try PhoneNumber.parse(scenario("internal"), defaultRegion: directory.region()).isInternal)

        let japanese = try directory.matches(scenario("japanese"))
        #expect(japanese.count == 1)
        #expect(japanese.first?.name.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } == true)
        let hostile = try directory.matches(scenario("hostile"))
        #expect(hostile.count == 1)
        #expect(hostile.first?.name.unicodeScalars.contains("\u{1B}") == true)
    }

    @Test func sharedNumbersAreOnlyTheIntendedOnes() throws {
        let directory = try DemoDirectory.load()
        let region = try directory.region()
        var owners: [String: Set<String>] = [:]
        for record in directory.records {
            for phone in record.phones {
                owners[try PhoneNumber.parse(phone.raw, defaultRegion: region).matchKey, default: []].insert(record.id)
            }
        }
        let shared = owners.filter { $0.value.count > 1 }.mapValues(\.count)
        // The switchboard of three contacts and a family number on a Contact and a Lead.
        #expect(shared.values.sorted() == [2, 3], "\(shared)")
    }

    @Test func namesCoverTheEdgeCases() throws {
        let names = try DemoDirectory.load().records.map(\.name)
        #expect(names.contains("Fred Bloggs"))
        #expect(names.contains("山田 太郎"))
        #expect(names.contains("Zoë Müller"))
        #expect(names.contains("José Núñez"))
        #expect(names.contains { $0.count > 60 })
        let hostile = names.filter { $0.unicodeScalars.contains { $0.value < 0x20 } }
        #expect(hostile == ["\u{1B}]0;pwned\u{07}Mallory"])
    }

    @Test func favouritesAndTimestampsAreValid() throws {
        let directory = try DemoDirectory.load()
        let ids = Set(directory.records.map(\.id))
        #expect(!directory.favourites.isEmpty)
        #expect(directory.favourites.allSatisfy(ids.contains))
        let iso = ISO8601DateFormatter()
        for record in directory.records {
            #expect(record.lastModified.hasSuffix("Z"))
            #expect(iso.date(from: record.lastModified) != nil, "\(record.lastModified)")
            #expect(!record.owner.isEmpty)
        }
    }
}
