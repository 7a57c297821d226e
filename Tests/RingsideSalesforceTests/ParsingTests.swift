import Foundation
import RingsideCurl
import Testing
@testable import RingsideSalesforce

@Suite("Parsing")
struct ParsingTests {
    @Test func apiUsageHeader() {
        #expect(APIUsage.parse(header: "api-usage=10018/100000") == APIUsage(used: 10018, max: 100000))
        #expect(APIUsage.parse(header: "api-usage=5/15000; api-bursts=1/750") == APIUsage(used: 5, max: 15000))
        #expect(APIUsage.parse(header: "per-app-api-usage=17/250(appName=sample); api-usage=18/5000") == APIUsage(used: 18, max: 5000))
        #expect(APIUsage.parse(header: "per-app-api-usage=17/250(appName=sample)") == nil)
        #expect(APIUsage.parse(header: "api-usage=abc/100") == nil)
        #expect(APIUsage.parse(header: "") == nil)
        let near = APIUsage(used: 13_600, max: 15_000)
        #expect(near.isNearLimit)
        #expect(near.remaining == 1_400)
        #expect(!APIUsage(used: 10, max: 15_000).isNearLimit)
    }

    @Test func dateTimes() throws {
        let a = try #require(SalesforceDateTime.parse("2026-01-01T10:00:00.000+0000"))
        #expect(a.timeIntervalSince1970 == 1_767_261_600)
        #expect(SalesforceDateTime.parse("2026-01-01T10:00:00Z") == a)
        #expect(SalesforceDateTime.parse("2026-01-01T11:30:00+01:30") == a)
        #expect(SalesforceDateTime.parse("2026-01-01T05:00:00.000-0500") == a)
        #expect(SalesforceDateTime.parse("2024-02-29T00:00:00.250Z")?.timeIntervalSince1970 == 1_709_164_800.25)
        #expect(SalesforceDateTime.parse("2026-01-01") == nil)
        #expect(SalesforceDateTime.parse("2026-13-01T00:00:00Z") == nil)
        #expect(SalesforceDateTime.parse("2026-01-01T00:00:00") == nil, "a zone is required")
        #expect(SalesforceDateTime.parse("garbage garbage garbage") == nil)
        #expect(SalesforceDateTime.format(a) == "2026-01-01T10:00:00+00:00")
        #expect(SalesforceDateTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00+00:00")
    }

    @Test func tokenResponse() async throws {
        let json = try #require(JSONValue.parse(Data(tokenJSON.utf8)))
        let s = try SalesforceSession.parse(json, fallbackInstance: nil, operation: "login")
        #expect(s.accessToken == "00DFAKE!tok1")
        #expect(s.instanceURL == "https://acme.my.salesforce.com")
        #expect(s.refreshToken == nil)
        #expect(s.userId == "005000000000001AAA")
        #expect(s.issuedAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(!s.description.contains("tok1"), "session descriptions redact tokens")

        let withRefresh = try SalesforceSession.parse(["access_token": "a", "instance_url": "https://x.my.salesforce.com/", "refresh_token": "r"],
                                                      fallbackInstance: nil, operation: "login")
        #expect(withRefresh.refreshToken == "r")
        #expect(withRefresh.instanceURL == "https://x.my.salesforce.com")
        #expect(!withRefresh.description.contains("r)"))

        let missing = await expectFailure { () throws(SalesforceError) in
            try SalesforceSession.parse(["instance_url": "https://x"], fallbackInstance: nil, operation: "login")
        }
        guard case .malformedResponse = missing else { Issue.record("expected malformedResponse, got \(String(describing: missing))"); return }
    }

    @Test func errorArraysAndOAuthErrors() {
        let array = response(400, #"[{"message":"Account ID: id value of incorrect type: 001900K0001pPuOAAU","errorCode":"MALFORMED_ID","fields":["Id"]}]"#)
        let e = ResponseDecoding.error(for: array, operation: "GET /sobjects/Account/x")
        #expect(e == .api(status: 400, errors: [APIErrorDetail(errorCode: "MALFORMED_ID", message: "Account ID: id value of incorrect type: 001900K0001pPuOAAU", fields: ["Id"])],
                          operation: "GET /sobjects/Account/x"))
        #expect(e.isPermanent)

        let single = ResponseDecoding.error(for: response(503, #"{"errorCode":"SERVER_UNAVAILABLE","message":"down"}"#), operation: "x")
        #expect(single.errorCode == "SERVER_UNAVAILABLE")

        let oauth = ResponseDecoding.error(for: response(400, #"{"error":"invalid_grant","error_description":"authentication failure"}"#), operation: "x")
        #expect(oauth.errorCode == "invalid_grant")

        let html = ResponseDecoding.error(for: HTTPResponse(status: 503, body: Data("<html>Maintenance</html>".utf8), effectiveURL: ""), operation: "x")
        #expect(html == .unexpectedStatus(status: 503, operation: "x"))
        #expect(html.isRetryable)

        let weird = ResponseDecoding.error(for: response(400, #"[{"foo":1}]"#), operation: "x")
        #expect(weird == .unexpectedStatus(status: 400, operation: "x"))
    }

    /// Issue 14: a write answered without a Salesforce error body (a proxy's 502/503/504, an HTML page) may have
    /// been processed by Salesforce behind the proxy: uncertain, never plain "retryable".
    @Test(arguments: [502, 503, 504, 500, 404, 400])
    func writesAnsweredWithoutASalesforceErrorBodyAreUncertain(status: Int) {
        for body in ["", "<html><body><h1>\(status) Bad Gateway</h1></body></html>", "upstream connect error"] {
            let write = ResponseDecoding.error(for: HTTPResponse(status: status, body: Data(body.utf8), effectiveURL: ""),
                                               operation: "create Task", isWrite: true)
            #expect(write == .unconfirmedWrite(status: status, operation: "create Task"))
            #expect(write.isUncertain)
            #expect(write.description.contains("may have been saved"))
            let read = ResponseDecoding.error(for: HTTPResponse(status: status, body: Data(body.utf8), effectiveURL: ""), operation: "query")
            #expect(read == .unexpectedStatus(status: status, operation: "query"))
            #expect(!read.isUncertain)
        }
        // Salesforce's own JSON error is an answer: not uncertain.
        let answered = ResponseDecoding.error(for: response(503, #"[{"errorCode":"SERVER_UNAVAILABLE","message":"down"}]"#),
                                              operation: "create Task", isWrite: true)
        #expect(!answered.isUncertain && answered.isRetryable)
    }

    @Test func malformedJSONIsATypedErrorAndUncertainForWrites() {
        let truncated = HTTPResponse(status: 201, body: Data(#"{"id":"00T"#.utf8), effectiveURL: "")
        let read = Result { () throws(SalesforceError) in try ResponseDecoding.json(truncated, operation: "q", isWrite: false) }
        let write = Result { () throws(SalesforceError) in try ResponseDecoding.json(truncated, operation: "c", isWrite: true) }
        guard case .failure(let readError) = read, case .failure(let writeError) = write else {
            Issue.record("expected failures"); return
        }
        #expect(!readError.isUncertain)
        #expect(writeError.isUncertain, "a 201 with a broken body: the record may exist")
        #expect(ResponseDecoding.isInvalidSession(response(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)))
        #expect(!ResponseDecoding.isInvalidSession(response(403, #"[{"message":"x","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#)))
    }

    @Test func jsonValueSerialisation() throws {
        let v: JSONValue = ["CallDurationInSeconds": 42, "Subject": "Line\n\"quoted\" \u{01}", "ok": true, "none": nil, "list": [1.5, "x"]]
        let text = v.description
        #expect(text == #"{"CallDurationInSeconds":42,"Subject":"Line\n\"quoted\" \u0001","list":[1.5,"x"],"none":null,"ok":true}"#)
        #expect(JSONValue.parse(v.serialized()) == v)
        #expect(JSONValue.parse(Data("{not json".utf8)) == nil)
        #expect(try #require(JSONValue.parse(Data("[1, 2.0, 3.5]".utf8))).arrayValue?.compactMap(\.intValue) == [1, 2])
    }

    @Test func settingsValidation() {
        #expect(SF.settings().validate().isEmpty)
        #expect(SF.settings(version: "51.0").versionPath == "v51.0")
        #expect(SF.settings(version: "v62.0").versionPath == "v62.0")
        #expect(!SF.settings(version: "v40.0").validate().isEmpty)
        #expect(!SF.settings(version: "latest").validate().isEmpty)
        #expect(SF.settings(.clientCredentials, login: SalesforceSettings.productionLoginURL).validate()
            .contains { $0.contains("My Domain") })
        #expect(!SF.settings(login: "http://acme.my.salesforce.com").validate().isEmpty)
        #expect(SF.settings(login: "http://127.0.0.1:1234", insecure: true).validate().isEmpty)
        #expect(!SF.settings(taskObject: .custom(object: "CallLog", fieldMap: ["Subject": "x__c"])).validate().isEmpty)
    }
}
