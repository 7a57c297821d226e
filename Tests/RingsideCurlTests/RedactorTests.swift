import Foundation
import Testing
@testable import RingsideCurl

@Suite("Redactor")
struct RedactorTests {
    @Test func sensitiveHeadersAreHidden() {
        #expect(Redactor.headerValue(name: "Authorization", value: "Bearer 00Dx!AQ") == "[REDACTED]")
        #expect(Redactor.headerValue(name: "authorization", value: "Basic dXNlcjpwYXNz") == "[REDACTED]")
        #expect(Redactor.headerValue(name: "Cookie", value: "sid=abc") == "[REDACTED]")
        #expect(Redactor.headerValue(name: "SET-COOKIE", value: "sid=abc") == "[REDACTED]")
        #expect(Redactor.headerValue(name: "Proxy-Authorization", value: "Basic x") == "[REDACTED]")
        #expect(Redactor.headerValue(name: "Content-Type", value: "application/json") == "application/json")
        #expect(Redactor.headerValue(name: "Sforce-Limit-Info", value: "api-usage=18/5000") == "api-usage=18/5000")
    }

    @Test func queryParametersNamedLikeSecretsAreHidden() {
        let url = "https://login.salesforce.com/services/oauth2/token?grant_type=device&code=ABC123&client_id=3MVG9&client_secret=s3cr3t&refresh_token=5Aep&X-Password=hunter2#frag"
        let redacted = Redactor.url(url)
        #expect(redacted == "https://login.salesforce.com/services/oauth2/token?grant_type=device&code=[REDACTED]&client_id=3MVG9&client_secret=[REDACTED]&refresh_token=[REDACTED]&X-Password=[REDACTED]#frag")
        for secret in ["ABC123", "s3cr3t", "5Aep", "hunter2"] {
            #expect(!redacted.contains(secret))
        }
    }

    @Test func percentEncodedParameterNamesAreDecodedBeforeMatching() {
        #expect(Redactor.url("https://x.test/a?access%5Ftoken=zzz&q=FIND+%7B0781%7D") == "https://x.test/a?access%5Ftoken=[REDACTED]&q=FIND+%7B0781%7D")
    }

    @Test func urlWithoutQueryIsUnchanged() {
        #expect(Redactor.url("https://na1.salesforce.com/services/data/v62.0/sobjects/Task/") == "https://na1.salesforce.com/services/data/v62.0/sobjects/Task/")
    }

    @Test func userInfoPasswordIsHidden() {
        #expect(Redactor.url("smtps://alerts%40example.com:pa55@smtp.example.com:465/") == "smtps://alerts%40example.com:[REDACTED]@smtp.example.com:465/")
        #expect(Redactor.url("https://user@host.test/") == "https://user@host.test/")
    }

    @Test func jsonValuesOfSensitiveKeysAreHiddenAtAnyDepth() {
        let json = #"{"access_token": "00Dx!AR8", "instance_url":"https://na1.salesforce.com", "nested": {"refresh_token":"5Aep\"861", "Password" : 42, "client_id":"3MVG9"}, "list":[{"device_code":"dc-1"}], "code": null}"#
        let out = Redactor.json(json)
        #expect(out == #"{"access_token": "[REDACTED]", "instance_url":"https://na1.salesforce.com", "nested": {"refresh_token":"[REDACTED]", "Password" : "[REDACTED]", "client_id":"3MVG9"}, "list":[{"device_code":"[REDACTED]"}], "code": "[REDACTED]"}"#)
    }

    @Test func jsonStringValuesThatLookLikeKeysAreNotConfused() {
        // "password" as a value (not a key) stays; the key after it is still checked.
        let out = Redactor.json(#"{"field":"password","client_secret":"abc"}"#)
        #expect(out == #"{"field":"password","client_secret":"[REDACTED]"}"#)
    }

    @Test func objectValueOfSensitiveKeyIsReplacedWhole() {
        #expect(Redactor.json(#"{"password":{"a":[1,2,"}"]},"x":1}"#) == #"{"password":"[REDACTED]","x":1}"#)
    }

    @Test func truncatedJSONIsStillRedacted() {
        #expect(Redactor.json(#"{"access_token":"00Dx!AR8QAxo9Uf"#) == #"{"access_token":"[REDACTED]""#)
    }

    @Test func formBodiesAreRedacted() {
        let form = "grant_type=password&client_id=3MVG9&client_secret=1955&username=testuser%40salesforce.com&password=mypassword123456"
        #expect(Redactor.form(form) == "grant_type=password&client_id=3MVG9&client_secret=[REDACTED]&username=testuser%40salesforce.com&password=[REDACTED]")
        let body = Redactor.body(Data(form.utf8), contentType: "application/x-www-form-urlencoded")
        #expect(!body.contains("mypassword123456"))
        #expect(!body.contains("1955"))
        #expect(body.contains("client_id=3MVG9"))
    }

    @Test func bodyDetectsJSONWithoutContentType() {
        let body = Redactor.body(Data(#"  {"access_token":"tok"}"#.utf8), contentType: nil)
        #expect(body == #"  {"access_token":"[REDACTED]"}"#)
    }

    @Test func binaryAndHugeBodiesAreSummarised() {
        #expect(Redactor.body(Data([0xFF, 0xFE, 0x00]), contentType: nil) == "<3 bytes, not UTF-8>")
        let big = Redactor.body(Data(String(repeating: "x", count: 10_000).utf8), contentType: "text/plain")
        #expect(big.hasSuffix("… (10000 bytes in all)"))
        #expect(big.count < 10_000)
    }

    @Test func clientIdIsKept() {
        #expect(!Redactor.sensitiveBodyKeys.contains("client_id"))
        #expect(Redactor.json(#"{"client_id":"3MVG9"}"#) == #"{"client_id":"3MVG9"}"#)
    }
}
