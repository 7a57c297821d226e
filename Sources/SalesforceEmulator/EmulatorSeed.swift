import Foundation

/// Initial org contents, loaded from JSON (`--seed FILE`).
public struct EmulatorSeed: Codable, Sendable, Equatable {
    public struct User: Codable, Sendable, Equatable {
        public var Id: String
        public var Username: String
        public var Name: String
        public var TimeZoneSidKey: String
        public var Email: String

        public init(Id: String, Username: String, Name: String, TimeZoneSidKey: String, Email: String) {
            self.Id = Id
            self.Username = Username
            self.Name = Name
            self.TimeZoneSidKey = TimeZoneSidKey
            self.Email = Email
        }
    }

    public struct Credentials: Codable, Sendable, Equatable {
        public var clientId: String
        public var clientSecret: String
        public var username: String
        public var password: String
        public var securityToken: String
        public var refreshTokens: [String]
        /// Access tokens valid from the start (handy for tests that skip login).
        public var accessTokens: [String]

        public init(clientId: String = "emulator-client-id", clientSecret: String = "emulator-client-secret",
                    username: String = "agent@example.com", password: String = "password",
                    securityToken: String = "TOKEN", refreshTokens: [String] = [], accessTokens: [String] = []) {
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.username = username
            self.password = password
            self.securityToken = securityToken
            self.refreshTokens = refreshTokens
            self.accessTokens = accessTokens
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Credentials()
            clientId = try c.decodeIfPresent(String.self, forKey: .clientId) ?? d.clientId
            clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret) ?? d.clientSecret
            username = try c.decodeIfPresent(String.self, forKey: .username) ?? d.username
            password = try c.decodeIfPresent(String.self, forKey: .password) ?? d.password
            securityToken = try c.decodeIfPresent(String.self, forKey: .securityToken) ?? d.securityToken
            refreshTokens = try c.decodeIfPresent([String].self, forKey: .refreshTokens) ?? []
            accessTokens = try c.decodeIfPresent([String].self, forKey: .accessTokens) ?? []
        }
    }

    /// How this org differs from the demo org (issue 15): real orgs often have no Person Accounts,
    /// custom phone fields, and profiles that hide objects or fields.
    public struct Org: Codable, Sendable, Equatable {
        /// Person Accounts enabled (`Account.IsPersonAccount` and the `Person…` fields exist). When false,
        /// queries naming them fail with 400 INVALID_FIELD, and seeded person accounts are left out.
        public var personAccounts: Bool
        /// Extra phone-type fields by object, e.g. `["Contact": ["Mobile_2__c"]]`.
        public var customPhoneFields: [String: [String]]
        /// Objects the user cannot see: describe answers 404 NOT_FOUND, SOQL/SOSL INVALID_TYPE; their seed records are dropped.
        public var hiddenObjects: [String]
        /// Fields without field-level edit access, by object (e.g. `["Task": ["TaskSubtype"]]`):
        /// describe says not createable, and writing them fails with INVALID_FIELD_FOR_INSERT_UPDATE.
        public var readOnlyFields: [String: [String]]
        /// Task has `Ringside_Call_Id__c` (Text(64), External ID, Unique), so call records can be upserted.
        public var callIdField: Bool

        public init(personAccounts: Bool = true, customPhoneFields: [String: [String]] = [:], hiddenObjects: [String] = [],
                    readOnlyFields: [String: [String]] = [:], callIdField: Bool = false) {
            self.personAccounts = personAccounts
            self.callIdField = callIdField
            self.customPhoneFields = customPhoneFields
            self.hiddenObjects = hiddenObjects
            self.readOnlyFields = readOnlyFields
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            personAccounts = try c.decodeIfPresent(Bool.self, forKey: .personAccounts) ?? true
            customPhoneFields = try c.decodeIfPresent([String: [String]].self, forKey: .customPhoneFields) ?? [:]
            hiddenObjects = try c.decodeIfPresent([String].self, forKey: .hiddenObjects) ?? []
            readOnlyFields = try c.decodeIfPresent([String: [String]].self, forKey: .readOnlyFields) ?? [:]
            callIdField = try c.decodeIfPresent(Bool.self, forKey: .callIdField) ?? false
        }

        /// Whether `object` is hidden (case-insensitive).
        func isHidden(_ object: String) -> Bool { hiddenObjects.contains { $0.lowercased() == object.lowercased() } }
    }

    public var users: [User]
    public var credentials: Credentials
    /// The org's shape (Person Accounts, custom phone fields, restricted profile).
    public var org: Org
    /// Type name → records (free-form objects).
    public var records: [String: [EmulatorRecord]]
    public var dailyApiLimit: Int
    /// Device-flow polling interval in seconds (Salesforce uses 5).
    public var deviceFlowInterval: Double

    public init(users: [User] = [EmulatorSeed.defaultUser], credentials: Credentials = Credentials(),
                records: [String: [EmulatorRecord]] = [:], dailyApiLimit: Int = 15000, deviceFlowInterval: Double = 5,
                org: Org = Org()) {
        self.org = org
        self.users = users
        self.credentials = credentials
        self.records = records
        self.dailyApiLimit = dailyApiLimit
        self.deviceFlowInterval = deviceFlowInterval
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        users = try c.decodeIfPresent([User].self, forKey: .users) ?? [Self.defaultUser]
        credentials = try c.decodeIfPresent(Credentials.self, forKey: .credentials) ?? Credentials()
        records = try c.decodeIfPresent([String: [EmulatorRecord]].self, forKey: .records) ?? [:]
        dailyApiLimit = try c.decodeIfPresent(Int.self, forKey: .dailyApiLimit) ?? 15000
        deviceFlowInterval = try c.decodeIfPresent(Double.self, forKey: .deviceFlowInterval) ?? 5
        org = try c.decodeIfPresent(Org.self, forKey: .org) ?? Org()
    }

    public static let defaultUser = User(Id: "005Dg0000000001IAA", Username: "agent@example.com", Name: "Alex Agent",
                                         TimeZoneSidKey: "Europe/London", Email: "agent@example.com")

    /// Loads a seed file.
    public static func load(contentsOf url: URL) throws -> EmulatorSeed {
        try JSONDecoder().decode(EmulatorSeed.self, from: Data(contentsOf: url))
    }
}
