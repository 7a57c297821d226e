import Foundation
import RingsideCore

/// Free-text search for the agent (by name, number, case number), and pasted IDs/record links.
extension SalesforceClient {
    public func search(_ text: String) async throws -> [CRMRecord] {
        try await searchTyped(text)
    }

    /// `search` with its typed error. A pasted 15/18-character ID or record URL of a known
    /// entity is fetched directly; other text runs one SOSL search (`IN NAME FIELDS`, or
    /// `IN ALL FIELDS` when the text is a number).
    public func searchTyped(_ text: String) async throws(SalesforceError) -> [CRMRecord] {
        let trimmed = text.trimmed(of: " \t\r\n")
        if let id = Self.pastedID(trimmed), let type = id.entityType {
            return try await fetch(type, id: id.rawValue).map { [$0] } ?? []
        }
        guard let sosl = Self.searchSOSL(for: trimmed) else { return [] }
        let value = try await send(.get, dataPath("/search/"), query: [("q", sosl)], operation: "search")
        let instance = try await instanceURL()
        return try Self.searchRecords(value, operation: "search").compactMap {
            RecordMapping.record($0, instanceURL: instance, region: settings.defaultRegion,
                                 internalDigits: settings.internalNumberDigits)
        }
    }

    /// A record ID or Salesforce record link in the text, if that is all it is.
    static func pastedID(_ text: String) -> SalesforceID? {
        if text.contains("://") { return try? SalesforceID.fromRecordURL(text) }
        guard text.count == 15 || text.count == 18, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              text.contains(where: \.isNumber) else { return nil }
        return try? SalesforceID(text)
    }

    /// The SOSL for free text; nil when nothing searchable (< 2 characters) remains.
    static func searchSOSL(for text: String) -> String? {
        let digits = text.filter(\.isNumber)
        let isNumber = !digits.isEmpty && text.allSatisfy { $0.isNumber || " +-().".contains($0) }
        let term: String
        if isNumber {
            term = SalesforceEscaping.soslTerm(String(digits))
        } else {
            term = SalesforceEscaping.soslFreeText(text)
        }
        let letters = term.filter { $0.isLetter || $0.isNumber }
        guard letters.count >= 2 else { return nil }
        let scope = isNumber ? "ALL" : "NAME"
        return "FIND {\(term)} IN \(scope) FIELDS RETURNING "
            + "Contact(Id, Name, AccountId, Account.Name, Phone, MobilePhone, Owner.Name, LastModifiedDate), "
            + "Account(Id, Name, Phone, Owner.Name, LastModifiedDate), "
            + "Lead(Id, Name, Company, Phone, MobilePhone, Owner.Name, LastModifiedDate WHERE IsConverted = false), "
            + "Case(Id, CaseNumber, Subject, AccountId, Account.Name, Owner.Name, LastModifiedDate), "
            + "Opportunity(Id, Name, AccountId, Account.Name, Owner.Name, LastModifiedDate)"
    }

    /// `GET /sobjects/Type/Id`; nil when the record does not exist (404).
    func fetch(_ type: EntityType, id: String) async throws(SalesforceError) -> CRMRecord? {
        let value: JSONValue
        do {
            value = try await send(.get, dataPath("/sobjects/\(type.rawValue)/\(id)"), operation: "GET \(type.rawValue)")
        } catch {
            if error.status == 404 { return nil }
            throw error
        }
        let instance = try await instanceURL()
        guard let record = RecordMapping.record(value, typeHint: type, instanceURL: instance, region: settings.defaultRegion,
                                                internalDigits: settings.internalNumberDigits) else {
            throw .malformedResponse(status: 200, operation: "GET \(type.rawValue)", reason: "the record has no Id", processed: false)
        }
        return record
    }
}
