import Foundation

/// Test controls under `/__emulator/` (no auth, not counted, not logged):
/// `POST faults`, `GET|DELETE faults`, `POST expire-tokens`, `POST tokens` (issue one),
/// `GET|DELETE requests`, `POST reset`, `POST device/approve {"user_code"}`,
/// `GET|POST records/{Type}`, `POST api-usage {"used"}`, `GET in-flight` (requests received, not yet answered),
/// `POST org {"callIdField": true}` (org options).
extension EmulatorEngine {
    func handleControl(_ req: EmuRequest) throws -> EmuResponse {
        let s = Array(req.segments.dropFirst())
        switch (req.method, s.first ?? "") {
        case ("POST", "faults"):
            let body = req.body.isEmpty ? Data("{}".utf8) : req.body
            if let list = try? JSONDecoder().decode([EmulatorFault].self, from: body) {
                faults.append(contentsOf: list)
            } else {
                do {
                    faults.append(try JSONDecoder().decode(EmulatorFault.self, from: body))
                } catch {
                    throw SFError.badRequest("JSON_PARSER_ERROR", "invalid fault: \(error)")
                }
            }
            return .json(200, ["faults": .number(Double(faults.count))])
        case ("GET", "faults"):
            return EmuResponse(status: 200, headers: ["Content-Type": "application/json"],
                               body: (try? JSONEncoder().encode(faults)) ?? Data("[]".utf8))
        case ("DELETE", "faults"):
            faults = []
            return .noContent()
        case ("POST", "expire-tokens"):
            expireTokens()
            return .noContent()
        case ("POST", "tokens"):
            return .json(200, ["access_token": .string(issueToken())])
        case ("GET", "requests"):
            return EmuResponse(status: 200, headers: ["Content-Type": "application/json"],
                               body: (try? JSONEncoder().encode(log)) ?? Data("[]".utf8))
        case ("DELETE", "requests"):
            log = []
            return .noContent()
        case ("POST", "reset"):
            try reset()
            log = []
            return .noContent()
        case ("GET", "in-flight"):
            return .json(200, ["inFlight": .number(Double(inFlight))])
        case ("POST", "org"):
            if try parseBody(req)["callIdField"]?.boolValue == true { enableCallIdField() }
            return .noContent()
        case ("POST", "api-usage"):
            let used = try parseBody(req)["used"]?.numberValue ?? 0
            apiUsage = Int(used)
            return .noContent()
        case ("POST", "device"):
            guard s.count == 2, s[1] == "approve", let code = try parseBody(req)["user_code"]?.stringValue else {
                throw SFError.notFound
            }
            guard approveDevice(userCode: code) else {
                throw SFError.badRequest("INVALID_USER_CODE", "unknown user_code \(code)")
            }
            return .noContent()
        case ("GET", "records"):
            guard s.count == 2, let table = store.table(s[1]) else { throw SFError.notFound }
            return .json(200, .array(table.liveRecords.map { .object($0) }))
        case ("POST", "records"):
            guard s.count == 2, let type = store.typeName(s[1], create: true) else { throw SFError.notFound }
            let body = try parseBody(req)
            let list = body.arrayValue ?? body["records"]?.arrayValue ?? [body]
            let ids = try addRecords(list.compactMap(\.objectValue), type: type)
            return .json(200, ["ids": .array(ids.map { .string($0) })])
        default:
            throw SFError.notFound
        }
    }

    /// Adds a record directly (no validation; ids may be given).
    @discardableResult
    func addRecord(_ record: EmulatorRecord, type: String) -> String {
        let canonical = store.typeName(type, create: true) ?? type
        return store.insert(record, type: canonical, now: now(), userId: defaultUserId)
    }

    func addRecords(_ records: [EmulatorRecord], type: String) throws -> [String] {
        guard let canonical = store.typeName(type, create: true) else {
            throw SFError.badRequest("INVALID_TYPE", "sObject type '\(type)' is not supported.")
        }
        for r in records {
            if let id = r["Id"], id.stringValue.flatMap(SalesforceId.normalize) == nil {
                throw SFError.badRequest("MALFORMED_ID", "Id \(id.jsonString) is not a valid 15/18-char id")
            }
        }
        let t = now()
        return records.map { store.insert($0, type: canonical, now: t, userId: defaultUserId) }
    }
}
