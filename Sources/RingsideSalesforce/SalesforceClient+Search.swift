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
        let schema = try await orgSchema()
        guard let sosl = Self.searchSOSL(for: trimmed, schema: schema, personAccounts: usesPersonAccounts(schema),
                                         region: settings.defaultRegion, internalDigits: settings.internalNumberDigits)
        else { return [] }
        let value = try await send(.get, dataPath("/search/"), query: [("q", sosl)], operation: "search")
        let instance = try await instanceURL()
        return try Self.searchRecords(value, operation: "search").compactMap {
            RecordMapping.record($0, instanceURL: instance, region: settings.defaultRegion,
                                 internalDigits: settings.internalNumberDigits, phoneFields: schema.allPhoneFields)
        }
    }

    /// A record ID or Salesforce record link in the text, if that is all it is.
    static func pastedID(_ text: String) -> SalesforceID? {
        if text.contains("://") { return try? SalesforceID.fromRecordURL(text) }
        guard text.count == 15 || text.count == 18, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              text.contains(where: \.isNumber) else { return nil }
        return try? SalesforceID(text)
    }

    /// The SOSL for free text (pure); nil when nothing searchable (< 2 characters) remains or the user can
    /// see none of the objects. A phone number is searched in every form the caller lookup uses (E.164 digits,
    /// national, national significant), so `07814 256404` finds `+447814256404`; other digit strings (case
    /// numbers) as typed. Objects and phone fields come from describe.
    static func searchSOSL(for text: String, schema: OrgSchema, personAccounts: Bool, region: PhoneRegion,
                           internalDigits: Int) -> String? {
        let digits = text.filter(\.isNumber)
        let isNumber = !digits.isEmpty && text.allSatisfy { $0.isNumber || " +-().".contains($0) }
        let term: String
        if isNumber {
            if let number = try? PhoneNumber.parse(text, defaultRegion: region, internalNumberDigits: internalDigits),
               number.kind == .external, !number.isInternal {
                var variants = searchVariants(for: number, region: region)
                if !variants.contains(String(digits)) { variants.append(String(digits)) }
                term = variants.map(SalesforceEscaping.soslTerm).joined(separator: " OR ")
            } else {
                term = SalesforceEscaping.soslTerm(String(digits))
            }
        } else {
            term = SalesforceEscaping.soslFreeText(text)
        }
        let letters = term.filter { $0.isLetter || $0.isNumber }
        guard letters.count >= 2 else { return nil }
        let scope = isNumber ? "ALL" : "NAME"
        let tail = ["Owner.Name", "LastModifiedDate"]
        var returning: [String] = []
        func add(_ object: String, _ wanted: [String], where condition: String? = nil) {
            guard schema.isVisible(object) else { return }
            let fields = schema.existing(object, wanted)
            guard fields.contains("Id") else { return }
            let filter = condition.map { " WHERE \($0)" } ?? ""
            returning.append("\(object)(\(fields.joined(separator: ", "))\(filter))")
        }
        add("Contact", ["Id", "Name", "AccountId", "Account.Name"] + schema.phoneFields(of: "Contact", personAccounts: personAccounts) + tail)
        add("Account", ["Id", "Name"] + schema.phoneFields(of: "Account", personAccounts: personAccounts)
            + (personAccounts ? ["IsPersonAccount"] : []) + tail)
        add("Lead", ["Id", "Name", "Company"] + schema.phoneFields(of: "Lead", personAccounts: personAccounts) + tail,
            where: schema.has("Lead", "IsConverted") ? "IsConverted = false" : nil)
        add("Case", ["Id", "CaseNumber", "Subject", "AccountId", "Account.Name"] + tail)
        add("Opportunity", ["Id", "Name", "AccountId", "Account.Name"] + tail)
        guard !returning.isEmpty else { return nil }
        return "FIND {\(term)} IN \(scope) FIELDS RETURNING " + returning.joined(separator: ", ")
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
