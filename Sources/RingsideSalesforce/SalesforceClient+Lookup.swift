import Foundation
import RingsideCore

/// Caller lookup: one SOSL request over the phone fields of the searched entities,
/// post-filtered by normalised-number equality.
extension SalesforceClient {
    /// Every searched record with a phone field equal to `number` (E.164 comparison).
    /// Internal numbers are not looked up (no request).
    public func lookup(_ number: PhoneNumber) async throws -> LookupResult {
        try await lookupTyped(number)
    }

    /// `lookup` with its typed error.
    public func lookupTyped(_ number: PhoneNumber) async throws(SalesforceError) -> LookupResult {
        guard !number.isInternal, number.kind == .external else { return LookupResult(candidates: [], source: .skipped) }
        let entities = lookupEntities
        guard !entities.isEmpty else { return LookupResult(candidates: [], source: .skipped) }
        let schema = try await orgSchema()
        guard let sosl = Self.lookupSOSL(for: number, entities: entities, schema: schema,
                                         personAccounts: usesPersonAccounts(schema), region: settings.defaultRegion) else {
            return LookupResult(candidates: [], source: .skipped)
        }
        let value = try await send(.get, dataPath("/search/"), query: [("q", sosl)], operation: "caller lookup")
        let instance = try await instanceURL()
        let records = try Self.searchRecords(value, operation: "caller lookup")
        let mapped = records.compactMap {
            RecordMapping.record($0, instanceURL: instance, region: settings.defaultRegion,
                                 internalDigits: settings.internalNumberDigits, phoneFields: schema.allPhoneFields)
        }
        return LookupResult(candidates: Self.matching(mapped, number: number, personContactIds: Self.personContactIds(records)),
                            source: .live)
    }

    /// Contact, Account and Lead from the settings, in their configured order.
    var lookupEntities: [EntityType] {
        var seen = Set<EntityType>()
        return settings.searchedEntities.filter { [.contact, .account, .lead].contains($0) && seen.insert($0).inserted }
    }

    /// The digit strings searched for a number: E.164 digits, the national dialled form and the
    /// national significant number (`447814256404 OR 07814256404 OR 7814256404`), so records
    /// stored in either international or national format are found.
    static func searchVariants(for number: PhoneNumber, region: PhoneRegion) -> [String] {
        let e164Digits = String(number.e164.filter(\.isNumber))
        let compact = String(number.compact(relativeTo: region).filter(\.isNumber))
        var out: [String] = []
        for v in [e164Digits, compact, number.nationalNumber] where v.count >= 2 && !out.contains(v) { out.append(v) }
        return out
    }

    /// The SOSL sent for a lookup (pure; unit-tested): only objects the user can see, every phone field
    /// describe reported, and Person Account fields only when the org has them. Nil when nothing is searchable.
    static func lookupSOSL(for number: PhoneNumber, entities: [EntityType], schema: OrgSchema, personAccounts: Bool,
                           region: PhoneRegion) -> String? {
        let term = searchVariants(for: number, region: region).map(SalesforceEscaping.soslTerm).joined(separator: " OR ")
        let returning = entities.compactMap { entity -> String? in
            guard schema.isVisible(entity) else { return nil }
            let object = entity.rawValue
            let phones = schema.phoneFields(of: object, personAccounts: personAccounts)
            guard !phones.isEmpty else { return nil }
            let tail = ["Owner.Name", "LastModifiedDate"]
            switch entity {
            case .contact:
                let fields = schema.existing(object, ["Id", "Name", "AccountId", "Account.Name"] + phones + tail)
                return "Contact(\(fields.joined(separator: ", ")))"
            case .account:
                let person = personAccounts ? ["IsPersonAccount", "PersonContactId"] : []
                let fields = schema.existing(object, ["Id", "Name"] + phones + person + tail)
                return "Account(\(fields.joined(separator: ", ")))"
            case .lead:
                let fields = schema.existing(object, ["Id", "Name", "Company"] + phones + tail)
                let open = schema.has(object, "IsConverted") ? " WHERE IsConverted = false" : ""
                return "Lead(\(fields.joined(separator: ", "))\(open))"
            case .caseRecord, .opportunity:
                return nil
            }
        }
        guard !returning.isEmpty else { return nil }
        return "FIND {\(term)} IN PHONE FIELDS RETURNING " + returning.joined(separator: ", ")
    }

    /// `searchRecords` of a search response (also accepts the pre-v37 bare array).
    static func searchRecords(_ value: JSONValue, operation: String) throws(SalesforceError) -> [JSONValue] {
        if let list = value["searchRecords"]?.arrayValue ?? value.arrayValue { return list }
        throw .malformedResponse(status: 200, operation: operation, reason: "no searchRecords in the search response",
                                 processed: false)
    }

    /// `PersonContactId`s of person accounts in a result: their hidden Contacts are the same person.
    static func personContactIds(_ records: [JSONValue]) -> Set<String> {
        Set(records.compactMap { r -> String? in
            guard r["attributes"]?["type"]?.stringValue == "Account", r["IsPersonAccount"]?.boolValue == true else { return nil }
            return r["PersonContactId"]?.stringValue
        })
    }

    /// Keeps records with a phone field whose normalised form equals `number`, dropping SOSL's
    /// token matches of other numbers and the Contact twin of a matched person account.
    static func matching(_ records: [CRMRecord], number: PhoneNumber, personContactIds: Set<String> = []) -> [CRMRecord] {
        var seen = Set<String>()
        return records.filter { record in
            guard record.phones.contains(where: { $0.e164 == number.e164 }) else { return false }
            if record.type == .contact, personContactIds.contains(record.id) { return false }
            return seen.insert(record.id).inserted
        }
    }
}
