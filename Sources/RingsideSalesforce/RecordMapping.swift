import Foundation
import RingsideCore

/// Maps Salesforce record JSON (from SOSL, SOQL or sObject GET) to `CRMRecord`.
enum RecordMapping {
    /// Phone fields Ringside reads, in display order.
    static let phoneFields = [
        "Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone",
        "PersonMobilePhone", "PersonHomePhone", "PersonOtherPhone", "PersonAssistantPhone", "SuppliedPhone",
    ]

    /// The record, or nil when it is not an entity Ringside knows or has no Id.
    /// - Parameter phoneFields: more phone fields to read (custom ones from describe), after the standard ones.
    static func record(_ json: JSONValue, typeHint: EntityType? = nil, instanceURL: String, region: PhoneRegion,
                       internalDigits: Int, phoneFields: [String]? = nil) -> CRMRecord? {
        let typeName = json["attributes"]?["type"]?.stringValue
        guard let type = typeName.flatMap(EntityType.init(rawValue:)) ?? typeHint,
              let id = json["Id"]?.stringValue, !id.isEmpty else { return nil }
        let name: String
        switch type {
        case .caseRecord:
            name = [json["CaseNumber"]?.stringValue, json["Subject"]?.stringValue].compactMap { $0 }
                .filter { !$0.isEmpty }.joined(separator: " ")
        case .contact, .account, .lead, .opportunity:
            name = json["Name"]?.stringValue
                ?? [json["FirstName"]?.stringValue, json["LastName"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        }
        var accountId: String?
        var accountName: String?
        switch type {
        case .contact, .caseRecord, .opportunity:
            accountId = json["AccountId"]?.stringValue
            accountName = json["Account"]?["Name"]?.stringValue
        case .lead:
            accountName = json["Company"]?.stringValue
        case .account:
            break
        }
        let fields = Self.phoneFields + (phoneFields ?? []).filter { !Self.phoneFields.contains($0) }
        let phones = fields.compactMap { field -> PhoneField? in
            guard let raw = json[field]?.stringValue, !raw.trimmed(of: " ").isEmpty else { return nil }
            let parsed = try? PhoneNumber.parse(raw, defaultRegion: region, internalNumberDigits: internalDigits)
            return PhoneField(field: field, raw: raw, e164: parsed?.e164)
        }
        let modified = json["LastModifiedDate"]?.stringValue.flatMap(SalesforceDateTime.parse) ?? Date(timeIntervalSince1970: 0)
        return CRMRecord(type: type, id: id, name: name.isEmpty ? id : name, accountId: accountId, accountName: accountName,
                         phones: phones, owner: json["Owner"]?["Name"]?.stringValue, lastModified: modified,
                         isPersonAccount: json["IsPersonAccount"]?.boolValue ?? false,
                         url: recordURL(instanceURL: instanceURL, type: type.rawValue, id: id))
    }

    /// `instance/lightning/r/Type/Id/view`.
    static func recordURL(instanceURL: String, type: String, id: String) -> String {
        "\(instanceURL)/lightning/r/\(type)/\(id)/view"
    }
}
