import Foundation
import RingsideCurl

/// Turns HTTP responses into JSON or typed errors. Never traps on bad input.
enum ResponseDecoding {
    /// The body of a 2xx response as JSON (204/empty → `.null`), or the error it represents.
    static func json(_ response: HTTPResponse, operation: String, isWrite: Bool) throws(SalesforceError) -> JSONValue {
        try decoded(response, operation: operation, isWrite: isWrite, empty: .null, JSONValue.parse)
    }

    /// The body of a 2xx response through `decode` (204/empty → `empty`), or the error it represents; a body `decode`
    /// refuses is a malformed response.
    static func decoded<T>(_ response: HTTPResponse, operation: String, isWrite: Bool, empty: T,
                           _ decode: (Data) -> T?) throws(SalesforceError) -> T {
        guard response.isSuccess else { throw error(for: response, operation: operation, isWrite: isWrite) }
        if response.body.isEmpty || response.status == 204 { return empty }
        guard let value = decode(response.body) else {
            throw .malformedResponse(status: response.status, operation: operation,
                                     reason: "the body (\(response.body.count) bytes, \(response.headers["Content-Type"] ?? "no content type")) is not valid JSON",
                                     processed: isWrite)
        }
        return value
    }

    /// `/services/oauth2/userinfo`'s answer to an expired token: 403 with `Bad_OAuth_Token` (as text, or as an
    /// OAuth `error`). It means "refresh the token", like a REST 401.
    static func isBadOAuthToken(_ response: HTTPResponse) -> Bool {
        guard response.status == 403 || response.status == 401, response.body.count < 4096 else { return false }
        let text = String(decoding: response.body, as: UTF8.self)
        return text.contains("Bad_OAuth_Token")
    }

    /// The typed error for a non-2xx response. Without a Salesforce (or OAuth) error body, a write's status
    /// may come from a proxy after Salesforce processed it: `unconfirmedWrite`.
    static func error(for response: HTTPResponse, operation: String, isWrite: Bool = false) -> SalesforceError {
        if isBadOAuthToken(response) {
            return .api(status: response.status, errors: [APIErrorDetail(errorCode: "INVALID_SESSION_ID",
                                                                         message: "Bad_OAuth_Token: the access token is expired or revoked")],
                        operation: operation)
        }
        if let value = JSONValue.parse(response.body) {
            if let errors = apiErrors(value), !errors.isEmpty {
                return .api(status: response.status, errors: errors, operation: operation)
            }
            if let error = value["error"]?.stringValue {
                return .oauth(status: response.status, error: error,
                              description: value["error_description"]?.stringValue ?? "", grant: operation)
            }
        }
        return isWrite ? .unconfirmedWrite(status: response.status, operation: operation)
            : .unexpectedStatus(status: response.status, operation: operation)
    }

    /// `[{"message","errorCode","fields"}]`, a single such object, or collection-style
    /// `{"statusCode","message","fields"}` entries. Nil when the value is not an error list.
    static func apiErrors(_ value: JSONValue) -> [APIErrorDetail]? {
        func detail(_ item: JSONValue) -> APIErrorDetail? {
            guard let code = item["errorCode"]?.stringValue ?? item["statusCode"]?.stringValue else { return nil }
            let fields = item["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return APIErrorDetail(errorCode: code, message: item["message"]?.stringValue ?? "", fields: fields)
        }
        if let list = value.arrayValue {
            let details = list.compactMap(detail)
            return details.count == list.count ? details : nil
        }
        return detail(value).map { [$0] }
    }

    /// The Salesforce error code when a response is a 401 `INVALID_SESSION_ID` (or any 401).
    static func isInvalidSession(_ response: HTTPResponse) -> Bool {
        if isBadOAuthToken(response) { return true }
        guard response.status == 401 else { return false }
        guard let value = JSONValue.parse(response.body), let errors = apiErrors(value) else { return true }
        return errors.isEmpty || errors.contains { $0.errorCode == "INVALID_SESSION_ID" }
    }
}
