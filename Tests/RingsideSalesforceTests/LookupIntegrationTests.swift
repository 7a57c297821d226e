import Foundation
import RingsideCore
import RingsideCurl
import SalesforceEmulator
import Testing
@testable import RingsideSalesforce

/// Lookup and search through real libcurl against the emulator.
@Suite("Lookup against the emulator (libcurl)", .serialized)
struct LookupIntegrationTests {
    @Test func everyFormattingOfANumberFindsTheSameRecordWithOneRequestEach() async throws {
        try await withEmulator { h in
            // Near-matches the emulator's SOSL returns (same trailing digits, other numbers).
            try await h.emulator.addRecords([
                ["FirstName": "Near", "LastName": "Miss", "Phone": "+1 (781) 425-6404"],
                ["FirstName": "Other", "LastName": "Country", "MobilePhone": "+33 7814256404"],
            ], of: "Contact")
            let client = try h.client(.password)
            _ = try await client.auth.login()
            _ = try await client.orgSchema()  // describe: once per process, before the first lookup
            await h.emulator.clearRequestLog()
            let variants = ["07814 256404", "+44 7814 256404", "+44 (0)7814 256404", "0044 7814 256404", "07814-256-404",
                            "(07814) 256404", "+447814256404", "tel:+44-7814-256404"]
            for raw in variants {
                let before = await h.dataRequests().count
                let result = try await client.lookupTyped(SF.number(raw))
                #expect(await h.dataRequests().count - before == 1, "exactly one request for \(raw)")
                #expect(result.candidates.map(\.id) == [annId], "\(raw)")
                #expect(result.source == .live)
            }
            let log = await h.dataRequests()
            #expect(log.count == variants.count)
            #expect(log.allSatisfy { $0.path.hasSuffix("/search/") && $0.query.contains("IN PHONE FIELDS") })
        }
    }

    @Test func mappedRecordCarriesOwnerAccountModifiedDateAndLink() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            let ann = try #require(try await client.lookupTyped(SF.number("07814256404")).candidates.first)
            #expect(ann.name == "Ann Lee")
            #expect(ann.type == .contact)
            #expect(ann.accountId == acmeId)
            #expect(ann.accountName == "Acme Logistics Ltd")
            #expect(ann.owner == "Alex Agent")
            #expect(abs(ann.lastModified.timeIntervalSinceNow) < 3600, "LastModifiedDate parsed")
            #expect(ann.url == "\(h.base)/lightning/r/Contact/\(annId)/view")
            #expect(Set(ann.phones.map(\.field)) == ["Phone", "MobilePhone"])
            #expect(ann.phones.allSatisfy { $0.e164 == "+447814256404" })
        }
    }

    @Test func entitiesPrecedenceConvertedLeadsAndPersonAccounts() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            // Open lead found; converted lead (Eve, 07700 900456) never.
            #expect(try await client.lookupTyped(SF.number("0113 496 0555")).candidates.map(\.id) == [danLeadId])
            #expect(try await client.lookupTyped(SF.number("07700 900456")).candidates.isEmpty)
            // Person account: found once, as the Account, through PersonMobilePhone.
            let priya = try await client.lookupTyped(SF.number("07700900123")).candidates
            #expect(priya.map(\.id) == [priyaAccountId])
            #expect(priya.first?.isPersonAccount == true)
            // Account by its phone; and several matches of different types all come back.
            try await h.emulator.addRecords([["FirstName": "Second", "LastName": "Person", "Phone": "020 7946 0001"]], of: "Contact")
            let acme = try await client.lookupTyped(SF.number("+44 20 7946 0001")).candidates
            #expect(Set(acme.map(\.type)) == [.contact, .account])
            // No match.
            #expect(try await client.lookupTyped(SF.number("+44 20 7946 0999")).candidates.isEmpty)
        }
    }

    @Test func searchedEntitiesAreConfigurable() async throws {
        try await withEmulator { h in
            var settings = h.settings(.password)
            settings.searchedEntities = [.lead]
            settings.personAccounts = false
            let client = try SalesforceClient(settings: settings, http: EmulatorHarness.curl())
            #expect(try await client.lookupTyped(SF.number("07814256404")).candidates.isEmpty)
            #expect(try await client.lookupTyped(SF.number("0113 496 0555")).candidates.map(\.id) == [danLeadId])
            let q = await h.dataRequests().last?.query ?? ""
            #expect(!q.contains("Contact(") && !q.contains("Account(") && q.contains("Lead("))
        }
    }

    @Test func searchByNameNumberPastedIDAndLink() async throws {
        try await withEmulator { h in
            let client = try h.client(.password)
            #expect(try await client.searchTyped("Ann").contains { $0.id == annId })
            #expect(try await client.searchTyped("O'Brien").map(\.name) == ["Bob O'Brien"])
            #expect(try await client.searchTyped("Evans & Co").isEmpty, "converted leads are not offered")
            let cases = try await client.searchTyped("00001001")
            #expect(cases.contains { $0.type == .caseRecord && $0.name == "00001001 Missing parcel" })
            #expect(try await client.searchTyped("fleet").map(\.type) == [.opportunity])
            let byID = try await client.searchTyped("003Dg0000000001")
            #expect(byID.map(\.id) == [annId])
            #expect(byID.first?.name == "Ann Lee")
            let byURL = try await client.searchTyped("https://acme.lightning.force.com/lightning/r/Account/\(acmeId)/view")
            #expect(byURL.map(\.name) == ["Acme Logistics Ltd"])
            #expect(try await client.searchTyped("003Dg0000000077").isEmpty, "unknown id → nothing, not an error")
        }
    }

    /// Measures (prints, does not assert) lookup round trips. Kept-alive connections to the
    /// emulator pay ~40 ms of Nagle/delayed-ACK (FlyingFox does not set TCP_NODELAY), so the
    /// figure is also taken with a new connection per request.
    @Test func lookupLatencyOnLoopback() async throws {
        try await withEmulator { h in
            for reuse in [true, false] {
                let http = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true, reuseConnections: reuse))
                let client = try h.client(.password, http: http)
                _ = try await client.lookupTyped(SF.number("07814256404"))
                await h.emulator.clearRequestLog()
                var samples: [Double] = []
                let numbers = ["07814 256404", "+44 20 7946 0002", "0113 496 0555", "+44 20 7946 0999"].map(SF.number)
                let count = 200
                for i in 0..<count {
                    let clock = ContinuousClock.now
                    _ = try await client.lookupTyped(numbers[i % numbers.count])
                    let elapsed = ContinuousClock.now - clock
                    samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
                samples.sort()
                let p50 = samples[count / 2]
                let p99 = samples[min(count - 1, Int(Double(count) * 0.99))]
                let log = await h.dataRequests()
                let server = log.map(\.durationMs).sorted()
                print("LOOKUP LATENCY (loopback, libcurl, \(reuse ? "kept-alive connection" : "new connection per request"), \(count) lookups): p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms, max \(String(format: "%.2f", samples.last!)) ms; emulator handling p50 \(server[server.count / 2]) ms; requests per lookup \(Double(log.count) / Double(count))")
                #expect(log.count == count)
            }
        }
    }
}
