import Foundation

/// `/services/oauth2/token`, `/services/oauth2/userinfo`, `/services/oauth2/revoke`,
/// the identity URL `/id/{org}/{user}` and the SOAP partner `login` used by simple-salesforce.
extension EmulatorEngine {
    func handleOAuth(_ req: EmuRequest) throws -> EmuResponse {
        let s = req.segments
        guard s.count == 3 else { throw SFError.notFound }
        switch s[2] {
        case "token":
            guard req.method == "POST" else { throw SFError.methodNotAllowed(req.method, allowed: ["POST"]) }
            return try token(req)
        case "userinfo":
            // Like Salesforce: an expired or unknown token gets 403 with the text `Bad_OAuth_Token` (not JSON, not 401).
            guard let userId = try? authenticate(req) else {
                return EmuResponse(status: 403, headers: ["Content-Type": "text/plain;charset=UTF-8"], body: Data("Bad_OAuth_Token".utf8))
            }
            return .json(200, userInfo(userId))
        case "revoke":
            let form = FormDecoding.decode(String(decoding: req.body, as: UTF8.self)).merging(req.query) { a, _ in a }
            if let t = form["token"] { tokens[t] = nil; refreshTokens[t] = nil }
            return EmuResponse(status: 200)
        default:
            throw SFError.notFound
        }
    }

    private func bearerUser(_ req: EmuRequest) throws -> String {
        do {
            return try authenticate(req)
        } catch {
            throw OAuthError(status: 403, error: "Bad_OAuth_Token", description: "Bad_OAuth_Token")
        }
    }

    private func token(_ req: EmuRequest) throws -> EmuResponse {
        let form = FormDecoding.decode(String(decoding: req.body, as: UTF8.self)).merging(req.query) { a, _ in a }
        let creds = seed.credentials
        var clientId = form["client_id"]
        var clientSecret = form["client_secret"]
        if let auth = req.header("Authorization"), auth.lowercased().hasPrefix("basic "),
           let decoded = Data(base64Encoded: String(auth.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }) {
            let parts = decoded.split(separator: ":", maxSplits: 1).map(String.init)
            if parts.count == 2 { clientId = parts[0]; clientSecret = parts[1] }
        }
        func checkClient(secretRequired: Bool) throws {
            guard clientId == creds.clientId else {
                throw OAuthError(error: "invalid_client_id", description: "client identifier invalid")
            }
            if secretRequired || clientSecret != nil, clientSecret != creds.clientSecret {
                throw OAuthError(error: "invalid_client", description: "invalid client credentials")
            }
        }
        if form["response_type"] == "device_code" {
            try checkClient(secretRequired: false)
            return startDeviceFlow()
        }
        switch form["grant_type"] ?? "" {
        case "password":
            try checkClient(secretRequired: true)
            guard let user = seed.users.first(where: { $0.Username.lowercased() == form["username"]?.lowercased() }),
                  user.Username.lowercased() == creds.username.lowercased(),
                  form["password"] == creds.password + creds.securityToken else {
                throw OAuthError(error: "invalid_grant", description: "authentication failure")
            }
            return tokenResponse(userId: user.Id, refresh: true)
        case "client_credentials":
            try checkClient(secretRequired: true)
            return tokenResponse(userId: defaultUserId, refresh: false)
        case "refresh_token":
            try checkClient(secretRequired: false)
            guard let rt = form["refresh_token"], let userId = refreshTokens[rt] else {
                throw OAuthError(error: "invalid_grant", description: "expired access/refresh token")
            }
            return tokenResponse(userId: userId, refresh: false)
        case "device", "urn:ietf:params:oauth:grant-type:device_code":
            try checkClient(secretRequired: false)
            return try pollDevice(code: form["code"] ?? form["device_code"] ?? "")
        case "":
            throw OAuthError(error: "invalid_request", description: "grant type not supported")
        default:
            throw OAuthError(error: "unsupported_grant_type", description: "grant type not supported")
        }
    }

    var defaultUserId: String { seed.users.first?.Id ?? EmulatorSeed.defaultUser.Id }

    /// Issues an access token for a user (also used by the Swift API).
    func issueToken(userId: String? = nil) -> String {
        let token = orgId.prefix(15) + "!" + Self.randomToken(60)
        tokens[String(token)] = TokenInfo(userId: userId ?? defaultUserId)
        return String(token)
    }

    private func tokenResponse(userId: String, refresh: Bool) -> EmuResponse {
        let access = issueToken(userId: userId)
        let issuedAt = String(Int64(now().timeIntervalSince1970 * 1000))
        let id = "\(baseURL)/id/\(orgId)/\(userId)"
        let signature = Data(HMAC.sha256HMAC(key: Array(seed.credentials.clientSecret.utf8),
                                             message: Array((id + issuedAt).utf8))).base64EncodedString()
        var body: EmulatorRecord = [
            "access_token": .string(access), "instance_url": .string(baseURL), "id": .string(id),
            "token_type": "Bearer", "issued_at": .string(issuedAt), "signature": .string(signature),
            "scope": refresh ? "api refresh_token" : "api",
        ]
        if refresh {
            let rt = "5Aep" + Self.randomToken(80)
            refreshTokens[rt] = userId
            body["refresh_token"] = .string(rt)
        }
        return .json(200, .object(body))
    }

    private func startDeviceFlow() -> EmuResponse {
        let device = Self.randomToken(40)
        let letters = Array("BCDFGHJKLMNPQRSTVWXZ")
        let user = String((0..<8).map { _ in letters.randomElement()! })
        deviceCodes[device] = DeviceCode(userCode: user, userId: defaultUserId, expires: now().addingTimeInterval(600))
        return .json(200, [
            "device_code": .string(device), "user_code": .string(user),
            "verification_uri": .string("\(baseURL)/setup/connect"),
            "interval": .number(seed.deviceFlowInterval), "expires_in": 600,
        ])
    }

    private func pollDevice(code: String) throws -> EmuResponse {
        guard var entry = deviceCodes[code] else {
            throw OAuthError(error: "invalid_grant", description: "invalid device code")
        }
        let t = now()
        guard t < entry.expires else {
            deviceCodes[code] = nil
            throw OAuthError(error: "expired_token", description: "device code expired")
        }
        defer { deviceCodes[code]?.lastPoll = t }
        if let last = entry.lastPoll, t.timeIntervalSince(last) < seed.deviceFlowInterval {
            throw OAuthError(error: "slow_down", description: "polling too frequently")
        }
        guard entry.approved else {
            throw OAuthError(error: "authorization_pending", description: "authorization pending")
        }
        entry.approved = false
        deviceCodes[code] = nil
        return tokenResponse(userId: entry.userId, refresh: true)
    }

    /// Test control: approve a pending device-flow code. Returns false when unknown.
    func approveDevice(userCode: String) -> Bool {
        guard let key = deviceCodes.first(where: { $0.value.userCode == userCode.uppercased() })?.key else { return false }
        deviceCodes[key]?.approved = true
        return true
    }

    func userInfo(_ userId: String) -> EmulatorJSON {
        let user = seed.users.first { $0.Id == userId } ?? EmulatorSeed.defaultUser
        return [
            "sub": .string("\(baseURL)/id/\(orgId)/\(user.Id)"), "user_id": .string(user.Id),
            "organization_id": .string(orgId), "preferred_username": .string(user.Username),
            "name": .string(user.Name), "email": .string(user.Email), "email_verified": true,
            "zoneinfo": .string(user.TimeZoneSidKey), "locale": "en_GB", "language": "en_US",
            "user_type": "STANDARD", "active": true,
            "urls": ["rest": .string("\(baseURL)/services/data/v{version}/"),
                     "sobjects": .string("\(baseURL)/services/data/v{version}/sobjects/"),
                     "query": .string("\(baseURL)/services/data/v{version}/query/"),
                     "search": .string("\(baseURL)/services/data/v{version}/search/")],
        ]
    }

    func identity(_ req: EmuRequest, orgId: String, userId: String) throws -> EmuResponse {
        let tokenUser = try bearerUser(req)
        guard orgId == self.orgId, tokenUser == userId, let user = seed.users.first(where: { $0.Id == userId }) else {
            throw OAuthError(status: 403, error: "Bad_Id", description: "Bad_Id")
        }
        var info = userInfo(userId).objectValue ?? [:]
        info["id"] = .string("\(baseURL)/id/\(orgId)/\(userId)")
        info["username"] = .string(user.Username)
        info["display_name"] = .string(user.Name)
        info["timezone"] = .string(user.TimeZoneSidKey)
        return .json(200, .object(info))
    }

    /// Partner SOAP `login` (password + security token), as used by simple-salesforce.
    func soapLogin(_ req: EmuRequest) -> EmuResponse {
        let body = String(decoding: req.body, as: UTF8.self)
        func element(_ name: String) -> String? {
            guard let open = body.range(of: "<\\w*:?\(name)>", options: .regularExpression),
                  let close = body.range(of: "</\\w*:?\(name)>", options: .regularExpression, range: open.upperBound..<body.endIndex)
            else { return nil }
            return String(body[open.upperBound..<close.lowerBound])
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        let creds = seed.credentials
        let headers = ["Content-Type": "text/xml;charset=UTF-8"]
        guard let user = seed.users.first(where: { $0.Username.lowercased() == element("username")?.lowercased() }),
              user.Username.lowercased() == creds.username.lowercased(),
              element("password") == creds.password + creds.securityToken else {
            let fault = """
                <?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>
                """
            return EmuResponse(status: 500, headers: headers, body: Data(fault.utf8))
        }
        let session = issueToken(userId: user.Id)
        let version = req.segments[3]
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result><metadataServerUrl>\(baseURL)/services/Soap/m/\(version)/\(orgId)</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>\(baseURL)/services/Soap/u/\(version)/\(orgId)</serverUrl><sessionId>\(session)</sessionId><userId>\(user.Id)</userId><userInfo><organizationId>\(orgId)</organizationId><userEmail>\(user.Email)</userEmail><userFullName>\(user.Name)</userFullName><userId>\(user.Id)</userId><userName>\(user.Username)</userName><userTimeZone>\(user.TimeZoneSidKey)</userTimeZone></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>
            """
        return EmuResponse(status: 200, headers: headers, body: Data(xml.utf8))
    }

    static func randomToken(_ length: Int) -> String {
        let chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._")
        return String((0..<length).map { _ in chars.randomElement()! })
    }
}
