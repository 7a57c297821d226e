import RingsideCore

extension SalesforceClient {
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
