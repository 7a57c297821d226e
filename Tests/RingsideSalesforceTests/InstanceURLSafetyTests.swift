import Foundation
@testable import RingsideSalesforce
import Testing

/// Issue 19: a token response pointing at a plain-http instance would make Ringside send the bearer token in
/// clear; it is refused (loopback http stays allowed for the emulator).
@Suite struct InstanceURLSafetyTests {
    @Test(arguments: ["http://evil.example.com", "http://na1.salesforce.com/", "http://127.0.0.1@evil.example/", "ftp://x.my.salesforce.com",
                      "HTTP://10.0.0.5:8080", "not a url"])
    func aPlainHTTPInstanceIsRefused(instance: String) {
        #expect {
            try SalesforceSession.parse(["access_token": "00Dtoken", "instance_url": .string(instance)], fallbackInstance: nil, operation: "login")
        } throws: { error in
            "\(error)".contains("not https://") && !"\(error)".contains("00Dtoken")
        }
    }

    @Test(arguments: ["https://acme.my.salesforce.com", "http://127.0.0.1:5000", "http://localhost:8080/", "http://[::1]:9000"])
    func httpsAndLoopbackAreAccepted(instance: String) throws {
        let session = try SalesforceSession.parse(["access_token": "a", "instance_url": .string(instance)], fallbackInstance: nil, operation: "login")
        #expect(!session.instanceURL.isEmpty)
    }
}
