import Foundation
import RingsideCore

/// "Related to": open Cases and Opportunities of the caller's account, and post-call updates (seed 003).
extension SalesforceClient {
    /// Two small SOQL queries (open Cases, open Opportunities) on the account of `entity`; newest first.
    /// A Contact without a known account costs one more query to find it; Leads have no related work.
    /// Objects the user cannot see (from describe) are not queried.
    public func relatedWork(for entity: EntityRef) async throws -> [CRMRecord] {
        let accountId: String
        switch entity.type {
        case .account:
            accountId = entity.id
        case .contact:
            if let known = entity.accountId {
                accountId = known
            } else {
                let result = try await query("SELECT AccountId FROM Contact WHERE Id = \(SalesforceEscaping.soqlQuoted(entity.id)) LIMIT 1")
                guard let found = result.records.first?["AccountId"]?.stringValue else { return [] }
                accountId = found
            }
        case .lead, .caseRecord, .opportunity:
            return []
        }
        let schema = try await orgSchema()
        let account = SalesforceEscaping.soqlQuoted(accountId)
        let cases = !schema.isVisible(.caseRecord) ? QueryResult(totalSize: 0, records: [], pages: 0) : try await query("""
            SELECT Id, CaseNumber, Subject, Status, AccountId, LastModifiedDate FROM Case \
            WHERE AccountId = \(account) AND Status != 'Closed' ORDER BY LastModifiedDate DESC LIMIT 20
            """)
        let opportunities = !schema.isVisible(.opportunity) ? QueryResult(totalSize: 0, records: [], pages: 0) : try await query("""
            SELECT Id, Name, StageName, AccountId, LastModifiedDate FROM Opportunity \
            WHERE AccountId = \(account) AND StageName != 'Closed Won' AND StageName != 'Closed Lost' \
            ORDER BY LastModifiedDate DESC LIMIT 20
            """)
        let base = settings.instanceURL ?? ""
        func record(_ json: JSONValue, type: EntityType, name: String) -> CRMRecord? {
            guard let id = json["Id"]?.stringValue else { return nil }
            let modified = json["LastModifiedDate"]?.stringValue.flatMap(SalesforceDateTime.parse) ?? Date(timeIntervalSince1970: 0)
            return CRMRecord(type: type, id: id, name: name, accountId: accountId, lastModified: modified,
                             url: base.isEmpty ? nil : "\(base)/lightning/r/\(type.rawValue)/\(id)/view")
        }
        let caseRecords = cases.records.compactMap { json in
            record(json, type: .caseRecord, name: [json["CaseNumber"]?.stringValue, json["Subject"]?.stringValue]
                .compactMap { $0 }.joined(separator: " "))
        }
        let opportunityRecords = opportunities.records.compactMap { json in
            record(json, type: .opportunity, name: json["Name"]?.stringValue ?? "Opportunity")
        }
        return (caseRecords + opportunityRecords).sorted { $0.lastModified > $1.lastModified }
    }

    /// PATCHes the fields; Salesforce's validation errors come back as `RecordUpdateError` with its message.
    public func updateRecord(_ entity: EntityRef, fields: [String: String]) async throws {
        do {
            try await update(type: entity.type.rawValue, id: entity.id, fields: fields.mapValues { JSONValue.string($0) })
        } catch {
            if case .api(_, let errors, _) = error, let first = errors.first {
                throw RecordUpdateError(code: first.errorCode, message: first.message, fields: first.fields)
            }
            throw RecordUpdateError(code: error.errorCode ?? "ERROR", message: error.description)
        }
    }
}
