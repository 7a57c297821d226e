import Foundation
import GRDB
import RingsideCore

/// What a CSV import did.
public struct DirectoryImportSummary: Hashable, Sendable, CustomStringConvertible {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var total: Int { added + updated + unchanged }

    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
    }

    public var description: String { "\(added) added, \(updated) updated, \(unchanged) unchanged" }
}

extension LocalDirectory {
    /// Imports a CSV with a header row: `name` and at least one phone column (Phone, MobilePhone, HomePhone,
    /// OtherPhone, AssistantPhone, or phone/mobile), optional `type`, `id`, `account`, `owner`.
    ///
    /// Streams the file (memory stays bounded at any size) through prepared statements in one transaction: all or
    /// nothing, a bad line names itself. Re-importing updates instead of duplicating: a row is the record with its
    /// `id`, else the record with the same name and first number; rows equal to their record are left unchanged.
    /// `progress` is called every `progressEvery` rows with the rows read so far.
    @discardableResult
    public func importCSV(path: String, progressEvery: Int = 10_000, progress: ((Int) -> Void)? = nil) throws -> DirectoryImportSummary {
        let now = Date()
        return try database.write("importing \(path)") { db in
            // One revision bump for the whole file instead of a trigger's per row (the snapshot goes stale once).
            try RingsideDatabase.writingDirectoryInBulk(db) { try importRows(path: path, now: now, db: db, progressEvery: progressEvery, progress: progress) }
        }
    }

    private func importRows(path: String, now: Date, db: Database, progressEvery: Int, progress: ((Int) -> Void)?) throws -> DirectoryImportSummary {
        var summary = DirectoryImportSummary()
        var columns: [String] = []
        var nameColumn = 0
        var phoneFields: [(Int, String)] = []
        var named: [String: Int] = [:]
        var sequence = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory") ?? 0
        let byID = try db.makeStatement(sql: "SELECT type, name, accountName, owner FROM directory WHERE id = ?")
        let byNameAndNumber = try db.makeStatement(sql: """
            SELECT d.id FROM directoryPhone p JOIN directory d ON d.id = p.recordId WHERE p.e164 = ? AND d.name = ? LIMIT 1
            """)
        let phonesOf = try db.makeStatement(sql: "SELECT field, raw, e164 FROM directoryPhone WHERE recordId = ? ORDER BY rowid")
        let insertRecord = try db.makeStatement(sql: """
            INSERT INTO directory (id, type, name, accountName, owner, lastModified, isPersonAccount, source, favourite)
            VALUES (?, ?, ?, ?, ?, ?, 0, 'csv', 0)
            """)
        let updateRecord = try db.makeStatement(sql: "UPDATE directory SET type = ?, name = ?, accountName = ?, owner = ?, lastModified = ? WHERE id = ?")
        let deletePhones = try db.makeStatement(sql: "DELETE FROM directoryPhone WHERE recordId = ?")
        let insertPhone = try db.makeStatement(sql: "INSERT OR REPLACE INTO directoryPhone (recordId, field, raw, e164) VALUES (?, ?, ?, ?)")
        var rows = 0
        try CSVReader.forEachRow(path: path) { row in
            if columns.isEmpty {
                columns = row.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                (nameColumn, phoneFields) = try Self.checkHeader(columns, path: path, line: row.line)
                for (index, column) in columns.enumerated() where named[column] == nil { named[column] = index }
                return
            }
            guard row.fields.count == columns.count else {
                throw StoreError.badImport(file: path, line: row.line, reason: "\(row.fields.count) fields, but the header has \(columns.count)")
            }
            func value(_ column: String) -> String? {
                named[column].map { row.fields[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            let name = row.fields[nameColumn].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw StoreError.badImport(file: path, line: row.line, reason: "empty name") }
            let type = try value("type").map { raw in
                guard let type = EntityType(name: raw) else {
                    throw StoreError.badImport(file: path, line: row.line, reason: "unknown type \"\(raw)\" (use Contact, Account or Lead)")
                }
                return type
            } ?? .contact
            var phones: [PhoneField] = []
            for (index, field) in phoneFields {
                let raw = row.fields[index].trimmingCharacters(in: .whitespaces)
                guard !raw.isEmpty else { continue }
                do {
                    let number = try PhoneNumber.parse(raw, defaultRegion: region, internalNumberDigits: internalNumberDigits)
                    phones.append(PhoneField(field: field, raw: raw, e164: number.e164))
                } catch {
                    throw StoreError.badImport(file: path, line: row.line, reason: "\(field): \(error)")
                }
            }
            let account = value("account"), owner = value("owner")
            // Which record is this row? Its id, else the record with the same name and first number.
            var id = value("id")
            var existing: Row?
            if let given = id {
                existing = try Row.fetchOne(byID, arguments: [given])
            } else if let first = phones.first?.e164,
                      let match = try String.fetchOne(byNameAndNumber, arguments: [first, name]) {
                id = match
                existing = try Row.fetchOne(byID, arguments: [match])
            }
            if let existing, let id {
                let stored = try Row.fetchAll(phonesOf, arguments: [id]).map {
                    PhoneField(field: $0["field"], raw: $0["raw"], e164: $0["e164"])
                }
                let same = existing["type"] == type.rawValue && existing["name"] == name
                    && existing["accountName"] as String? == account && existing["owner"] as String? == owner && stored == phones
                if same {
                    summary.unchanged += 1
                } else {
                    try updateRecord.execute(arguments: [type.rawValue, name, account, owner, now, id])
                    try deletePhones.execute(arguments: [id])
                    for phone in phones { try insertPhone.execute(arguments: [id, phone.field, phone.raw, phone.e164]) }
                    summary.updated += 1
                }
            } else {
                let newID: String
                if let id { newID = id } else {
                    sequence += 1
                    newID = try Self.localID(for: type, sequence: sequence, db: db)
                }
                try insertRecord.execute(arguments: [newID, type.rawValue, name, account, owner, now])
                for phone in phones { try insertPhone.execute(arguments: [newID, phone.field, phone.raw, phone.e164]) }
                summary.added += 1
            }
            rows += 1
            if rows % progressEvery == 0 { progress?(rows) }
        }
        if columns.isEmpty { throw StoreError.badImport(file: path, line: 1, reason: "the file is empty; expected a header row such as name,phone") }
        return summary
    }

    /// The name column and the phone columns of a header; a clear error for anything else.
    static func checkHeader(_ columns: [String], path: String, line: Int) throws -> (Int, [(Int, String)]) {
        guard let nameColumn = columns.firstIndex(of: "name") else {
            throw StoreError.badImport(file: path, line: line, reason: "no \"name\" column in the header (found: \(columns.joined(separator: ", ")))")
        }
        let phoneFields: [(Int, String)] = columns.enumerated().compactMap { index, column in
            csvPhoneFields[column].map { (index, $0) }
        }
        guard !phoneFields.isEmpty else {
            throw StoreError.badImport(file: path, line: line, reason: "no phone column in the header (use phone, mobile, Phone, MobilePhone, HomePhone, OtherPhone or AssistantPhone)")
        }
        let known = Set(["name", "type", "id", "account", "owner"]).union(csvPhoneFields.keys)
        if let unknown = columns.first(where: { !known.contains($0) && !$0.isEmpty }) {
            throw StoreError.badImport(file: path, line: line, reason: "unknown column \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        return (nameColumn, phoneFields)
    }
}
