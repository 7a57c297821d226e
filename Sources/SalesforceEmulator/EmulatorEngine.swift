import Foundation

/// All emulator state and request handling. Requests are handled synchronously inside the
/// actor, so each one is atomic.
actor EmulatorEngine {
    struct TokenInfo {
        var userId: String
        var expired = false
    }

    struct DeviceCode {
        var userCode: String
        var userId: String
        var approved = false
        var lastPoll: Date?
        var expires: Date
    }

    struct Cursor {
        var type: String
        var indexes: [Int]
        var fields: [ResolvedField]
        var includeDeleted: Bool
        var batchSize: Int
    }

    let seed: EmulatorSeed
    let versions: [String]
    let orgId = "00DDg0000000001MAA"
    var baseURL = "http://127.0.0.1:0"

    var store = RecordStore()
    var tokens: [String: TokenInfo] = [:]
    var refreshTokens: [String: String] = [:]  // token → userId
    var deviceCodes: [String: DeviceCode] = [:]
    var cursors: [String: Cursor] = [:]
    var cursorCounter = 0
    var faults: [EmulatorFault] = []
    var log: [EmulatorLogEntry] = []
    /// Requests (not controls) received whose response has not been sent yet.
    var inFlight = 0
    /// Paths of the requests (not controls) received since start, in order; a waiter can't miss a short one.
    var received: [String] = []
    var apiUsage = 0
    var dailyLimit: Int
    /// Added to the wall clock (tests move time forward without sleeping).
    var clockOffset: TimeInterval = 0

    func now() -> Date { Date().addingTimeInterval(clockOffset) }

    func advanceClock(by seconds: TimeInterval) { clockOffset += seconds }

    init(seed: EmulatorSeed, versions: [String]) throws {
        self.seed = seed
        self.versions = versions
        self.dailyLimit = seed.dailyApiLimit
        store = RecordStore(org: seed.org)
        try Self.load(seed, into: &store, tokens: &tokens, refreshTokens: &refreshTokens)
    }

    private static func load(_ seed: EmulatorSeed, into store: inout RecordStore, tokens: inout [String: TokenInfo],
                             refreshTokens: inout [String: String]) throws {
        let now = Date()
        let defaultUser = seed.users.first?.Id
        for u in seed.users {
            let names = u.Name.split(separator: " ", maxSplits: 1).map(String.init)
            var r: EmulatorRecord = ["Id": .string(u.Id), "Username": .string(u.Username), "Name": .string(u.Name),
                                     "TimeZoneSidKey": .string(u.TimeZoneSidKey), "Email": .string(u.Email),
                                     "LocaleSidKey": "en_GB", "LanguageLocaleKey": "en_US"]
            r["FirstName"] = names.count > 1 ? .string(names[0]) : .null
            r["LastName"] = .string(names.last ?? u.Name)
            store.insert(r, type: "User", now: now, userId: nil)
        }
        for type in seed.records.keys.sorted() where !seed.org.isHidden(type) {
            guard let canonical = store.typeName(type, create: true) else {
                throw SFError.badRequest("INVALID_TYPE", "seed: sObject type '\(type)' is not supported.")
            }
            for var r in seed.records[type] ?? [] {
                if !seed.org.personAccounts {
                    // No Person Accounts in this org: leave seeded person accounts (and their contacts) out.
                    if r["IsPersonAccount"]?.boolValue == true { continue }
                    for key in Array(r.keys) where StandardSchema.isPersonAccountField(key, object: canonical) { r[key] = nil }
                }
                if let id = r["Id"], id.stringValue.flatMap(SalesforceId.normalize) == nil {
                    throw SFError.badRequest("MALFORMED_ID", "seed: \(type) Id \(id.jsonString) is not a valid 15/18-char id")
                }
                store.insert(r, type: canonical, now: now, userId: defaultUser)
            }
        }
        if seed.org.callIdField { store.define(StandardSchema.callIdField, on: "Task") }
        let user = defaultUser ?? EmulatorSeed.defaultUser.Id
        for t in seed.credentials.accessTokens { tokens[t] = TokenInfo(userId: user) }
        for t in seed.credentials.refreshTokens { refreshTokens[t] = user }
    }

    func setBaseURL(_ url: String) { baseURL = url }

    /// Restores the seed state (records, tokens, usage); keeps the request log and faults cleared.
    func reset() throws {
        store = RecordStore(org: seed.org)
        tokens = [:]
        refreshTokens = [:]
        deviceCodes = [:]
        cursors = [:]
        faults = []
        apiUsage = 0
        try Self.load(seed, into: &store, tokens: &tokens, refreshTokens: &refreshTokens)
    }

    // MARK: Dispatch

    func handle(_ req: EmuRequest) -> EmuResponse {
        let s = req.segments
        do {
            if s.first == "__emulator" { return try handleControl(req) }
            if s.count >= 2, s[0] == "services", s[1] == "oauth2" { return try handleOAuth(req) }
            if s.count == 3, s[0] == "id" { return try identity(req, orgId: s[1], userId: s[2]) }
            if s.count == 4, s[0] == "services", s[1] == "Soap", s[2] == "u" { return soapLogin(req) }
            if s.count == 2, s[0] == "services", s[1] == "data" {
                guard req.method == "GET" || req.method == "HEAD" else { throw SFError.methodNotAllowed(req.method, allowed: ["GET", "HEAD"]) }
                return .json(200, .array(versions.map(versionEntry)))
            }
            if s.count >= 3, s[0] == "services", s[1] == "data" { return handleData(req) }
            throw SFError.notFound
        } catch let e as SFError {
            return e.response
        } catch let e as OAuthError {
            return e.response
        } catch let e as QueryError {
            return SFError.badRequest(e.errorCode, e.message).response
        } catch {
            return SFError(status: 500, errorCode: "UNKNOWN_EXCEPTION", message: "\(error)").response
        }
    }

    /// `/services/data/vNN.N/…`: version check, auth, API usage, then the resource.
    private func handleData(_ req: EmuRequest) -> EmuResponse {
        let s = req.segments
        var response: EmuResponse
        do {
            let v = s[2]
            guard v.hasPrefix("v"), versions.contains(String(v.dropFirst())) else { throw SFError.notFound }
            let version = String(v.dropFirst())
            let userId = try authenticate(req)
            guard apiUsage < dailyLimit else {
                throw SFError(status: 403, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded.")
            }
            apiUsage += 1
            response = try route(req, version: version, rest: Array(s.dropFirst(3)), userId: userId)
        } catch let e as SFError {
            response = e.response
        } catch let e as QueryError {
            response = SFError.badRequest(e.errorCode, e.message).response
        } catch {
            response = SFError(status: 500, errorCode: "UNKNOWN_EXCEPTION", message: "\(error)").response
        }
        response.headers["Sforce-Limit-Info"] = "api-usage=\(apiUsage)/\(dailyLimit)"
        return response
    }

    /// The user id for a valid bearer token.
    func authenticate(_ req: EmuRequest) throws -> String {
        guard let auth = req.header("Authorization") else { throw SFError.invalidSession }
        let parts = auth.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, ["bearer", "oauth"].contains(parts[0].lowercased()),
              let info = tokens[String(parts[1])], !info.expired else { throw SFError.invalidSession }
        return info.userId
    }

    private func route(_ req: EmuRequest, version: String, rest: [String], userId: String) throws -> EmuResponse {
        guard let first = rest.first else {
            try requireGet(req)
            return .json(200, .object(resources(version: version)))
        }
        switch first {
        case "limits":
            try requireGet(req)
            return limits()
        case "query", "queryAll":
            try requireGet(req)
            if rest.count == 2 { return try queryMore(locator: rest[1], version: version) }
            return try query(req, version: version, includeDeleted: first == "queryAll")
        case "search":
            try requireGet(req)
            return try search(req, version: version)
        case "parameterizedSearch":
            try requireGet(req)
            return try parameterizedSearch(req, version: version)
        case "sobjects":
            return try sobjects(req, version: version, rest: Array(rest.dropFirst()), userId: userId)
        case "composite":
            guard rest.count >= 2, rest[1] == "sobjects" else { throw SFError.notFound }
            return try compositeSObjects(req, version: version, rest: Array(rest.dropFirst(2)), userId: userId)
        default:
            throw SFError.notFound
        }
    }

    func requireGet(_ req: EmuRequest) throws {
        guard req.method == "GET" || req.method == "HEAD" else {
            throw SFError.methodNotAllowed(req.method, allowed: ["GET", "HEAD"])
        }
    }

    func parseBody(_ req: EmuRequest) throws -> EmulatorJSON {
        do {
            return try EmulatorJSON.parse(req.body)
        } catch {
            throw SFError.badRequest("JSON_PARSER_ERROR", "Unexpected character: was expecting a JSON value at [line:1, column:1]")
        }
    }

    // MARK: Faults and log (used by the HTTP layer)

    func takeFault(method: String, path: String) -> EmulatorFault? {
        guard !path.hasPrefix("/__emulator"), let i = faults.firstIndex(where: { $0.matches(method: method, path: path) })
        else { return nil }
        let fault = faults[i]
        faults[i].count -= 1
        if faults[i].count <= 0 { faults.remove(at: i) }
        return fault
    }

    func addFault(_ fault: EmulatorFault) { faults.append(fault) }

    func record(_ entry: EmulatorLogEntry) { log.append(entry) }

    func beginRequest(path: String) {
        inFlight += 1
        received.append(path)
    }
    func endRequest() { inFlight -= 1 }

    /// Turns on the org option `callIdField` (Task.Ringside_Call_Id__c, External ID, Unique).
    func enableCallIdField() { store.define(StandardSchema.callIdField, on: "Task") }

    func requestLog() -> [EmulatorLogEntry] { log }

    func clearLog() { log = [] }

    func expireTokens() {
        for k in tokens.keys { tokens[k]?.expired = true }
    }

    func liveRecords(of type: String) -> [EmulatorRecord] {
        store.table(type)?.liveRecords ?? []
    }

    func setApiUsage(_ used: Int) { apiUsage = used }
}
