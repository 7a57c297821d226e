import RingsideCurl

/// One entry of a Salesforce error array: `{"message","errorCode","fields"}`
/// (`statusCode` instead of `errorCode` in sObject Collections results).
public struct APIErrorDetail: Hashable, Sendable, CustomStringConvertible {
    public var errorCode: String
    public var message: String
    public var fields: [String]

    public init(errorCode: String, message: String, fields: [String] = []) {
        self.errorCode = errorCode
        self.message = message
        self.fields = fields
    }

    public var description: String {
        fields.isEmpty ? "\(errorCode): \(message)" : "\(errorCode): \(message) (fields: \(fields.joined(separator: ", ")))"
    }
}

/// Why a Salesforce operation failed, with what to do about it.
///
/// Three questions matter to callers delivering records:
/// * `isRetryable`: try again later (with `suggestedBackoff`);
/// * `isUncertain`: the request may have been processed: look the record up by its
///   `CallObject` before re-sending;
/// * otherwise the failure is permanent: park the record with this error.
///
/// Descriptions never contain passwords, secrets or tokens.
public enum SalesforceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The REST API answered with a JSON error array.
    case api(status: Int, errors: [APIErrorDetail], operation: String)
    /// The OAuth token endpoint refused (`{"error","error_description"}`); `grant` names the flow.
    case oauth(status: Int, error: String, description: String, grant: String)
    /// No complete response (DNS, connect, timeout, reset…).
    case transport(HTTPError, operation: String)
    /// A response whose body could not be understood (not JSON, or not the expected shape).
    /// `processed` is true when the status says the server acted on a write anyway.
    case malformedResponse(status: Int, operation: String, reason: String, processed: Bool)
    /// A non-2xx response without a Salesforce error body (e.g. an HTML 503 from a proxy).
    case unexpectedStatus(status: Int, operation: String)
    /// A write answered with a non-2xx status but no Salesforce error body (a proxy's or load balancer's
    /// 502/503/504 or HTML page): Salesforce itself did not say no, so the origin may have processed it.
    case unconfirmedWrite(status: Int, operation: String)
    /// There is no way to get a token without a person: no refresh token saved.
    case notLoggedIn(reason: String)
    /// The device-flow code expired before it was approved.
    case deviceFlowExpired
    /// The person declined the device-flow request.
    case deviceFlowDenied
    /// The settings cannot work; each entry says what to change.
    case invalidSettings([String])
    /// The operation is not supported in this configuration.
    case unsupported(String)
    /// The refresh-token file could not be read or written.
    case tokenStore(path: String, reason: String)

    /// Error codes worth retrying after a pause.
    public static let retryableCodes: Set<String> = [
        "UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE", "QUERY_TIMEOUT",
        "TXN_SECURITY_METERING_ERROR",
    ]

    /// Error codes that will fail the same way every time (a sample; any 4xx code not in
    /// `retryableCodes` is treated as permanent).
    public static let permanentCodes: Set<String> = [
        "MALFORMED_ID", "INVALID_FIELD", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "FIELD_INTEGRITY_EXCEPTION",
        "REQUIRED_FIELD_MISSING", "ENTITY_IS_DELETED", "STRING_TOO_LONG", "INVALID_CROSS_REFERENCE_KEY",
        "INVALID_TYPE", "MALFORMED_QUERY", "MALFORMED_SEARCH", "INVALID_SEARCH", "NOT_FOUND",
        "INVALID_FIELD_FOR_INSERT_UPDATE", "JSON_PARSER_ERROR", "DUPLICATES_DETECTED",
        "FIELD_CUSTOM_VALIDATION_EXCEPTION", "INSUFFICIENT_ACCESS_OR_READONLY", "INVALID_ID_FIELD",
    ]

    /// The first Salesforce error code, or the OAuth `error`.
    public var errorCode: String? {
        switch self {
        case .api(_, let errors, _): errors.first?.errorCode
        case .oauth(_, let error, _, _): error
        case .transport, .malformedResponse, .unexpectedStatus, .unconfirmedWrite, .notLoggedIn, .deviceFlowExpired,
             .deviceFlowDenied, .invalidSettings, .unsupported, .tokenStore: nil
        }
    }

    /// HTTP status, when a response arrived.
    public var status: Int? {
        switch self {
        case .api(let status, _, _), .oauth(let status, _, _, _), .malformedResponse(let status, _, _, _),
             .unexpectedStatus(let status, _), .unconfirmedWrite(let status, _): status
        case .transport, .notLoggedIn, .deviceFlowExpired, .deviceFlowDenied, .invalidSettings, .unsupported, .tokenStore: nil
        }
    }

    /// Worth trying again later: 5xx, network trouble, record locks, the daily request limit.
    public var isRetryable: Bool {
        switch self {
        case .api(let status, let errors, _):
            if status >= 500 { return true }
            return errors.contains { Self.retryableCodes.contains($0.errorCode) }
        case .oauth(let status, _, _, _):
            return status >= 500
        case .transport(let error, _):
            return error.isTransient
        case .malformedResponse(let status, _, _, let processed):
            return status >= 500 || processed
        case .unexpectedStatus(let status, _):
            return status >= 500 || status == 429
        case .unconfirmedWrite:
            return true
        case .notLoggedIn, .deviceFlowExpired, .deviceFlowDenied, .invalidSettings, .unsupported, .tokenStore:
            return false
        }
    }

    /// The server may have acted on the request although no usable answer came back:
    /// check (e.g. `findTask(callObject:)`) before re-sending a create.
    public var isUncertain: Bool {
        switch self {
        case .transport(let error, _): error.requestMayHaveBeenProcessed
        case .malformedResponse(_, _, _, let processed): processed
        case .unconfirmedWrite: true
        case .api, .oauth, .unexpectedStatus, .notLoggedIn, .deviceFlowExpired, .deviceFlowDenied, .invalidSettings,
             .unsupported, .tokenStore: false
        }
    }

    /// Will fail the same way again: park the record with this error for a person to fix.
    public var isPermanent: Bool { !isRetryable && !isUncertain }

    /// Credentials or login are the problem (after the automatic refresh and retry).
    public var isAuthenticationFailure: Bool {
        switch self {
        case .api(let status, let errors, _):
            return status == 401 || errors.contains { $0.errorCode == "INVALID_SESSION_ID" }
        case .oauth, .notLoggedIn, .deviceFlowExpired, .deviceFlowDenied:
            return true
        case .transport, .malformedResponse, .unexpectedStatus, .unconfirmedWrite, .invalidSettings, .unsupported, .tokenStore:
            return false
        }
    }

    /// How long to wait before retrying; nil when retrying is pointless.
    public var suggestedBackoff: Duration? {
        guard isRetryable || isUncertain else { return nil }
        switch self {
        case .api(let status, let errors, _):
            if errors.contains(where: { $0.errorCode == "REQUEST_LIMIT_EXCEEDED" }) { return .seconds(15 * 60) }
            if errors.contains(where: { $0.errorCode == "UNABLE_TO_LOCK_ROW" }) { return .seconds(2) }
            return status >= 500 ? .seconds(30) : .seconds(10)
        case .transport, .malformedResponse, .unexpectedStatus, .unconfirmedWrite, .oauth:
            return .seconds(10)
        case .notLoggedIn, .deviceFlowExpired, .deviceFlowDenied, .invalidSettings, .unsupported, .tokenStore:
            return nil
        }
    }

    /// What to try, for a person.
    public var fix: String {
        switch self {
        case .api(let status, let errors, _):
            return Self.fix(forCodes: errors.map(\.errorCode), status: status)
        case .oauth(_, let error, let description, let grant):
            return Self.oauthFix(error: error, description: description, grant: grant)
        case .transport(let error, _):
            return error.description
        case .malformedResponse(_, _, _, let processed):
            return processed
                ? "Salesforce accepted the request but its answer was unreadable: the record may exist; Ringside checks by CallObject before re-sending."
                : "Salesforce's answer was unreadable: check the instance URL (a proxy or login page may be answering), then retry."
        case .unconfirmedWrite:
            return "A proxy or load balancer may have answered instead of Salesforce, after Salesforce saved the record: Ringside checks before re-sending."
        case .unexpectedStatus(let status, _):
            return status >= 500 || status == 429
                ? "Salesforce (or a proxy) is unavailable: retry later."
                : "Check the instance URL and API version; a proxy or captive portal may be answering instead of Salesforce."
        case .notLoggedIn:
            return "Run `ringside login` to sign in to Salesforce."
        case .deviceFlowExpired:
            return "The code expired before it was approved: run `ringside login` again and approve within a few minutes."
        case .deviceFlowDenied:
            return "Access was denied at the verification page: run `ringside login` again and choose Allow."
        case .invalidSettings:
            return "Fix the Salesforce settings in config.toml (see `ringside config --print`), then run `ringside doctor`."
        case .unsupported:
            return "Change the configuration (see `ringside config --print`)."
        case .tokenStore(let path, _):
            return "Check that \(path) and its directory are writable by you only (mode 0600/0700), then run `ringside login`."
        }
    }

    static func fix(forCodes codes: [String], status: Int) -> String {
        let code = codes.first ?? ""
        switch code {
        case "INVALID_SESSION_ID":
            return "The session was rejected even after a refresh: run `ringside login` (or check the connected app's session policies)."
        case "REQUEST_LIMIT_EXCEEDED":
            return "The org's daily API limit is used up: Ringside retries later; ask an admin to check Setup → Company Information → API Requests."
        case "UNABLE_TO_LOCK_ROW":
            return "Another process holds a lock on the record: Ringside retries shortly."
        case "SERVER_UNAVAILABLE":
            return "Salesforce is unavailable or in maintenance: Ringside retries later."
        case "MALFORMED_ID", "INVALID_CROSS_REFERENCE_KEY":
            return "A record ID is wrong or the record is gone: pick the caller's record again or remove the association."
        case "INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE", "INVALID_TYPE":
            return "A field or object is missing or not accessible: check the API version, the custom field map and field-level security."
        case "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST":
            return "A picklist value is not allowed in this org: check the Task Status, Priority and CallType values."
        case "FIELD_INTEGRITY_EXCEPTION":
            return "The record's relations are inconsistent (e.g. a Lead with a Related To): change the association."
        case "REQUIRED_FIELD_MISSING":
            return "A required field is empty: check the org's required fields for this object."
        case "ENTITY_IS_DELETED":
            return "The related record was deleted: associate the call with another record."
        case "STRING_TOO_LONG":
            return "A value is longer than the field allows: shorten the notes or disposition."
        case "FIELD_CUSTOM_VALIDATION_EXCEPTION":
            return "An org validation rule rejected the record: read its message and adjust the record or ask an admin."
        case "INSUFFICIENT_ACCESS_OR_READONLY":
            return "The user lacks access to this record or object: ask an admin for permission."
        default:
            if status >= 500 { return "Salesforce had an internal error: Ringside retries later." }
            return "Salesforce rejected the request: read the message and correct the record or configuration."
        }
    }

    static func oauthFix(error: String, description: String, grant: String) -> String {
        switch error {
        case "invalid_grant":
            if grant == "password" {
                return "Check the username, password and security token — the security token changes when the password changes (reset it in Salesforce: Settings → Reset My Security Token)."
            }
            if grant == "refresh_token" {
                return "The saved login expired or was revoked: run `ringside login`."
            }
            if grant == "client_credentials" {
                return "Check the connected app's client credentials flow and its run-as user."
            }
            return "The login was refused: run `ringside login` again."
        case "invalid_client_id":
            return "Check the client id (the connected app's Consumer Key)."
        case "invalid_client":
            return "Check the client secret (the connected app's Consumer Secret)."
        case "unsupported_grant_type":
            return "Enable this OAuth flow in the connected app (client credentials / device flow), or use another auth kind."
        case "inactive_user", "inactive_org":
            return "The user or org is inactive: ask a Salesforce admin."
        case "invalid_request":
            return "Check the login URL (production login.salesforce.com, sandbox test.salesforce.com, or My Domain)."
        default:
            return "Salesforce refused the login (\(error)): check the connected app and credentials, then run `ringside login`."
        }
    }

    public var description: String {
        switch self {
        case .api(let status, let errors, let operation):
            let detail = errors.isEmpty ? "no details" : errors.map(\.description).joined(separator: "; ")
            return "Salesforce \(operation) failed (HTTP \(status)): \(detail). \(fix)"
        case .oauth(let status, let error, let description, let grant):
            return "Salesforce login (\(grant)) failed (HTTP \(status)): \(error): \(description). \(fix)"
        case .transport(let error, let operation):
            return "Salesforce \(operation) failed: \(error.description)"
        case .malformedResponse(let status, let operation, let reason, _):
            return "Salesforce \(operation) returned an unreadable answer (HTTP \(status)): \(reason). \(fix)"
        case .unexpectedStatus(let status, let operation):
            return "Salesforce \(operation) returned HTTP \(status) without an error body. \(fix)"
        case .unconfirmedWrite(let status, let operation):
            return "Salesforce \(operation) returned HTTP \(status) without a Salesforce error body: it may have been saved. \(fix)"
        case .notLoggedIn(let reason):
            return "Not signed in to Salesforce: \(reason). \(fix)"
        case .deviceFlowExpired, .deviceFlowDenied:
            return fix
        case .invalidSettings(let problems):
            return "Salesforce settings: " + problems.joined(separator: "; ") + ". " + fix
        case .unsupported(let what):
            return "Not supported: \(what). \(fix)"
        case .tokenStore(let path, let reason):
            return "Token file \(path): \(reason). \(fix)"
        }
    }
}
