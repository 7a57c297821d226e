import Foundation

/// One sObject type's records. Records live in an array (never shrinks: deletes set
/// `IsDeleted`), indexed by 18-char Id.
struct Table: Sendable {
    var def: ObjectDef
    /// lowercased field name → index into `def.fields`.
    private(set) var fieldIndex: [String: Int] = [:]
    var records: [EmulatorRecord] = []
    var byId: [String: Int] = [:]
    var deletions: [(id: String, date: Date)] = []

    init(def: ObjectDef) {
        self.def = def
        for (i, f) in def.fields.enumerated() { fieldIndex[f.name.lowercased()] = i }
    }

    var name: String { def.name }

    func field(_ name: String) -> FieldDef? {
        fieldIndex[name.lowercased()].map { def.fields[$0] }
    }

    /// Adds a field discovered in seed data or a custom (`__c`) field.
    mutating func learnField(_ name: String, sample: EmulatorJSON) {
        guard fieldIndex[name.lowercased()] == nil else { return }
        let type: FieldType
        switch sample {
        case .bool: type = .boolean
        case .number: type = .double
        case .string, .null, .array, .object:
            type = name.hasSuffix("Phone") || name.hasSuffix("Phone__c") ? .phone : .string
        }
        let length = type == .string || type == .phone ? 255 : 0
        def.fields.append(FieldDef(name: name, type: type, label: name, length: length))
        fieldIndex[name.lowercased()] = def.fields.count - 1
    }

    func record(id: String) -> EmulatorRecord? {
        byId[id].map { records[$0] }
    }

    mutating func define(_ field: FieldDef) {
        if let i = fieldIndex[field.name.lowercased()] {
            def.fields[i] = field
        } else {
            def.fields.append(field)
            fieldIndex[field.name.lowercased()] = def.fields.count - 1
        }
    }

    var liveRecords: [EmulatorRecord] {
        records.filter { $0["IsDeleted"]?.boolValue != true }
    }
}

/// All tables, id generation and id → type resolution. A value type owned by the
/// emulator actor.
struct RecordStore: Sendable {
    private(set) var tables: [String: Table] = [:]  // keyed by lowercased type name
    private var counters: [String: Int] = [:]
    /// key prefix → type name, for standard objects.
    private var prefixes: [String: String] = [:]
    /// Last formatted timestamp (bulk inserts share one `now`).
    private var stampCache: (date: Date, text: String)?

    init(org: EmulatorSeed.Org = EmulatorSeed.Org()) {
        for def in StandardSchema.all where !org.isHidden(def.name) {
            tables[def.name.lowercased()] = Table(def: StandardSchema.shaped(def, org: org))
            prefixes[def.keyPrefix] = def.name
        }
    }

    /// Canonical type name for a (case-insensitive) name; custom `__c` types are created on demand
    /// when `create` is true.
    mutating func typeName(_ name: String, create: Bool) -> String? {
        if let t = tables[name.lowercased()] { return t.name }
        guard create, name.count > 3 else { return nil }
        if name.lowercased().hasSuffix("__c") {
            tables[name.lowercased()] = Table(def: StandardSchema.custom(name))
        } else if name.lowercased().hasSuffix("__e") {
            // Publishing a platform event is a create on `/sobjects/Foo__e`.
            tables[name.lowercased()] = Table(def: StandardSchema.platformEvent(name))
        } else {
            return nil
        }
        return name
    }

    func table(_ type: String) -> Table? { tables[type.lowercased()] }

    /// Adds (or replaces) a field definition on a table (org options such as an External ID field).
    mutating func define(_ field: FieldDef, on type: String) {
        guard var table = tables[type.lowercased()] else { return }
        tables[type.lowercased()] = nil
        table.define(field)
        tables[type.lowercased()] = table
    }

    /// Type of the record with this (normalised) id, if any exists.
    func typeOf(id: String) -> String? {
        let prefix = SalesforceId.keyPrefix(of: id)
        if let t = prefixes[prefix] { return t }
        for table in tables.values where table.def.keyPrefix == prefix && table.byId[id] != nil {
            return table.name
        }
        return nil
    }

    /// The type a key prefix denotes (for custom prefixes: any custom type).
    func typeFor(prefix: String) -> String? { prefixes[prefix] }

    func record(id: String) -> (type: String, record: EmulatorRecord)? {
        guard let type = typeOf(id: id), let r = table(type)?.record(id: id) else { return nil }
        return (type, r)
    }

    mutating func newId(for type: String) -> String {
        let prefix = table(type)?.def.keyPrefix ?? "a0X"
        let n = (counters[prefix] ?? 0) + 1
        counters[prefix] = n
        return SalesforceId.make(prefix: prefix, counter: n)
    }

    /// Inserts an already-validated record, filling system fields. Returns the id.
    @discardableResult
    mutating func insert(_ fields: EmulatorRecord, type: String, now: Date, userId: String?) -> String {
        let key = type.lowercased()
        guard var table = tables[key] else { preconditionFailure("unknown table \(type)") }
        tables[key] = nil  // keep the table uniquely referenced while mutating
        var record: EmulatorRecord = [:]
        record.reserveCapacity(fields.count + 8)
        for (name, value) in fields {
            table.learnField(name, sample: value)
            record[table.field(name)!.name] = value
        }
        let id: String
        if let given = record["Id"]?.stringValue, let normal = SalesforceId.normalize(given) {
            id = normal
            bumpCounter(for: normal)
        } else {
            let prefix = table.def.keyPrefix
            let n = (counters[prefix] ?? 0) + 1
            counters[prefix] = n
            id = SalesforceId.make(prefix: prefix, counter: n)
        }
        record["Id"] = .string(id)
        let stamp = EmulatorJSON.string(stampText(now))
        for f in ["CreatedDate", "LastModifiedDate", "SystemModstamp"] where record[f] == nil || record[f] == .null {
            record[f] = stamp
        }
        if let userId {
            for f in ["CreatedById", "LastModifiedById"] where record[f] == nil { record[f] = .string(userId) }
            if table.field("OwnerId") != nil, record["OwnerId"] == nil { record["OwnerId"] = .string(userId) }
        }
        for f in table.def.fields where record[f.name] == nil {
            if let d = f.defaultValue { record[f.name] = d }
        }
        record["IsDeleted"] = .bool(false)
        Self.derive(&record, def: table.def)
        if let existing = table.byId[id] {
            table.records[existing] = record
        } else {
            table.byId[id] = table.records.count
            table.records.append(record)
        }
        tables[key] = table
        deriveTaskAccount(id: id, type: type)
        return id
    }

    private mutating func stampText(_ date: Date) -> String {
        if let c = stampCache, c.date == date { return c.text }
        let text = SalesforceDate.format(date)
        stampCache = (date, text)
        return text
    }

    private mutating func bumpCounter(for id: String) {
        let id15 = Array(id.prefix(15))
        guard String(id15[3..<7]) == "Dg00" else { return }
        var n = 0
        for ch in id15[7...] {
            guard let d = SalesforceId.base62.firstIndex(of: ch) else { return }
            n = n * 62 + d
        }
        let prefix = String(id15[0..<3])
        counters[prefix] = max(counters[prefix] ?? 0, n)
    }

    /// Applies already-validated field changes.
    mutating func update(id: String, type: String, changes: EmulatorRecord, now: Date, userId: String?) {
        let key = type.lowercased()
        guard var table = tables[key], let index = table.byId[id] else { return }
        tables[key] = nil
        var record = table.records[index]
        for (name, value) in changes {
            table.learnField(name, sample: value)
            record[table.field(name)!.name] = value
        }
        let stamp = EmulatorJSON.string(SalesforceDate.format(now))
        record["LastModifiedDate"] = stamp
        record["SystemModstamp"] = stamp
        if let userId { record["LastModifiedById"] = .string(userId) }
        Self.derive(&record, def: table.def)
        table.records[index] = record
        tables[key] = table
        deriveTaskAccount(id: id, type: type)
    }

    mutating func delete(id: String, type: String, now: Date) {
        let key = type.lowercased()
        guard var table = tables[key], let index = table.byId[id] else { return }
        tables[key] = nil
        table.records[index]["IsDeleted"] = .bool(true)
        table.records[index]["SystemModstamp"] = .string(SalesforceDate.format(now))
        table.deletions.append((id, now))
        tables[key] = table
    }

    /// Name for Contact/Lead, IsClosed for Task/Case.
    private static func derive(_ record: inout EmulatorRecord, def: ObjectDef) {
        if def.derivedName || (def.name == "Account" && record["IsPersonAccount"]?.boolValue == true) {
            let parts = [record["FirstName"]?.stringValue, record["LastName"]?.stringValue].compactMap { $0 }
            if !parts.isEmpty, def.derivedName || record["Name"] == nil {
                record["Name"] = .string(parts.joined(separator: " "))
            }
        }
        switch def.name {
        case "Task":
            record["IsClosed"] = .bool(record["Status"]?.stringValue == "Completed")
        case "Case":
            record["IsClosed"] = .bool(record["Status"]?.stringValue == "Closed")
        default:
            break
        }
    }

    /// Task.AccountId: WhatId's account (Account itself, or its AccountId), else the Contact WhoId's account.
    private mutating func deriveTaskAccount(id: String, type: String) {
        guard type == "Task", var table = tables["task"], let index = table.byId[id] else { return }
        let record = table.records[index]
        var account: EmulatorJSON = .null
        if let what = record["WhatId"]?.stringValue, let target = self.record(id: what) {
            account = target.type == "Account" ? .string(what) : (target.record["AccountId"] ?? .null)
        }
        if account == .null, let who = record["WhoId"]?.stringValue, let target = self.record(id: who),
           target.type == "Contact" {
            account = target.record["AccountId"] ?? .null
        }
        tables["task"] = nil
        table.records[index]["AccountId"] = account
        tables["task"] = table
    }
}
