import Foundation
import RingsideCore

extension SalesforceClient {
    /// A saved describe older than this is read again.
    public static let schemaMaxAge: TimeInterval = 24 * 3600

    /// The objects described: the searched and related entities, and where call records go.
    var describedObjects: [String] {
        var out = ["Contact", "Account", "Lead", "Case", "Opportunity"]
        let task = settings.taskObject.objectName
        if !out.contains(task) { out.append(task) }
        return out
    }

    /// The org's schema: from memory, else from the schema store when it is for this org and less than a day
    /// old, else read with `describe` (one request per object, once per process or day).
    public func orgSchema() async throws(SalesforceError) -> OrgSchema {
        if let cached = schemaCache.value { return cached }
        let source = try await schemaSource()
        if let saved = schemaStore?.loadSchema(), saved.source == source,
           Date().timeIntervalSince(saved.fetchedAt) < Self.schemaMaxAge, saved.fetchedAt <= Date() {
            schemaCache.withValue { $0 = saved }
            return saved
        }
        return try await refreshOrgSchema()
    }

    /// Reads describe again now (doctor; a daily refresh), replacing the cached schema.
    @discardableResult
    public func refreshOrgSchema() async throws(SalesforceError) -> OrgSchema {
        let source = try await schemaSource()
        var describes: [(object: String, value: JSONValue?)] = []
        var firstMiss: SalesforceError?
        for object in describedObjects {
            try Self.checkIdentifier(object)
            do {
                let value = try await send(.get, dataPath("/sobjects/\(object)/describe/"), operation: "describe \(object)")
                describes.append((object, value))
            } catch {
                // An object the org lacks or the profile cannot see: 404 NOT_FOUND (or INVALID_TYPE).
                guard error.status == 404 || ["NOT_FOUND", "INVALID_TYPE", "INSUFFICIENT_ACCESS"].contains(error.errorCode ?? "")
                else { throw error }
                firstMiss = firstMiss ?? error
                describes.append((object, nil))
            }
        }
        // Nothing at all: not a restricted profile but a wrong API version or address (also 404 NOT_FOUND).
        if let firstMiss, describes.allSatisfy({ $0.value == nil }) { throw firstMiss }
        let schema = OrgSchema.from(describes: describes, fetchedAt: Date(), source: source)
        schemaCache.withValue { $0 = schema }
        schemaStore?.saveSchema(schema)
        return schema
    }

    /// Uses a schema read elsewhere (a shared describe, tests) instead of describing on first use.
    public func useSchema(_ schema: OrgSchema) {
        schemaCache.withValue { $0 = schema }
    }

    /// The schema already read, if any (no request).
    public var cachedOrgSchema: OrgSchema? { schemaCache.value }

    /// Whether Person Account fields are used: the org has them and the settings do not turn them off.
    public func usesPersonAccounts(_ schema: OrgSchema) -> Bool {
        schema.hasPersonAccounts && settings.personAccounts != false
    }

    private func schemaSource() async throws(SalesforceError) -> String {
        try await instanceURL() + " " + settings.versionPath
    }

    /// Names of the fields of `object` the signed-in user can create (from `describe`), for `ringside doctor`.
    public func createableFields(of object: String) async throws(SalesforceError) -> Set<String> {
        try Self.checkIdentifier(object)
        let value = try await send(.get, dataPath("/sobjects/\(object)/describe/"), operation: "describe \(object)")
        let fields = value["fields"]?.arrayValue ?? []
        return Set(fields.compactMap { field in
            field["createable"]?.boolValue == true ? field["name"]?.stringValue : nil
        })
    }
}
