import RingsideCore

/// Everything the Salesforce connector needs, as plain values. The app maps its
/// TOML/environment config into this; nothing here reads files or the environment.
public struct SalesforceSettings: Sendable {
    /// How Ringside obtains access tokens.
    public enum AuthKind: String, Sendable, Hashable, CaseIterable {
        /// OAuth 2.0 client credentials (client id + secret; the connected app's run-as user).
        /// Needs the My Domain login URL.
        case clientCredentials = "client-credentials"
        /// Username + password + security token (OAuth username-password flow).
        case password
        /// A refresh token from the settings or the token store (saved by `ringside login`).
        case refreshToken = "refresh-token"
        /// Device flow: `ringside login` shows a code; afterwards the saved refresh token is used.
        case deviceFlow = "device"
    }

    /// The OAuth host: `https://login.salesforce.com` (production), `https://test.salesforce.com`
    /// (sandbox) or the org's My Domain (`https://acme.my.salesforce.com`).
    public var loginURL: String
    /// The org's instance URL, when known in advance; the token response's `instance_url` wins.
    public var instanceURL: String?
    /// REST API version, `v62.0` or `62.0` (v51.0 and later work).
    public var apiVersion: String
    public var authKind: AuthKind
    public var clientId: String
    public var clientSecret: String?
    public var username: String?
    public var password: String?
    /// Appended to the password for the username-password flow.
    public var securityToken: String?
    /// A refresh token given directly in config (otherwise the token store's is used).
    public var refreshToken: String?
    /// OAuth scopes asked for in the device flow.
    public var deviceFlowScope: String

    /// Entities searched by phone lookups, in precedence order (Contact, Account, Lead; others ignored).
    public var searchedEntities: [EntityType]
    /// Person Accounts: nil (default) lets the org's describe decide (`Account.IsPersonAccount` exists);
    /// false never searches their personal fields; true uses them when the org has them (doctor warns if not).
    public var personAccounts: Bool?
    /// The entity the **New** action creates (Lead unless configured).
    public var defaultNewEntity: EntityType
    /// Where call records go: the standard Task, or a custom `__c` object through a field map.
    public var taskObject: TaskObject
    /// The External ID field holding the call id, which makes every delivery an upsert (no duplicates by construction).
    public var callIdField: CallIdField

    /// Region for numbers written without a country code (in the org's records and from the phone).
    public var defaultRegion: PhoneRegion
    /// Numbers with at most this many digits are internal.
    public var internalNumberDigits: Int
    /// Per-request timeouts used for API calls.
    public var requestTimeouts: RequestTimeouts

    /// PEM CA bundle for TLS (nil: system default). Used when the app builds the `CurlHTTPClient`.
    public var caBundlePath: String?
    /// Allow plain `http://` / unverified TLS to 127.0.0.1 (the emulator, tests). Never for real orgs.
    public var allowInsecureLoopback: Bool

    /// Connect / total timeouts for Salesforce requests.
    public struct RequestTimeouts: Sendable, Hashable {
        public var connect: Duration
        public var total: Duration
        public init(connect: Duration = .seconds(5), total: Duration = .seconds(20)) {
            self.connect = connect
            self.total = total
        }
    }

    public static let defaultAPIVersion = "v62.0"
    public static let productionLoginURL = "https://login.salesforce.com"
    public static let sandboxLoginURL = "https://test.salesforce.com"

    public init(
        loginURL: String = SalesforceSettings.productionLoginURL,
        instanceURL: String? = nil,
        apiVersion: String = SalesforceSettings.defaultAPIVersion,
        authKind: AuthKind,
        clientId: String,
        clientSecret: String? = nil,
        username: String? = nil,
        password: String? = nil,
        securityToken: String? = nil,
        refreshToken: String? = nil,
        deviceFlowScope: String = "api refresh_token",
        searchedEntities: [EntityType] = [.contact, .account, .lead],
        personAccounts: Bool? = nil,
        defaultNewEntity: EntityType = .lead,
        taskObject: TaskObject = .standardTask,
        callIdField: CallIdField = .detect,
        defaultRegion: PhoneRegion = .GB,
        internalNumberDigits: Int = 5,
        requestTimeouts: RequestTimeouts = RequestTimeouts(),
        caBundlePath: String? = nil,
        allowInsecureLoopback: Bool = false
    ) {
        self.loginURL = loginURL
        self.instanceURL = instanceURL
        self.apiVersion = apiVersion
        self.authKind = authKind
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.username = username
        self.password = password
        self.securityToken = securityToken
        self.refreshToken = refreshToken
        self.deviceFlowScope = deviceFlowScope
        self.searchedEntities = searchedEntities
        self.personAccounts = personAccounts
        self.defaultNewEntity = defaultNewEntity
        self.taskObject = taskObject
        self.callIdField = callIdField
        self.defaultRegion = defaultRegion
        self.internalNumberDigits = internalNumberDigits
        self.requestTimeouts = requestTimeouts
        self.caBundlePath = caBundlePath
        self.allowInsecureLoopback = allowInsecureLoopback
    }

    /// The login URL without a trailing slash.
    var loginBase: String { Self.trimmedBase(loginURL) }

    /// `v62.0` form of `apiVersion`.
    var versionPath: String {
        let v = apiVersion.trimmed(of: " /")
        return v.lowercased().hasPrefix("v") ? "v" + v.dropFirst() : "v" + v
    }

    static func trimmedBase(_ url: String) -> String {
        var s = url.trimmed(of: " ")
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// Problems that would make every request fail, phrased as what to change. Empty when usable.
    public func validate() -> [String] {
        var problems: [String] = []
        let lower = loginURL.lowercased()
        if !(lower.hasPrefix("https://") || (allowInsecureLoopback && lower.hasPrefix("http://"))) {
            problems.append("login URL \(loginURL) must start with https:// (e.g. https://login.salesforce.com)")
        }
        let digits = versionPath.dropFirst().split(separator: ".").first.flatMap { Int($0) }
        if digits == nil || versionPath.dropFirst().split(separator: ".").count != 2 {
            problems.append("API version \(apiVersion) is not like v62.0")
        } else if let major = digits, major < 51 {
            problems.append("API version \(apiVersion) is too old: use v51.0 or later (default \(Self.defaultAPIVersion))")
        }
        if clientId.isEmpty { problems.append("client id is empty: copy the connected app's Consumer Key") }
        switch authKind {
        case .clientCredentials:
            if (clientSecret ?? "").isEmpty { problems.append("client credentials need the client secret (Consumer Secret)") }
            if lower.contains("://login.salesforce.com") || lower.contains("://test.salesforce.com") {
                problems.append("client credentials need the My Domain login URL (https://yourdomain.my.salesforce.com), not \(loginURL)")
            }
        case .password:
            if (username ?? "").isEmpty { problems.append("the password flow needs a username") }
            if (password ?? "").isEmpty { problems.append("the password flow needs a password") }
            if (clientSecret ?? "").isEmpty { problems.append("the password flow needs the client secret (Consumer Secret)") }
        case .refreshToken, .deviceFlow:
            break
        }
        if case .custom(let object, let map) = taskObject {
            if !object.hasSuffix("__c") { problems.append("custom task object \(object) must be a custom object name ending in __c") }
            if map.isEmpty { problems.append("custom task object \(object) needs a field map (Task field → \(object) field)") }
        }
        return problems
    }
}

/// Which External ID field of the call record object holds the call id (`salesforce.call_id_field`).
public enum CallIdField: Sendable, Hashable {
    /// Look for one with describe: an External ID field whose name contains `Call_Id` (e.g. `Ringside_Call_Id__c`).
    case detect
    /// This field (an External ID, Unique text field).
    case named(String)
    /// Never upsert: create records and check by `CallObject` before re-sending.
    case none

    /// The API name Ringside suggests to admins.
    public static let suggestedName = "Ringside_Call_Id__c"
}

/// Where call records are written.
public enum TaskObject: Sendable, Hashable {
    /// The standard `Task` with the standard call fields.
    case standardTask
    /// A custom object (e.g. `Call_Recording__c`) and a map from Task field names
    /// (`Subject`, `CallObject`, `CallDurationInSeconds`, `WhoId`…) to its field names
    /// (`call_id__c`…). Task fields without a mapping are not written.
    case custom(object: String, fieldMap: [String: String])

    /// The sObject name written to.
    public var objectName: String {
        switch self {
        case .standardTask: "Task"
        case .custom(let object, _): object
        }
    }

    /// The field that holds a Task field's value, or nil when it is not written.
    public func field(for taskField: String) -> String? {
        switch self {
        case .standardTask: taskField
        case .custom(_, let map): map[taskField]
        }
    }
}
