import Foundation
import RingsideCore
import RingsideCurl
import Testing
@testable import RingsideSalesforce

/// Client behaviour against a scripted transport: request shapes, retry-once, shared refresh,
/// post-filtering, batching.
@Suite("SalesforceClient with a fake transport")
struct ClientUnitTests {
    static let annJSON = #"{"attributes":{"type":"Contact","url":"/services/data/v62.0/sobjects/Contact/003Dg0000000001IAA"},"Id":"003Dg0000000001IAA","Name":"Ann Lee","AccountId":"001Dg0000000001IAA","Account":{"attributes":{"type":"Account"},"Name":"Acme Logistics Ltd"},"Phone":"+44 7814 256404","MobilePhone":null,"HomePhone":null,"OtherPhone":null,"AssistantPhone":null,"Owner":{"attributes":{"type":"User"},"Name":"Alex Agent"},"LastModifiedDate":"2026-01-01T10:00:00.000+0000"}"#
    static let nearJSON = #"{"attributes":{"type":"Contact"},"Id":"003Dg0000000005IAA","Name":"Near Miss","Phone":"+1 (781) 425-6404","LastModifiedDate":"2026-01-02T10:00:00.000+0000"}"#
    static let leadJSON = #"{"attributes":{"type":"Lead"},"Id":"00QDg0000000001MAA","Name":"Dan Dewar","Company":"Dewar Deliveries","Phone":null,"MobilePhone":"07814-256-404","LastModifiedDate":"2025-06-01T10:00:00.000+0000"}"#

    @Test func lookupIsOneSOSLRequestAndPostFilters() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(200, tokenJSON)
        fake.enqueue(200, #"{"searchRecords":[\#(Self.annJSON),\#(Self.nearJSON),\#(Self.leadJSON)]}"#,
                     headers: ["Sforce-Limit-Info": "api-usage=41/15000"])
        let client = try SF.client(SF.settings(), http: fake)
        let result = try await client.lookupTyped(SF.number("07814 256404"))

        #expect(result.source == .live)
        #expect(result.candidates.map(\.name) == ["Ann Lee", "Dan Dewar"], "the +1 near-match is dropped")
        let ann = try #require(result.candidates.first)
        #expect(ann.type == .contact)
        #expect(ann.accountName == "Acme Logistics Ltd")
        #expect(ann.accountId == "001Dg0000000001IAA")
        #expect(ann.owner == "Alex Agent")
        #expect(ann.lastModified == SalesforceDateTime.parse("2026-01-01T10:00:00Z"))
        #expect(ann.url == "https://acme.my.salesforce.com/lightning/r/Contact/003Dg0000000001IAA/view")
        #expect(ann.phones == [PhoneField(field: "Phone", raw: "+44 7814 256404", e164: "+447814256404")])
        #expect(result.candidates[1].accountName == "Dewar Deliveries")

        let requests = fake.requests
        #expect(requests.count == 2, "one token request + exactly one search")
        let search = requests[1]
        #expect(search.method == .get)
        #expect(search.path == "/services/data/v62.0/search/")
        #expect(search.headers["Authorization"] == "Bearer 00DFAKE!tok1")
        let q = try #require(search.queryQ)
        #expect(q.hasPrefix("FIND {447814256404 OR 07814256404 OR 7814256404} IN PHONE FIELDS RETURNING Contact(Id, Name, AccountId, Account.Name, Phone, MobilePhone, HomePhone, OtherPhone, AssistantPhone, Owner.Name, LastModifiedDate), Account(Id, Name, Phone, PersonMobilePhone, PersonHomePhone, PersonOtherPhone, IsPersonAccount, PersonContactId, Owner.Name, LastModifiedDate), Lead("))
        #expect(q.contains("WHERE IsConverted = false)"))
        #expect(client.apiUsage == APIUsage(used: 41, max: 15000))
    }

    @Test func lookupSOSLFollowsSettings() throws {
        let n = SF.number("+1 415 555 2671")
        let plain = SalesforceClient.lookupSOSL(for: n, entities: [.lead, .contact], schema: SF.schema(), personAccounts: false, region: .US)
        #expect(plain == "FIND {14155552671 OR 4155552671} IN PHONE FIELDS RETURNING Lead(Id, Name, Company, Phone, MobilePhone, Owner.Name, LastModifiedDate WHERE IsConverted = false), Contact(Id, Name, AccountId, Account.Name, Phone, MobilePhone, HomePhone, OtherPhone, AssistantPhone, Owner.Name, LastModifiedDate)")
        let noPerson = try #require(SalesforceClient.lookupSOSL(for: n, entities: [.account], schema: SF.schema(), personAccounts: false, region: .GB))
        #expect(!noPerson.contains("Person"))
        #expect(noPerson.contains("{14155552671 OR 4155552671}"))
        // An org without Person Accounts: never a Person field, whatever the setting; custom phone fields searched;
        // hidden objects left out; nothing searchable → no request at all.
        let org = SF.schema(personAccounts: false, hidden: ["Lead"], extraPhones: ["Contact": ["Mobile_2__c"]])
        let real = try #require(SalesforceClient.lookupSOSL(for: n, entities: [.contact, .account, .lead], schema: org, personAccounts: true, region: .GB))
        #expect(!real.contains("Person") && !real.contains("Lead("))
        #expect(real.contains("AssistantPhone, Mobile_2__c, Owner.Name"))
        #expect(SalesforceClient.lookupSOSL(for: n, entities: [.lead], schema: org, personAccounts: false, region: .GB) == nil)
    }

    @Test func personAccountContactTwinIsDropped() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(200, tokenJSON)
        fake.enqueue(200, #"{"searchRecords":[{"attributes":{"type":"Contact"},"Id":"003Dg0000000009IAA","Name":"Priya Shah","MobilePhone":"+44 7700 900123"},{"attributes":{"type":"Account"},"Id":"001Dg0000000003IAA","Name":"Priya Shah","IsPersonAccount":true,"PersonContactId":"003Dg0000000009IAA","PersonMobilePhone":"+44 7700 900123"}]}"#)
        let client = try SF.client(SF.settings(), http: fake)
        let result = try await client.lookupTyped(SF.number("07700 900123"))
        #expect(result.candidates.map(\.id) == ["001Dg0000000003IAA"])
        #expect(result.candidates.first?.isPersonAccount == true)
    }

    @Test func internalNumbersAreNeverLookedUp() async throws {
        let fake = FakeHTTPClient()
        let client = try SF.client(SF.settings(), http: fake)
        let result = try await client.lookupTyped(SF.number("2041"))
        #expect(result == LookupResult(candidates: [], source: .skipped))
        #expect(fake.requests.isEmpty)
    }

    @Test func invalidSessionRefreshesAndRetriesOnce() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(200, tokenJSON)
        fake.enqueue(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
        fake.enqueue(200, tokenJSON.replacingOccurrences(of: "tok1", with: "tok2"))
        fake.enqueue(200, #"{"searchRecords":[]}"#)
        let client = try SF.client(SF.settings(), http: fake)
        let result = try await client.lookupTyped(SF.number("07814256404"))
        #expect(result.candidates.isEmpty)
        let r = fake.requests
        #expect(r.map(\.path) == ["/services/oauth2/token", "/services/data/v62.0/search/", "/services/oauth2/token", "/services/data/v62.0/search/"])
        #expect(r[3].headers["Authorization"] == "Bearer 00DFAKE!tok2")
        #expect(r[0].form["grant_type"] == "password")
        #expect(r[0].form["password"] == SF.password + SF.securityToken)
        #expect(await client.auth.tokenRequests == 2)
    }

    @Test func secondInvalidSessionIsNotRetriedAgain() async throws {
        let fake = FakeHTTPClient()
        let invalid = #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#
        fake.enqueue(200, tokenJSON)
        fake.enqueue(401, invalid)
        fake.enqueue(200, tokenJSON.replacingOccurrences(of: "tok1", with: "tok2"))
        fake.enqueue(401, invalid)
        fake.enqueue(200, #"{"searchRecords":[]}"#)
        let client = try SF.client(SF.settings(), http: fake)
        let error = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
        #expect(error?.errorCode == "INVALID_SESSION_ID")
        #expect(error?.isAuthenticationFailure == true)
        #expect(error?.description.contains("ringside login") == true)
        #expect(fake.requests.count == 4, "exactly one retry")
    }

    @Test func concurrentRequestsShareOneLoginAndOneRefresh() async throws {
        let tokens = LockedValue(0)
        let fake = FakeHTTPClient { (request: HTTPRequest, _: Int) async throws(HTTPError) -> HTTPResponse in
            try? await Task.sleep(for: .milliseconds(30))
            if request.url.hasSuffix("/services/oauth2/token") {
                let n = tokens.withValue { $0 += 1; return $0 }
                return response(200, tokenJSON.replacingOccurrences(of: "tok1", with: "tok\(n)"))
            }
            if request.headers["Authorization"] == "Bearer 00DFAKE!tok1" {
                return response(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
            }
            return response(200, #"{"searchRecords":[]}"#)
        }
        let client = try SF.client(SF.settings(), http: fake)
        try await withThrowingTaskGroup(of: LookupResult.self) { group in
            for _ in 0..<8 { group.addTask { try await client.lookup(SF.number("07814256404")) } }
            for try await result in group { #expect(result.source == .live) }
        }
        #expect(tokens.value == 2, "one login + one shared refresh, not one per request")
        #expect(fake.requests.filter { $0.url.contains("/search/") }.count == 16)
    }

    @Test func deviceFlowPollingHonoursPendingAndSlowDown() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(200, #"{"device_code":"DEV-123","user_code":"BCDFGHJK","verification_uri":"https://login.salesforce.com/setup/connect","interval":5}"#)
        fake.enqueue(400, #"{"error":"authorization_pending","error_description":"authorization pending"}"#)
        fake.enqueue(400, #"{"error":"slow_down","error_description":"polling too frequently"}"#)
        fake.enqueue(400, #"{"error":"authorization_pending","error_description":"authorization pending"}"#)
        fake.enqueue(200, #"{"access_token":"00D!dev","instance_url":"https://acme.my.salesforce.com","refresh_token":"5Aep-device-refresh","id":"https://login.salesforce.com/id/00D/005"}"#)
        let store = InMemoryTokenStore()
        let sleeper = SleepRecorder()
        let auth = SalesforceAuth(settings: SF.settings(.deviceFlow), http: fake, tokenStore: store, sleep: sleeper.sleep)
        let start = try await auth.startDeviceFlow()
        #expect(start.userCode == "BCDFGHJK")
        #expect(start.verificationURL == "https://login.salesforce.com/setup/connect")
        #expect(start.interval == .seconds(5))
        let seen = LockedValue<[DevicePollResult]>([])
        let session = try await auth.pollDeviceFlow(start) { result in seen.withValue { $0.append(result) } }
        #expect(session.accessToken == "00D!dev")
        #expect(sleeper.durations == [.seconds(5), .seconds(5), .seconds(10), .seconds(10)], "slow_down adds 5 s and keeps it")
        #expect(seen.value.count == 4)
        #expect(try store.loadRefreshToken() == "5Aep-device-refresh")
        let requests = fake.requests
        #expect(requests[0].form["response_type"] == "device_code")
        #expect(requests[0].form["client_id"] == SF.clientId)
        #expect(requests[1].form["grant_type"] == "device")
        #expect(requests[1].form["code"] == "DEV-123")
        #expect(try await auth.currentSession().accessToken == "00D!dev")
    }

    @Test(arguments: [("expired_token", SalesforceError.deviceFlowExpired), ("access_denied", SalesforceError.deviceFlowDenied)])
    func deviceFlowTerminalErrors(_ code: String, _ expected: SalesforceError) async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(400, #"{"error":"authorization_pending"}"#)
        fake.enqueue(400, #"{"error":"\#(code)","error_description":"x"}"#)
        let auth = SalesforceAuth(settings: SF.settings(.deviceFlow), http: fake, sleep: SleepRecorder().sleep)
        let start = DeviceAuthorization(deviceCode: "d", userCode: "u", verificationURL: "v", interval: .seconds(5), expiresIn: .seconds(600))
        let error = await expectFailure { () async throws(SalesforceError) in try await auth.pollDeviceFlow(start) }
        #expect(error == expected)
    }

    @Test func deviceFlowGivesUpWhenTheCodeExpires() async throws {
        let fake = FakeHTTPClient { (_: HTTPRequest, _: Int) async throws(HTTPError) -> HTTPResponse in response(400, #"{"error":"authorization_pending"}"#) }
        let auth = SalesforceAuth(settings: SF.settings(.deviceFlow), http: fake, sleep: SleepRecorder().sleep)
        let start = DeviceAuthorization(deviceCode: "d", userCode: "u", verificationURL: "v", interval: .seconds(5), expiresIn: .seconds(30))
        let error = await expectFailure { () async throws(SalesforceError) in try await auth.pollDeviceFlow(start) }
        #expect(error == .deviceFlowExpired)
        #expect(fake.requests.count == 6)
    }

    @Test func deviceFlowKindWithoutSavedLoginSaysRunLogin() async throws {
        let fake = FakeHTTPClient()
        let client = try SF.client(SF.settings(.deviceFlow), http: fake)
        let error = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
        guard case .notLoggedIn = error else { Issue.record("expected notLoggedIn, got \(String(describing: error))"); return }
        #expect(error?.description.contains("ringside login") == true)
        #expect(fake.requests.isEmpty)
    }

    @Test func searchRoutesIDsURLsNamesAndNumbers() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(200, tokenJSON)
        for _ in 0..<2 { fake.enqueue(200, Self.annJSON) }
        for _ in 0..<3 { fake.enqueue(200, #"{"searchRecords":[\#(Self.annJSON)]}"#) }
        let client = try SF.client(SF.settings(), http: fake)

        #expect(try await client.searchTyped("003Dg0000000001").map(\.id) == ["003Dg0000000001IAA"])
        #expect(try await client.searchTyped("https://acme.lightning.force.com/lightning/r/Contact/003Dg0000000001IAA/view").count == 1)
        _ = try await client.searchTyped("O'Brien & Sons")
        _ = try await client.searchTyped("+44 (20) 7946-0002")
        _ = try await client.searchTyped("Northwindtraders")
        #expect(try await client.searchTyped("a").isEmpty)

        let r = fake.requests
        #expect(r.count == 6, "a one-letter search sends nothing")
        #expect(r[1].path == "/services/data/v62.0/sobjects/Contact/003Dg0000000001IAA")
        #expect(r[2].path == "/services/data/v62.0/sobjects/Contact/003Dg0000000001IAA")
        #expect(r[3].queryQ?.hasPrefix(#"FIND {O\'Brien Sons} IN NAME FIELDS RETURNING Contact("#) == true)
        #expect(r[3].queryQ?.contains("Case(Id, CaseNumber, Subject") == true)
        #expect(r[3].queryQ?.contains("Opportunity(Id, Name") == true)
        #expect(r[4].queryQ?.hasPrefix("FIND {442079460002 OR 02079460002 OR 2079460002} IN ALL FIELDS") == true, "a number in every form the caller lookup uses")
        #expect(r[5].queryQ?.hasPrefix("FIND {Northwindtraders} IN NAME FIELDS") == true, "15 letters without digits is a name, not an ID")
    }

    @Test func createTasksBatchesAndReportsPerRecord() async throws {
        let fake = FakeHTTPClient { (request: HTTPRequest, index: Int) async throws(HTTPError) -> HTTPResponse in
            if request.url.hasSuffix("/token") { return response(200, tokenJSON) }
            guard let body = JSONValue.parse(request.body), let records = body["records"]?.arrayValue else {
                return response(400, #"[{"errorCode":"JSON_PARSER_ERROR","message":"bad"}]"#)
            }
            if index == 3 { throw .connectionReset(afterSending: true) }
            let results = records.map { r -> String in
                r["CallObject"]?.stringValue == "call-7"
                    ? #"{"success":false,"errors":[{"statusCode":"INVALID_CROSS_REFERENCE_KEY","message":"invalid cross reference id","fields":["WhoId"]}]}"#
                    : #"{"id":"00T000000000001AAA","success":true,"errors":[]}"#
            }
            return response(200, "[" + results.joined(separator: ",") + "]")
        }
        let client = try SF.client(SF.settings(), http: fake)
        let records = (0..<450).map { SF.callRecord("call-\($0)") }
        let results = await client.createTasks(records)
        #expect(results.count == 450)
        #expect(results.map(\.callObject) == records.map(\.callObject))
        let batches = fake.requests.dropFirst()
        #expect(batches.count == 3)
        #expect(batches.map { JSONValue.parse($0.body)?["records"]?.arrayValue?.count } == [200, 200, 50])
        #expect(batches.allSatisfy { JSONValue.parse($0.body)?["allOrNone"] == false })
        #expect(batches.allSatisfy { $0.path == "/services/data/v62.0/composite/sobjects" })
        #expect(JSONValue.parse(batches.first!.body)?["records"]?.arrayValue?.first?["attributes"]?["type"] == "Task")
        #expect(results[7].error?.errorCode == "INVALID_CROSS_REFERENCE_KEY")
        #expect(results[7].error?.isPermanent == true)
        #expect(results[8].id == "00T000000000001AAA")
        #expect(results[399].id != nil)
        #expect(results[400...].allSatisfy { $0.error?.isUncertain == true }, "a dropped chunk is uncertain for its records only")
    }

    @Test func taskBodyHasTheTaskFieldsAndCustomModeMapsThem() throws {
        let record = SF.callRecord("abc-1", who: EntityRef(type: .contact, id: "003Dg0000000001IAA", name: "Ann Lee"),
                                   what: EntityRef(type: .account, id: "001Dg0000000001IAA", name: "Acme"), ownerId: "005Dg0000000001IAA")
        let standard = try SalesforceClient(settings: SF.settings(), http: FakeHTTPClient()).taskBody(record)
        #expect(standard["CallObject"] == "abc-1")
        #expect(standard["CallDurationInSeconds"] == .int(120))
        #expect(standard["TaskSubtype"] == "Call")
        #expect(standard["CallType"] == "Inbound")
        #expect(standard["WhoId"] == "003Dg0000000001IAA")
        #expect(standard["WhatId"] == "001Dg0000000001IAA")
        #expect(standard["OwnerId"] == "005Dg0000000001IAA")
        #expect(standard["CallDisposition"] == "Resolved")
        #expect(standard["Status"] == "Completed")
        #expect(standard.count == record.taskFields.count)
        // Fields the profile cannot create (describe) are left out rather than failing the whole record.
        let locked = try SalesforceClient(settings: SF.settings(), http: FakeHTTPClient())
            .taskBody(record, createable: SF.schema(lockedTaskFields: ["TaskSubtype"]).objects["Task"]?.createable)
        #expect(locked["TaskSubtype"] == nil && locked["CallObject"] == "abc-1" && locked.count == record.taskFields.count - 1)

        let custom = TaskObject.custom(object: "Call_Recording__c",
                                       fieldMap: ["CallObject": "call_id__c", "Subject": "Subject__c", "CallDurationInSeconds": "duration__c"])
        let mapped = try SalesforceClient(settings: SF.settings(taskObject: custom), http: FakeHTTPClient()).taskBody(record)
        #expect(mapped == ["call_id__c": "abc-1", "Subject__c": .string(record.subject), "duration__c": 120])
    }

    @Test func findTaskEscapesTheCallObject() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(200, tokenJSON)
        fake.enqueue(200, #"{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Task"},"Id":"00T000000000009AAA"}]}"#)
        let client = try SF.client(SF.settings(), http: fake)
        let id = try await client.findTask(callObject: #"x' OR Subject != 'y\"#)
        #expect(id == "00T000000000009AAA")
        #expect(fake.requests[1].queryQ == #"SELECT Id FROM Task WHERE CallObject = 'x\' OR Subject != \'y\\' LIMIT 1"#)
    }

    @Test func malformedJSONFromTheServerIsATypedError() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(200, tokenJSON)
        fake.enqueue(200, #"{"searchRecords":[{"attributes":"#)
        fake.enqueue(201, #"{"id":"#)
        let client = try SF.client(SF.settings(), http: fake)
        let lookup = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
        guard case .malformedResponse(_, _, _, false) = lookup else { Issue.record("got \(String(describing: lookup))"); return }
        let create = await expectFailure { () async throws(SalesforceError) in try await client.createTask(SF.callRecord("c1")) }
        #expect(create?.isUncertain == true)
    }

    @Test func secretsNeverAppearInErrors() async throws {
        let fake = FakeHTTPClient()
        fake.enqueue(400, #"{"error":"invalid_grant","error_description":"authentication failure"}"#)
        fake.enqueue(error: .timedOut(phase: .transfer, afterSending: true))
        let client = try SF.client(SF.settings(), http: fake)
        let first = await expectFailure { () async throws(SalesforceError) in try await client.lookupTyped(SF.number("07814256404")) }
        let second = await expectFailure { () async throws(SalesforceError) in try await client.auth.login() }
        for error in [first, second] {
            let text = "\(String(describing: error)) \(error?.fix ?? "")"
            for secret in [SF.password, SF.clientSecret, SF.securityToken] { #expect(!text.contains(secret)) }
        }
        #expect(first?.description.contains("security token") == true)
    }

    @Test func newRecordFields() throws {
        let n = SF.number("07814 256404")
        #expect(try SalesforceClient.newRecordFields(.lead, number: n, name: nil, region: .GB)
            == ["LastName": "Unknown caller", "Company": "07814 256404", "Phone": "07814 256404"])
        #expect(try SalesforceClient.newRecordFields(.contact, number: n, name: "Fred Bloggs", region: .GB)
            == ["FirstName": "Fred", "LastName": "Bloggs", "Phone": "07814 256404"])
        #expect(try SalesforceClient.newRecordFields(.account, number: n, name: nil, region: .GB) == ["Name": "07814 256404", "Phone": "07814 256404"])
        #expect(try SalesforceClient.newRecordFields(.caseRecord, number: n, name: nil, region: .GB)
            == ["Subject": "Call from 07814 256404", "SuppliedPhone": "07814 256404", "Origin": "Phone"])
        #expect(throws: SalesforceError.self) { try SalesforceClient.newRecordFields(.opportunity, number: n, name: nil, region: .GB) }
    }
}
