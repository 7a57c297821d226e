import Foundation
import GRDB
import RingsideCore

/// The embedded CRM: people, companies and work records in the local SQLite directory.
/// Lookups are one indexed query on normalised numbers; no network.
public final class LocalDirectory: CRM {
    public let database: RingsideDatabase
    public let region: PhoneRegion
    public let internalNumberDigits: Int
    let user: AgentUser

    public init(database: RingsideDatabase, region: PhoneRegion, internalNumberDigits: Int = 5, user: AgentUser) {
        self.database = database
        self.region = region
        self.internalNumberDigits = internalNumberDigits
        self.user = user
    }

    // MARK: CRM

    public func lookup(_ number: PhoneNumber) async throws -> LookupResult {
        LookupResult(candidates: try records(withNumber: number.matchKey), source: .index(syncedAt: nil))
    }

    public func createRecord(_ type: EntityType, number: PhoneNumber, name: String?) async throws -> CRMRecord {
        let now = Date()
        return try database.write("creating a \(type.rawValue)") { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory") ?? 0
            let id = try Self.localID(for: type, sequence: count + 1, db: db)
            let display = name ?? "Caller \(number.formatted(relativeTo: region))"
            let record = CRMRecord(type: type, id: id, name: display,
                                   phones: [PhoneField(field: "Phone", raw: number.formatted(relativeTo: region), e164: number.e164)],
                                   owner: user.name, lastModified: now)
            try Self.insert(record, source: "created", favourite: false, db: db)
            return record
        }
    }

    public func search(_ text: String) async throws -> [CRMRecord] {
        try search(text, limit: 50)
    }

    public func currentUser() async throws -> AgentUser { user }

    // MARK: Queries

    public func records(withNumber key: String) throws -> [CRMRecord] {
        try database.read("looking up \(key)") { db in
            let ids = try String.fetchAll(db, sql: "SELECT DISTINCT recordId FROM directoryPhone WHERE e164 = ?", arguments: [key])
            return try Self.hydrate(ids, db: db)
        }
    }

    public func search(_ text: String, limit: Int) throws -> [CRMRecord] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        let digits = trimmed.filter(\.isNumber)
        return try database.read("searching the directory") { db in
            var ids = try String.fetchAll(db, sql: "SELECT id FROM directory WHERE name LIKE ? ESCAPE '\\' OR id = ? ORDER BY name LIMIT ?",
                                          arguments: ["%\(Self.likeEscaped(trimmed))%", trimmed, limit])
            if digits.count >= 3 {
                ids += try String.fetchAll(db, sql: "SELECT DISTINCT recordId FROM directoryPhone WHERE e164 LIKE ? LIMIT ?",
                                           arguments: ["%\(digits)%", limit])
            }
            var seen = Set<String>()
            return try Self.hydrate(ids.filter { seen.insert($0).inserted }, db: db)
        }
    }

    /// Favourites, then directory records with phones, filtered by name or digits.
    public func numberList(filter: String, limit: Int) throws -> [NumberListEntry] {
        let trimmed = filter.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.filter(\.isNumber)
        return try database.read("reading the number list") { db in
            var sql = """
                SELECT d.id, d.type, d.name, d.accountId, d.favourite, p.field, p.raw, p.e164
                FROM directoryPhone p JOIN directory d ON d.id = p.recordId
                """
            var arguments: StatementArguments = []
            if !trimmed.isEmpty {
                sql += " WHERE d.name LIKE ? ESCAPE '\\'"
                arguments += ["%\(Self.likeEscaped(trimmed))%"]
                if digits.count >= 2 {
                    sql += " OR p.e164 LIKE ? OR p.raw LIKE ?"
                    arguments += ["%\(digits)%", "%\(digits)%"]
                }
            }
            sql += " ORDER BY d.favourite DESC, d.name, p.field LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let type = EntityType(rawValue: row["type"]) ?? .contact
                let entity = EntityRef(type: type, id: row["id"], name: row["name"], accountId: row["accountId"])
                let favourite: Bool = row["favourite"]
                return NumberListEntry(kind: favourite ? .favourite : .directory, name: row["name"], raw: row["raw"],
                                       e164: row["e164"], entity: entity, field: row["field"])
            }
        }
    }

    /// The favourite records' numbers, by name (the head of the console's number list).
    public func favourites() throws -> [NumberListEntry] {
        try database.read("reading favourites") { db in
            try Row.fetchAll(db, sql: """
                SELECT d.id, d.type, d.name, d.accountId, p.field, p.raw, p.e164
                FROM directory d JOIN directoryPhone p ON p.recordId = d.id WHERE d.favourite = 1 ORDER BY d.name, p.field
                """).map { row in
                let type = EntityType(rawValue: row["type"]) ?? .contact
                let entity = EntityRef(type: type, id: row["id"], name: row["name"], accountId: row["accountId"])
                return NumberListEntry(kind: .favourite, name: row["name"], raw: row["raw"], e164: row["e164"], entity: entity, field: row["field"])
            }
        }
    }

    public func count() throws -> Int {
        try database.read("counting the directory") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory") ?? 0 }
    }

    /// Whether the directory has no record (one index probe, not a count of a million rows: start-up asks it).
    public func isEmpty() throws -> Bool {
        try database.read("checking whether the directory is empty") { db in
            try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM directory)") ?? true
        }
    }

    // MARK: Import

    /// Loads the demo directory file if the directory is empty. Returns the number of records added.
    @discardableResult
    public func seedIfEmpty(fromFile path: String) throws -> Int {
        guard try isEmpty() else { return 0 }
        return try importFile(try DirectoryFile.load(path: path), path: path, source: "demo")
    }

    /// Imports every record of a directory file in one transaction: all or nothing.
    @discardableResult
    public func importFile(_ file: DirectoryFile, path: String, source: String) throws -> Int {
        let fileRegion = PhoneRegion(rawValue: file.defaultRegion) ?? region
        var records: [(CRMRecord, Bool)] = []
        let favourites = Set(file.favourites ?? [])
        for (index, item) in file.records.enumerated() {
            let place = "records[\(index)] (\(CallRecordBuilder.sanitized(item.name)))"
            guard let type = EntityType(name: item.type) else {
                throw StoreError.badImport(file: path, line: 0, reason: "\(place): unknown type \"\(item.type)\" (use Contact, Account, Lead, Case or Opportunity)")
            }
            guard let modified = ISO8601.date(item.lastModified) else {
                throw StoreError.badImport(file: path, line: 0, reason: "\(place): lastModified \"\(item.lastModified)\" is not an ISO-8601 time")
            }
            var phones: [PhoneField] = []
            for phone in item.phones {
                do {
                    let number = try PhoneNumber.parse(phone.raw, defaultRegion: fileRegion, internalNumberDigits: internalNumberDigits)
                    phones.append(PhoneField(field: phone.field, raw: phone.raw, e164: number.e164))
                } catch {
                    throw StoreError.badImport(file: path, line: 0, reason: "\(place): \(phone.field) \(error)")
                }
            }
            records.append((CRMRecord(type: type, id: item.id, name: item.name, accountId: item.accountId, accountName: item.accountName,
                                      phones: phones, owner: item.owner, lastModified: modified,
                                      isPersonAccount: item.isPersonAccount ?? false), favourites.contains(item.id)))
        }
        try database.write("importing \(path)") { db in
            for (record, favourite) in records { try Self.insert(record, source: source, favourite: favourite, db: db) }
        }
        return records.count
    }

    static let csvPhoneFields: [String: String] = [
        "phone": "Phone", "mobile": "MobilePhone", "mobilephone": "MobilePhone", "homephone": "HomePhone",
        "otherphone": "OtherPhone", "assistantphone": "AssistantPhone",
    ]

    // MARK: Rows

    static func insert(_ record: CRMRecord, source: String, favourite: Bool, db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO directory (id, type, name, accountId, accountName, owner, lastModified, isPersonAccount, url, source, favourite)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [record.id, record.type.rawValue, record.name, record.accountId, record.accountName, record.owner,
                             record.lastModified, record.isPersonAccount, record.url, source, favourite])
        try db.execute(sql: "DELETE FROM directoryPhone WHERE recordId = ?", arguments: [record.id])
        for phone in record.phones {
            try db.execute(sql: "INSERT OR REPLACE INTO directoryPhone (recordId, field, raw, e164) VALUES (?, ?, ?, ?)",
                           arguments: [record.id, phone.field, phone.raw, phone.e164])
        }
    }

    static func hydrate(_ ids: [String], db: Database) throws -> [CRMRecord] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let phoneRows = try Row.fetchAll(db, sql: "SELECT recordId, field, raw, e164 FROM directoryPhone WHERE recordId IN (\(marks)) ORDER BY field",
                                         arguments: StatementArguments(ids))
        var phones: [String: [PhoneField]] = [:]
        for row in phoneRows {
            phones[row["recordId"], default: []].append(PhoneField(field: row["field"], raw: row["raw"], e164: row["e164"]))
        }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM directory WHERE id IN (\(marks))", arguments: StatementArguments(ids))
        return rows.map { row in
            let id: String = row["id"]
            return CRMRecord(type: EntityType(rawValue: row["type"]) ?? .contact, id: id, name: row["name"], accountId: row["accountId"],
                             accountName: row["accountName"], phones: phones[id] ?? [], owner: row["owner"],
                             lastModified: row["lastModified"], isPersonAccount: row["isPersonAccount"], url: row["url"])
        }
    }

    /// A Salesforce-shaped 18-character id with the entity's key prefix, unique in the directory.
    static func localID(for type: EntityType, sequence: Int, db: Database) throws -> String {
        let prefix: String = switch type {
        case .contact: "003"
        case .account: "001"
        case .lead: "00Q"
        case .caseRecord: "500"
        case .opportunity: "006"
        }
        var n = sequence
        while true {
            let body = prefix + "LOC" + String(repeating: "0", count: max(0, 9 - String(n).count)) + String(n)
            let id = try SalesforceID(body).description
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory WHERE id = ?", arguments: [id]) == 0 { return id }
            n += 1
        }
    }

    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

extension LocalDirectory {
    /// Numbers in the directory grouped by how many records share them (for simulations and benchmarks).
    public func numbersByMatchCount() throws -> (single: [String], multiple: [String]) {
        try database.read("reading directory numbers") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT MIN(raw) AS raw, COUNT(DISTINCT recordId) AS n FROM directoryPhone
                WHERE e164 IS NOT NULL GROUP BY e164 ORDER BY e164
                """)
            var single: [String] = [], multiple: [String] = []
            for row in rows {
                let n: Int = row["n"]
                if n == 1 { single.append(row["raw"]) } else { multiple.append(row["raw"]) }
            }
            return (single, multiple)
        }
    }
}
