/// Field and object metadata for the sObjects the emulator knows.

enum FieldType: String, Sendable {
    case id, string, textarea, picklist, combobox, reference, boolean, int, double, currency
    case date, datetime, phone, email, url

    /// Whether SOSL `IN PHONE FIELDS` searches this type.
    var isPhone: Bool {
        switch self {
        case .phone: return true
        case .id, .string, .textarea, .picklist, .combobox, .reference, .boolean, .int, .double,
            .currency, .date, .datetime, .email, .url:
            return false
        }
    }

    var isText: Bool {
        switch self {
        case .string, .textarea, .picklist, .combobox, .phone, .email, .url: return true
        case .id, .reference, .boolean, .int, .double, .currency, .date, .datetime: return false
        }
    }

    var soapType: String {
        switch self {
        case .id, .reference: return "tns:ID"
        case .string, .textarea, .picklist, .combobox, .phone, .email, .url: return "xsd:string"
        case .boolean: return "xsd:boolean"
        case .int: return "xsd:int"
        case .double, .currency: return "xsd:double"
        case .date: return "xsd:date"
        case .datetime: return "xsd:dateTime"
        }
    }
}

struct FieldDef: Sendable {
    var name: String
    var type: FieldType
    var label: String
    var length: Int = 0
    var picklist: [String] = []
    var restricted = false
    var referenceTo: [String] = []
    /// Relationship name for references (`Account` for `AccountId`, `Who` for `WhoId`).
    var relationshipName: String? = nil
    var createable = true
    var updateable = true
    var nillable = true
    var defaultValue: EmulatorJSON? = nil
    /// An External ID field: usable in upserts (`/sobjects/T/{field}/{value}`).
    var externalId = false
    /// No two records may hold the same value (DUPLICATE_VALUE).
    var unique = false
    var custom: Bool { name.hasSuffix("__c") }
}

struct ObjectDef: Sendable {
    var name: String
    var keyPrefix: String
    var label: String
    var fields: [FieldDef]
    var required: [String] = []
    /// Fields composing `Name` when it is derived (Contact, Lead).
    var derivedName: Bool = false
    var searchable = true
}

// MARK: - Field helpers

private func str(_ name: String, _ label: String, _ length: Int = 255) -> FieldDef {
    FieldDef(name: name, type: .string, label: label, length: length)
}
private func phone(_ name: String, _ label: String) -> FieldDef {
    FieldDef(name: name, type: .phone, label: label, length: 40)
}
private func ref(_ name: String, _ label: String, to: [String], rel: String, createable: Bool = true) -> FieldDef {
    FieldDef(name: name, type: .reference, label: label, length: 18, referenceTo: to, relationshipName: rel,
             createable: createable, updateable: createable)
}
private func flag(_ name: String, _ label: String, default value: Bool = false, readOnly: Bool = false) -> FieldDef {
    FieldDef(name: name, type: .boolean, label: label, createable: !readOnly, updateable: !readOnly,
             nillable: false, defaultValue: .bool(value))
}
private func readOnly(_ field: FieldDef) -> FieldDef {
    var f = field
    f.createable = false
    f.updateable = false
    return f
}

private let systemFields: [FieldDef] = [
    readOnly(FieldDef(name: "Id", type: .id, label: "Record ID", length: 18, nillable: false)),
    readOnly(flag("IsDeleted", "Deleted")),
    readOnly(FieldDef(name: "CreatedDate", type: .datetime, label: "Created Date", nillable: false)),
    readOnly(ref("CreatedById", "Created By ID", to: ["User"], rel: "CreatedBy")),
    readOnly(FieldDef(name: "LastModifiedDate", type: .datetime, label: "Last Modified Date", nillable: false)),
    readOnly(ref("LastModifiedById", "Last Modified By ID", to: ["User"], rel: "LastModifiedBy")),
    readOnly(FieldDef(name: "SystemModstamp", type: .datetime, label: "System Modstamp", nillable: false)),
]

private let owner = ref("OwnerId", "Owner ID", to: ["User"], rel: "Owner")

// MARK: - Standard objects

enum StandardSchema {
    static let taskStatuses = ["Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"]

    static let task = ObjectDef(
        name: "Task", keyPrefix: "00T", label: "Task",
        fields: systemFields + [
            FieldDef(name: "Subject", type: .combobox, label: "Subject", length: 255,
                     picklist: ["Call", "Send Letter", "Send Quote", "Other"]),
            FieldDef(name: "Description", type: .textarea, label: "Comments", length: 32000),
            FieldDef(name: "ActivityDate", type: .date, label: "Due Date Only"),
            FieldDef(name: "Status", type: .picklist, label: "Status", length: 40, picklist: taskStatuses,
                     restricted: true, nillable: false, defaultValue: "Not Started"),
            FieldDef(name: "Priority", type: .picklist, label: "Priority", length: 40,
                     picklist: ["High", "Normal", "Low"], nillable: false, defaultValue: "Normal"),
            owner,
            FieldDef(name: "TaskSubtype", type: .picklist, label: "Task Subtype", length: 40,
                     picklist: ["Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"], restricted: true,
                     updateable: false, defaultValue: "Task"),
            FieldDef(name: "CallType", type: .picklist, label: "Call Type", length: 40,
                     picklist: ["Inbound", "Outbound", "Internal"], restricted: true),
            FieldDef(name: "CallDurationInSeconds", type: .int, label: "Call Duration"),
            str("CallDisposition", "Call Result"),
            str("CallObject", "Call Object Identifier"),
            ref("WhoId", "Name ID", to: ["Contact", "Lead"], rel: "Who"),
            ref("WhatId", "Related To ID", to: ["Account", "Opportunity", "Case"], rel: "What"),
            readOnly(ref("AccountId", "Account ID", to: ["Account"], rel: "Account")),
            readOnly(flag("IsClosed", "Closed")),
        ],
        searchable: false)

    static let contact = ObjectDef(
        name: "Contact", keyPrefix: "003", label: "Contact",
        fields: systemFields + [
            str("FirstName", "First Name", 40), str("LastName", "Last Name", 80),
            readOnly(str("Name", "Full Name", 121)), str("Salutation", "Salutation", 40), str("Title", "Title", 128),
            ref("AccountId", "Account ID", to: ["Account"], rel: "Account"), owner,
            phone("Phone", "Business Phone"), phone("MobilePhone", "Mobile Phone"), phone("HomePhone", "Home Phone"),
            phone("OtherPhone", "Other Phone"), phone("AssistantPhone", "Asst. Phone"), phone("Fax", "Business Fax"),
            FieldDef(name: "Email", type: .email, label: "Email", length: 80),
            str("Department", "Department", 80), str("MailingCity", "Mailing City", 40),
            readOnly(flag("IsPersonAccount", "Is Person Account")),
        ],
        required: ["LastName"], derivedName: true)

    static let account = ObjectDef(
        name: "Account", keyPrefix: "001", label: "Account",
        fields: systemFields + [
            str("Name", "Account Name"), str("Type", "Account Type", 40), str("Industry", "Industry", 40),
            phone("Phone", "Account Phone"), phone("Fax", "Account Fax"),
            FieldDef(name: "Website", type: .url, label: "Website", length: 255),
            str("BillingCity", "Billing City", 40), str("AccountNumber", "Account Number", 40), owner,
            str("FirstName", "First Name", 40), str("LastName", "Last Name", 80),
            readOnly(flag("IsPersonAccount", "Is Person Account")),
            readOnly(ref("PersonContactId", "Person Contact ID", to: ["Contact"], rel: "PersonContact")),
            phone("PersonMobilePhone", "Mobile"), phone("PersonHomePhone", "Home Phone"),
            phone("PersonOtherPhone", "Other Phone"), phone("PersonAssistantPhone", "Asst. Phone"),
            FieldDef(name: "PersonEmail", type: .email, label: "Email", length: 80),
        ],
        required: ["Name"])

    static let lead = ObjectDef(
        name: "Lead", keyPrefix: "00Q", label: "Lead",
        fields: systemFields + [
            str("FirstName", "First Name", 40), str("LastName", "Last Name", 80),
            readOnly(str("Name", "Full Name", 121)), str("Company", "Company"), str("Title", "Title", 128),
            phone("Phone", "Phone"), phone("MobilePhone", "Mobile Phone"), phone("Fax", "Fax"),
            FieldDef(name: "Email", type: .email, label: "Email", length: 80),
            FieldDef(name: "Status", type: .picklist, label: "Status", length: 40,
                     picklist: ["Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                                "Closed - Not Converted"], defaultValue: "Open - Not Contacted"),
            str("LeadSource", "Lead Source", 40), owner,
            readOnly(flag("IsConverted", "Converted")),
            readOnly(ref("ConvertedContactId", "Converted Contact ID", to: ["Contact"], rel: "ConvertedContact")),
            readOnly(ref("ConvertedAccountId", "Converted Account ID", to: ["Account"], rel: "ConvertedAccount")),
        ],
        required: ["LastName", "Company"], derivedName: true)

    static let caseObject = ObjectDef(
        name: "Case", keyPrefix: "500", label: "Case",
        fields: systemFields + [
            readOnly(str("CaseNumber", "Case Number", 30)), str("Subject", "Subject"),
            FieldDef(name: "Description", type: .textarea, label: "Description", length: 32000),
            FieldDef(name: "Status", type: .picklist, label: "Status", length: 40,
                     picklist: ["New", "Working", "Escalated", "Closed"], defaultValue: "New"),
            FieldDef(name: "Priority", type: .picklist, label: "Priority", length: 40,
                     picklist: ["High", "Medium", "Low"], defaultValue: "Medium"),
            FieldDef(name: "Origin", type: .picklist, label: "Case Origin", length: 40,
                     picklist: ["Phone", "Email", "Web"]),
            ref("ContactId", "Contact ID", to: ["Contact"], rel: "Contact"),
            ref("AccountId", "Account ID", to: ["Account"], rel: "Account"), owner,
            phone("ContactPhone", "Contact Phone"),
            // Web-to-Case / Email-to-Case: what the customer typed in.
            str("SuppliedName", "Name", 80), phone("SuppliedPhone", "Phone"),
            FieldDef(name: "SuppliedEmail", type: .email, label: "Email", length: 80),
            str("SuppliedCompany", "Company", 80),
            readOnly(flag("IsClosed", "Closed")),
        ])

    static let opportunity = ObjectDef(
        name: "Opportunity", keyPrefix: "006", label: "Opportunity",
        fields: systemFields + [
            str("Name", "Name", 120),
            ref("AccountId", "Account ID", to: ["Account"], rel: "Account"),
            FieldDef(name: "StageName", type: .picklist, label: "Stage", length: 255,
                     picklist: ["Prospecting", "Qualification", "Negotiation/Review", "Closed Won", "Closed Lost"]),
            FieldDef(name: "Amount", type: .currency, label: "Amount"),
            str("NextStep", "Next Step", 255),
            FieldDef(name: "Description", type: .textarea, label: "Description", length: 32000),
            FieldDef(name: "CloseDate", type: .date, label: "Close Date", nillable: false), owner,
            readOnly(flag("IsClosed", "Closed")), readOnly(flag("IsWon", "Won")),
        ],
        required: ["Name", "StageName", "CloseDate"])

    static let user = ObjectDef(
        name: "User", keyPrefix: "005", label: "User",
        fields: systemFields + [
            str("Username", "Username", 80), str("Name", "Full Name", 121), str("FirstName", "First Name", 40),
            str("LastName", "Last Name", 80), FieldDef(name: "Email", type: .email, label: "Email", length: 128),
            FieldDef(name: "TimeZoneSidKey", type: .picklist, label: "Time Zone", length: 40, nillable: false),
            FieldDef(name: "LocaleSidKey", type: .picklist, label: "Locale", length: 40, nillable: false),
            FieldDef(name: "LanguageLocaleKey", type: .picklist, label: "Language", length: 40, nillable: false),
            flag("IsActive", "Active", default: true),
        ],
        searchable: false)

    static let all: [ObjectDef] = [account, contact, lead, caseObject, opportunity, task, user]

    /// The org option `callIdField`: Task's `Ringside_Call_Id__c`, Text(64), External ID, Unique.
    static let callIdField = FieldDef(name: "Ringside_Call_Id__c", type: .string, label: "Ringside Call Id", length: 64,
                                      externalId: true, unique: true)

    /// Person Account fields (present only in orgs with Person Accounts enabled).
    static func isPersonAccountField(_ name: String, object: String) -> Bool {
        switch object {
        case "Account": return name == "IsPersonAccount" || name == "PersonContactId" || name.hasPrefix("Person")
            || name == "FirstName" || name == "LastName"
        case "Contact": return name == "IsPersonAccount"
        default: return false
        }
    }

    /// `def` as this org has it: without Person Account fields when they are off, with custom phone
    /// fields added, and fields without field-level edit access made read-only.
    static func shaped(_ def: ObjectDef, org: EmulatorSeed.Org) -> ObjectDef {
        var out = def
        if !org.personAccounts { out.fields.removeAll { isPersonAccountField($0.name, object: def.name) } }
        for name in org.customPhoneFields.first(where: { $0.key.lowercased() == def.name.lowercased() })?.value ?? [] {
            out.fields.append(FieldDef(name: name, type: .phone, label: name.replacingOccurrences(of: "__c", with: ""), length: 40))
        }
        let locked = Set(org.readOnlyFields.first(where: { $0.key.lowercased() == def.name.lowercased() })?.value ?? [])
        for i in out.fields.indices where locked.contains(out.fields[i].name) {
            out.fields[i].createable = false
            out.fields[i].updateable = false
        }
        return out
    }

    /// A schema for a platform event `Foo__e` (key prefix e00): created (published) only; its `__c` fields are
    /// accepted as sent.
    static func platformEvent(_ name: String) -> ObjectDef {
        ObjectDef(name: name, keyPrefix: "e00", label: String(name.dropLast(3)).replacingOccurrences(of: "_", with: " "),
                  fields: systemFields)
    }

    /// A schema for a custom object `Foo__c` (key prefix a0X).
    static func custom(_ name: String) -> ObjectDef {
        ObjectDef(name: name, keyPrefix: "a0X", label: String(name.dropLast(3)).replacingOccurrences(of: "_", with: " "),
                  fields: systemFields + [str("Name", "Name", 80), owner])
    }
}
