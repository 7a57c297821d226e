import Foundation
import RingsideCore

/// What the org (and the signed-in user's profile) really has, read from `describe`: which objects are
/// visible, their fields, which of them are phone fields, and which the user may create. Lookups, sync,
/// quick find, related work and call records use only what is here, so the same binary works in orgs
/// with or without Person Accounts, with custom phone fields and with restricted profiles.
public struct OrgSchema: Codable, Hashable, Sendable {
    /// One visible object.
    public struct ObjectInfo: Codable, Hashable, Sendable {
        public var name: String
        /// Every field the user can read.
        public var fields: Set<String>
        /// Fields of type `phone` (standard and custom), fax fields left out, in describe order.
        public var phoneFields: [String]
        /// Fields the user can set on create (field-level security applied).
        public var createable: Set<String>

        public init(name: String, fields: Set<String>, phoneFields: [String], createable: Set<String>) {
            self.name = name
            self.fields = fields
            self.phoneFields = phoneFields
            self.createable = createable
        }
    }

    /// Visible objects by API name.
    public var objects: [String: ObjectInfo]
    /// Objects asked for that the user cannot see (or the org does not have).
    public var hidden: [String]
    /// When describe was read.
    public var fetchedAt: Date
    /// The instance and API version it was read from (a cached copy for another org is not used).
    public var source: String

    public init(objects: [String: ObjectInfo], hidden: [String], fetchedAt: Date, source: String) {
        self.objects = objects
        self.hidden = hidden
        self.fetchedAt = fetchedAt
        self.source = source
    }

    /// Whether the org has Person Accounts (`Account.IsPersonAccount` exists).
    public var hasPersonAccounts: Bool {
        objects["Account"]?.fields.contains("IsPersonAccount") ?? false
    }

    /// Whether the user can see this object.
    public func isVisible(_ object: String) -> Bool { objects[object] != nil }

    /// Whether the user can see this entity.
    public func isVisible(_ type: EntityType) -> Bool { isVisible(type.rawValue) }

    /// Whether `field` exists on `object` for this user.
    public func has(_ object: String, _ field: String) -> Bool {
        objects[object]?.fields.contains(field) ?? false
    }

    /// The fields of `wanted` that exist on `object`, in the given order.
    public func existing(_ object: String, _ wanted: [String]) -> [String] {
        wanted.filter { field in
            // `Account.Name`, `Owner.Name`: the relationship's id field must exist.
            guard let dot = field.firstIndex(of: ".") else { return has(object, field) }
            let relationship = String(field[..<dot])
            return has(object, relationship + "Id")
        }
    }

    /// Phone fields of `object`; Person Account fields (`Person…` on Account) only when `personAccounts`.
    public func phoneFields(of object: String, personAccounts: Bool) -> [String] {
        let all = objects[object]?.phoneFields ?? []
        guard object == "Account", !personAccounts else { return all }
        return all.filter { !$0.hasPrefix("Person") }
    }

    /// Every phone field of every visible object, without repeats (for mapping records of several types).
    public var allPhoneFields: [String] {
        var out: [String] = []
        for name in objects.keys.sorted() {
            for field in objects[name]?.phoneFields ?? [] where !out.contains(field) { out.append(field) }
        }
        return out
    }

    /// Builds the schema from describe answers (`nil`: the object is not visible).
    public static func from(describes: [(object: String, value: JSONValue?)], fetchedAt: Date, source: String) -> OrgSchema {
        var objects: [String: ObjectInfo] = [:]
        var hidden: [String] = []
        for (object, value) in describes {
            guard let value, let fields = value["fields"]?.arrayValue else {
                hidden.append(object)
                continue
            }
            var names = Set<String>()
            var phones: [String] = []
            var createable = Set<String>()
            for field in fields {
                guard let name = field["name"]?.stringValue else { continue }
                names.insert(name)
                if field["type"]?.stringValue == "phone", !name.lowercased().contains("fax") { phones.append(name) }
                if field["createable"]?.boolValue == true { createable.insert(name) }
            }
            objects[object] = ObjectInfo(name: object, fields: names, phoneFields: phones, createable: createable)
        }
        return OrgSchema(objects: objects, hidden: hidden, fetchedAt: fetchedAt, source: source)
    }
}

/// Keeps the last describe between runs, so a restart does not describe again (refreshed daily).
public protocol OrgSchemaStore: Sendable {
    func loadSchema() -> OrgSchema?
    func saveSchema(_ schema: OrgSchema)
}

/// The schema as JSON in a file (owner-only; it holds no secrets but describes the org).
public struct FileOrgSchemaStore: OrgSchemaStore {
    public let path: String

    public init(path: String) { self.path = path }

    public func loadSchema() -> OrgSchema? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(OrgSchema.self, from: data)
    }

    public func saveSchema(_ schema: OrgSchema) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(schema) else { return }
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        if (try? data.write(to: url, options: .atomic)) != nil {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
    }
}
