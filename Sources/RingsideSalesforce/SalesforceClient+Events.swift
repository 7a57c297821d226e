import Foundation

extension SalesforceClient {
    /// Publishes a platform event (`POST /sobjects/<Name>__e/`, seed 002's real-time integration); returns the
    /// event's id. A field whose value is nil is sent as JSON null.
    public func publishEvent(_ sobject: String, fields: [String: String?]) async throws(SalesforceError) -> String {
        guard Self.isPlatformEventName(sobject) else {
            throw .unsupported("\(sobject) is not a platform event name: write it like Agent_State__e (letters, digits, _; ending in __e)")
        }
        let body = JSONValue.object(fields.mapValues { $0.map(JSONValue.string) ?? .null })
        let value = try await send(.post, dataPath("/sobjects/\(sobject)/"), body: body, operation: "publish \(sobject)")
        guard let id = value["id"]?.stringValue, !id.isEmpty else {
            throw .malformedResponse(status: 201, operation: "publish \(sobject)", reason: "no id in the response", processed: true)
        }
        return id
    }

    /// `Agent_State__e`: an API name ending in `__e`.
    public static func isPlatformEventName(_ name: String) -> Bool {
        name.count > 3 && name.hasSuffix("__e") && name.first?.isLetter == true
            && name.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" }
    }
}
