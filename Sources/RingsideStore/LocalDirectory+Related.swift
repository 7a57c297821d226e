import Foundation
import GRDB
import RingsideCore

/// "Related to" support for the local directory: open Cases and Opportunities of an account, and
/// post-call field updates kept in `recordUpdate`.
extension LocalDirectory {
    /// Fields a post-call update may set on local records, with the values a restricted picklist allows.
    static let updatableFields: [EntityType: [String: Set<String>?]] = [
        .opportunity: ["NextStep": nil, "Description": nil, "Last_Call_Date__c": nil,
                       "StageName": ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Proposal/Price Quote",
                                     "Negotiation/Review", "Closed Won", "Closed Lost"]],
        .caseRecord: ["Description": nil, "Last_Call_Date__c": nil, "Status": ["New", "Working", "Escalated", "Closed"]],
    ]

    public func relatedWork(for entity: EntityRef) async throws -> [CRMRecord] {
        let accountId: String?
        switch entity.type {
        case .account: accountId = entity.id
        case .contact: accountId = try entity.accountId ?? accountOf(entity.id)
        case .lead, .caseRecord, .opportunity: accountId = nil
        }
        guard let accountId else { return [] }
        return try database.read("reading related work") { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM directory WHERE type IN ('Case', 'Opportunity') AND accountId = ? ORDER BY lastModified DESC LIMIT 40
                """, arguments: [accountId])
            return try Self.hydrate(ids, db: db).sorted { $0.lastModified > $1.lastModified }
        }
    }

    public func updateRecord(_ entity: EntityRef, fields: [String: String]) async throws {
        guard let allowed = Self.updatableFields[entity.type] else {
            throw RecordUpdateError(code: "INVALID_TYPE", message: "\(entity.type.rawValue) records can't be updated after a call")
        }
        for (field, value) in fields {
            guard let restriction = allowed[field] else {
                throw RecordUpdateError(code: "INVALID_FIELD", message: "No such column '\(field)' on entity '\(entity.type.rawValue)'", fields: [field])
            }
            if let values = restriction, !values.contains(value) {
                throw RecordUpdateError(code: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", message: "bad value for restricted picklist field: \(value)", fields: [field])
            }
        }
        let now = Date()
        let exists = try database.read("reading \(entity.id)") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory WHERE id = ?", arguments: [entity.id]) == 1
        }
        guard exists else { throw RecordUpdateError(code: "ENTITY_IS_DELETED", message: "entity is deleted") }
        try database.write("updating \(entity.id)") { db in
            for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO recordUpdate (recordId, field, value, at) VALUES (?, ?, ?, ?)", arguments: [entity.id, field, value, now])
            }
            try db.execute(sql: "UPDATE directory SET lastModified = ? WHERE id = ?", arguments: [now, entity.id])
        }
    }

    /// The latest value of each field updated on a record after calls.
    public func updates(of id: String) throws -> [String: String] {
        try database.read("reading record updates") { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT field, value FROM recordUpdate WHERE recordId = ? ORDER BY id", arguments: [id]) {
                out[row["field"]] = row["value"]
            }
            return out
        }
    }

    func accountOf(_ id: String) throws -> String? {
        try database.read("reading a contact's account") { db in
            try String.fetchOne(db, sql: "SELECT accountId FROM directory WHERE id = ?", arguments: [id])
        }
    }
}
