import Foundation

/// Salesforce-like validation of record writes. Returns the canonicalised field values.
struct RecordValidator {
    let store: RecordStore

    enum Operation { case create, update }

    func validate(_ input: EmulatorRecord, table: Table, op: Operation, existing: EmulatorRecord? = nil) throws -> EmulatorRecord {
        var out: EmulatorRecord = [:]
        for (name, value) in input where name != "attributes" {
            if let f = table.field(name) {
                switch op {
                case .create:
                    guard f.createable else { throw notWritable(f.name, op) }
                case .update:
                    guard f.updateable || f.name == "Id" else { throw notWritable(f.name, op) }
                }
                out[f.name] = try check(value, field: f, object: table.name)
            } else if name.hasSuffix("__c") {
                out[name] = value
            } else {
                throw SFError.badRequest("INVALID_FIELD", "No such column '\(name)' on sobject of type \(table.name)",
                                         fields: [name])
            }
        }
        if op == .create {
            if out["Id"] != nil {
                throw SFError.badRequest("INVALID_FIELD", "Record ID: cannot specify Id in an insert call", fields: ["Id"])
            }
            let missing = table.def.required.filter { out[$0] == nil || out[$0] == .null }
            if !missing.isEmpty {
                throw SFError.badRequest("REQUIRED_FIELD_MISSING", "Required fields are missing: [\(missing.joined(separator: ", "))]",
                                         fields: missing)
            }
        }
        out["Id"] = nil
        for f in table.def.fields where f.unique {
            guard let value = out[f.name]?.stringValue, !value.isEmpty else { continue }
            let mine = existing?["Id"]?.stringValue
            if let other = table.liveRecords.first(where: { $0[f.name]?.stringValue == value && $0["Id"]?.stringValue != mine }) {
                throw SFError.badRequest("DUPLICATE_VALUE",
                                         "duplicate value found: \(f.name) duplicates value on record with id: \(other["Id"]?.stringValue ?? "")",
                                         fields: [f.name])
            }
        }
        if table.name == "Task" { try checkTaskRelations(merged: (existing ?? [:]).merging(out) { _, new in new }) }
        return out
    }

    private func notWritable(_ name: String, _ op: Operation) -> SFError {
        let verb = op == .create ? "create" : "update"
        return .badRequest("INVALID_FIELD_FOR_INSERT_UPDATE",
                           "Unable to \(verb) fields: \(name). Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                           fields: [name])
    }

    private func check(_ value: EmulatorJSON, field f: FieldDef, object: String) throws -> EmulatorJSON {
        if value.isNull {
            guard f.nillable || f.name == "Id" else {
                throw SFError.badRequest("REQUIRED_FIELD_MISSING", "Required fields are missing: [\(f.name)]", fields: [f.name])
            }
            return .null
        }
        func parserError(_ kind: String) -> SFError {
            .badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of \(kind) from \(value.jsonString) value at [line:1, column:1]",
                        fields: [f.name])
        }
        switch f.type {
        case .string, .textarea, .picklist, .combobox, .phone, .email, .url:
            guard case .string(let s) = value else { throw parserError("string") }
            if f.length > 0, s.count > f.length {
                throw SFError.badRequest("STRING_TOO_LONG",
                                         "\(f.label): data value too large: \(s.prefix(60)) (max length=\(f.length))",
                                         fields: [f.name])
            }
            if f.restricted, !f.picklist.contains(s) {
                throw SFError.badRequest("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                         "\(f.label): bad value for restricted picklist field: \(s)", fields: [f.name])
            }
            return value
        case .id, .reference:
            guard case .string(let s) = value else { throw parserError("reference") }
            guard let id = SalesforceId.normalize(s) else {
                throw SFError.badRequest("MALFORMED_ID", "\(f.label): id value of incorrect type: \(s)", fields: [f.name])
            }
            if f.type == .reference {
                let prefix = SalesforceId.keyPrefix(of: id)
                let prefixType = store.typeFor(prefix: prefix) ?? (prefix == "a0X" ? store.typeOf(id: id) : nil)
                guard let type = prefixType, f.referenceTo.contains(type) || (prefix == "a0X" && f.name == "WhatId") else {
                    throw SFError.badRequest("MALFORMED_ID", "\(f.label): id value of incorrect type: \(s)", fields: [f.name])
                }
                guard let target = store.table(type)?.record(id: id) else {
                    throw SFError.badRequest("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", fields: [f.name])
                }
                if target["IsDeleted"]?.boolValue == true {
                    throw SFError.badRequest("ENTITY_IS_DELETED", "entity is deleted", fields: [f.name])
                }
            }
            return .string(id)
        case .boolean:
            guard case .bool = value else { throw parserError("boolean") }
            return value
        case .int:
            guard case .number(let n) = value, n == n.rounded() else { throw parserError("int") }
            return value
        case .double, .currency:
            guard case .number = value else { throw parserError("double") }
            return value
        case .date:
            guard case .string(let s) = value, s.count == 10, SalesforceDate.parse(s) != nil else { throw parserError("date") }
            return value
        case .datetime:
            guard case .string(let s) = value, SalesforceDate.parse(s) != nil else { throw parserError("datetime") }
            return value
        }
    }

    /// A Lead WhoId can't be combined with a WhatId.
    private func checkTaskRelations(merged: EmulatorRecord) throws {
        guard let who = merged["WhoId"]?.stringValue, SalesforceId.keyPrefix(of: who) == "00Q",
              let what = merged["WhatId"], !what.isNull else { return }
        throw SFError.badRequest("FIELD_INTEGRITY_EXCEPTION",
                                 "Related To ID: You can't associate a task with a lead and a related record (WhatId) at the same time.",
                                 fields: ["WhatId"])
    }
}
