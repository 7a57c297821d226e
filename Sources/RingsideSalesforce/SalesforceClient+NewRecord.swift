import Foundation
import RingsideCore

/// The **New** action: create a record of the configured entity pre-filled with the caller's number.
extension SalesforceClient {
    public func createRecord(_ type: EntityType, number: PhoneNumber, name: String?) async throws -> CRMRecord {
        try await createRecordTyped(type, number: number, name: name)
    }

    /// Creates a record of the default New entity (`settings.defaultNewEntity`).
    public func createNewRecord(number: PhoneNumber, name: String?) async throws(SalesforceError) -> CRMRecord {
        try await createRecordTyped(settings.defaultNewEntity, number: number, name: name)
    }

    /// `createRecord` with its typed error.
    public func createRecordTyped(_ type: EntityType, number: PhoneNumber, name: String?) async throws(SalesforceError) -> CRMRecord {
        let schema = try await orgSchema()
        guard schema.isVisible(type) else {
            throw .unsupported("creating a \(type.rawValue): your Salesforce profile cannot see \(type.rawValue) records; set crm.default_new_entity to one it can create, or ask an admin for access")
        }
        let fields = try Self.newRecordFields(type, number: number, name: name, region: settings.defaultRegion)
        let value = try await send(.post, dataPath("/sobjects/\(type.rawValue)/"), body: .object(fields),
                                   operation: "create \(type.rawValue)")
        guard let id = value["id"]?.stringValue, !id.isEmpty else {
            throw .malformedResponse(status: 201, operation: "create \(type.rawValue)", reason: "no id in the create response",
                                     processed: true)
        }
        let instance = try await instanceURL()
        let displayName: String
        switch type {
        case .contact, .lead:
            displayName = [fields["FirstName"]?.stringValue, fields["LastName"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        case .account:
            displayName = fields["Name"]?.stringValue ?? id
        case .caseRecord:
            displayName = fields["Subject"]?.stringValue ?? id
        case .opportunity:
            displayName = id
        }
        let phoneField = type == .caseRecord ? "SuppliedPhone" : "Phone"
        return CRMRecord(type: type, id: id, name: displayName,
                         accountName: type == .lead ? fields["Company"]?.stringValue : nil,
                         phones: [PhoneField(field: phoneField, raw: fields[phoneField]?.stringValue ?? number.e164, e164: number.e164)],
                         lastModified: Date(), url: RecordMapping.recordURL(instanceURL: instance, type: type.rawValue, id: id))
    }

    /// Fields for a New record (pure). Lead: LastName (the name or "Unknown caller") and Company
    /// (required; the formatted number); Contact: LastName; Account: Name; Case: Subject and
    /// SuppliedPhone. A name with spaces fills FirstName + LastName for people.
    static func newRecordFields(_ type: EntityType, number: PhoneNumber, name: String?,
                                region: PhoneRegion) throws(SalesforceError) -> [String: JSONValue] {
        let formatted = number.formatted(relativeTo: region)
        let cleanName = name.map { $0.trimmed(of: " \t\r\n") }.flatMap { $0.isEmpty ? nil : $0 }
        func person() -> [String: JSONValue] {
            guard let cleanName else { return ["LastName": "Unknown caller"] }
            let words = cleanName.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count > 1 else { return ["LastName": .string(cleanName)] }
            return ["FirstName": .string(String(words[0])), "LastName": .string(words.dropFirst().joined(separator: " "))]
        }
        switch type {
        case .lead:
            var fields = person()
            fields["Company"] = .string(formatted)
            fields["Phone"] = .string(formatted)
            return fields
        case .contact:
            var fields = person()
            fields["Phone"] = .string(formatted)
            return fields
        case .account:
            return ["Name": .string(cleanName ?? formatted), "Phone": .string(formatted)]
        case .caseRecord:
            return ["Subject": .string("Call from \(formatted)" + (cleanName.map { " (\($0))" } ?? "")),
                    "SuppliedPhone": .string(formatted), "Origin": "Phone"]
        case .opportunity:
            throw .unsupported("creating an Opportunity from a call (it needs a stage and close date); set the New entity to Lead, Contact, Account or Case")
        }
    }
}
