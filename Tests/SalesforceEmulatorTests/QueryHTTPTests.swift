import Foundation
import Testing
@testable import SalesforceEmulator

@Suite struct MetaHTTPTests {
    @Test func versionsResourcesAndUnknownVersion() async throws {
        try await withEmulator { _, client in
            let versions = try await client.send("GET", "/services/data/", auth: false)
            #expect(versions.status == 200)
            let list = try #require(versions.json?.arrayValue)
            #expect(list.compactMap { $0["version"]?.stringValue } == (51...62).map { "\($0).0" })
            #expect(list.first?["url"]?.stringValue == "/services/data/v51.0")
            let resources = try await client.get("/services/data/v62.0/")
            #expect(resources.json?["query"]?.stringValue == "/services/data/v62.0/query")
            #expect(resources.header("Sforce-Limit-Info") == "api-usage=1/15000")
            let unknown = try await client.get("/services/data/v50.0/limits")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "NOT_FOUND")
            #expect(unknown.json?.arrayValue?.first?["message"]?.stringValue == "The requested resource does not exist")
        }
    }

    @Test func limitsAndUsageHeaderAndLimitExceeded() async throws {
        try await withEmulator { emu, client in
            let first = try await client.get("/services/data/v59.0/limits/")
            #expect(first.json?["DailyApiRequests"]?["Max"]?.numberValue == 15000)
            #expect(first.json?["DailyApiRequests"]?["Remaining"]?.numberValue == 14999)
            #expect(first.header("Sforce-Limit-Info") == "api-usage=1/15000")
            #expect(try await client.get("/services/data/v59.0/").header("Sforce-Limit-Info") == "api-usage=2/15000")
            await emu.setAPIUsage(15000)
            let refused = try await client.get("/services/data/v59.0/query?q=SELECT+Id+FROM+Contact")
            #expect(refused.status == 403)
            #expect(refused.errorCode == "REQUEST_LIMIT_EXCEEDED")
            #expect(refused.header("Sforce-Limit-Info") == "api-usage=15000/15000")
        }
    }
}

@Suite struct QueryHTTPTests {
    @Test func pagingWithBatchSizeAndNextRecordsUrl() async throws {
        try await withEmulator { emu, client in
            try await emu.addRecords((0..<450).map { ["FirstName": "Bulk", "LastName": .string("P\($0)")] }, of: "Contact")
            let first = try await client.query("SELECT Id FROM Contact WHERE FirstName = 'Bulk'",
                                               headers: ["Sforce-Query-Options": "batchSize=200"])
            #expect(first.json?["totalSize"]?.numberValue == 450)
            #expect(first.json?["done"]?.boolValue == false)
            #expect(first.json?["records"]?.arrayValue?.count == 200)
            let next = try #require(first.json?["nextRecordsUrl"]?.stringValue)
            #expect(next.hasPrefix("/services/data/v59.0/query/01g") && next.hasSuffix("-200"))
            let second = try await client.get(next)
            #expect(second.json?["records"]?.arrayValue?.count == 200)
            let third = try await client.get(try #require(second.json?["nextRecordsUrl"]?.stringValue))
            #expect(third.json?["records"]?.arrayValue?.count == 50)
            #expect(third.json?["done"]?.boolValue == true)
            #expect(third.json?["nextRecordsUrl"] == nil)
            let tiny = try await client.query("SELECT Id FROM Contact WHERE FirstName = 'Bulk'",
                                              headers: ["Sforce-Query-Options": "batchSize=10"])
            #expect(tiny.json?["records"]?.arrayValue?.count == 200)  // minimum batch size
            let all = try await client.query("SELECT Id FROM Contact WHERE FirstName = 'Bulk'")
            #expect(all.json?["records"]?.arrayValue?.count == 450)
            let bad = try await client.get("/services/data/v59.0/query/01gDg0000000099AAA-200")
            #expect(bad.status == 400)
            #expect(bad.errorCode == "INVALID_QUERY_LOCATOR")
        }
    }

    @Test func whereOrderLimitRelationshipsAndCount() async throws {
        try await withEmulator { _, client in
            let r = try await client.query(
                "SELECT Id, Name, Account.Name FROM Contact WHERE AccountId IN ('001Dg0000000001', '001Dg0000000002IAA') AND Name LIKE '%e%' ORDER BY LastName DESC LIMIT 2")
            let records = try #require(r.json?["records"]?.arrayValue)
            #expect(records.compactMap { $0["Name"]?.stringValue } == ["Bob O'Brien", "Ann Lee"])
            #expect(records[0]["Account"]?["Name"]?.stringValue == "Acme Logistics Ltd")
            #expect(records[0]["attributes"]?["url"]?.stringValue == "/services/data/v59.0/sobjects/Contact/003Dg0000000002IAA")
            let escaped = try await client.query("SELECT Id FROM Contact WHERE LastName = 'o\\'brien'")
            #expect(escaped.json?["totalSize"]?.numberValue == 1)
            let dated = try await client.query("SELECT Id FROM Contact WHERE SystemModstamp > 2020-01-01T00:00:00Z AND SystemModstamp < 2999-01-01T00:00:00+01:00")
            #expect(dated.json?["totalSize"]?.numberValue == 4)
            let leads = try await client.query("SELECT Id FROM Lead WHERE IsConverted = false OR Phone = null")
            #expect(leads.json?["totalSize"]?.numberValue == 2)
            let notConverted = try await client.query("SELECT Id FROM Lead WHERE IsConverted = false")
            #expect(notConverted.json?["records"]?.arrayValue?.first?["Id"]?.stringValue == openLead)
            let count = try await client.query("SELECT COUNT() FROM Contact WHERE Phone != null")
            #expect(count.json?["totalSize"]?.numberValue == 3)
            #expect(count.json?["records"]?.arrayValue?.isEmpty == true)
            let opp = try await client.query("SELECT Name, Amount FROM Opportunity WHERE Amount >= 48000")
            #expect(opp.json?["records"]?.arrayValue?.first?["Amount"]?.numberValue == 48000)
        }
    }

    @Test func queryAllIncludesDeleted() async throws {
        try await withEmulator { _, client in
            #expect(try await client.send("DELETE", "/services/data/v59.0/sobjects/Contact/\(ann)").status == 204)
            let live = try await client.query("SELECT Id FROM Contact WHERE Id = '\(ann)'")
            #expect(live.json?["totalSize"]?.numberValue == 0)
            let all = try await client.query("SELECT Id, IsDeleted FROM Contact WHERE Id = '\(ann)'", all: true)
            #expect(all.json?["records"]?.arrayValue?.first?["IsDeleted"]?.boolValue == true)
        }
    }

    @Test(arguments: [
        ("SELECT Id FROM Contact WHERE", 400, "MALFORMED_QUERY"),
        ("SELECT Nope FROM Contact", 400, "INVALID_FIELD"),
        ("SELECT Id, Nope.Name FROM Contact", 400, "INVALID_FIELD"),
        ("SELECT Id FROM Contact WHERE Nope = 'x'", 400, "INVALID_FIELD"),
        ("SELECT Id FROM Contact ORDER BY Nope", 400, "INVALID_FIELD"),
        ("SELECT Id FROM Widget", 400, "INVALID_TYPE"),
    ])
    func queryErrors(soql: String, status: Int, code: String) async throws {
        try await withEmulator { _, client in
            let r = try await client.query(soql)
            #expect(r.status == status)
            #expect(r.errorCode == code)
        }
    }

    @Test func invalidFieldMessageLooksLikeSalesforce() async throws {
        try await withEmulator { _, client in
            let r = try await client.query("SELECT Id, Foo FROM Contact")
            let message = try #require(r.json?.arrayValue?.first?["message"]?.stringValue)
            #expect(message.contains("ERROR at Row:1:Column:12"))
            #expect(message.contains("No such column 'Foo' on entity 'Contact'"))
        }
    }
}

@Suite struct SearchHTTPTests {
    let returning = "RETURNING Contact(Id, Name, Phone, MobilePhone, AccountId), Account(Id, Name, Phone, IsPersonAccount, PersonMobilePhone), Lead(Id, Name, Phone, MobilePhone, IsConverted WHERE IsConverted = false)"

    @Test func phoneSearchFindsContactsPersonAccountsAndNearMatches() async throws {
        try await withEmulator { emu, client in
            try await emu.addRecords([["LastName": "Near", "Phone": "+1 555 781 4256404"]], of: "Contact")
            let r = try await client.search("FIND {07814256404} IN PHONE FIELDS \(returning)")
            #expect(r.status == 200)
            let records = try #require(r.json?["searchRecords"]?.arrayValue)
            let names = records.compactMap { $0["Name"]?.stringValue }
            #expect(names.contains("Ann Lee"))
            #expect(names.contains("Near"))  // shares the last 7+ digits: client must post-filter
            #expect(records.first?["attributes"]?["type"]?.stringValue == "Contact")
            #expect(records.first?["attributes"]?["url"]?.stringValue?.hasPrefix("/services/data/v59.0/sobjects/Contact/") == true)
            let person = try await client.search("FIND {447700900123} IN PHONE FIELDS \(returning)")
            let types = try #require(person.json?["searchRecords"]?.arrayValue).compactMap { $0["attributes"]?["type"]?.stringValue }
            #expect(types.contains("Account") && types.contains("Contact"))
            let none = try await client.search("FIND {0800 000 0000} IN PHONE FIELDS \(returning)")
            #expect(none.json?["searchRecords"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func leadWhereClauseFiltersConvertedLeads() async throws {
        try await withEmulator { _, client in
            let r = try await client.search("FIND {07700900456 OR 01134960555} IN PHONE FIELDS \(returning)")
            let ids = try #require(r.json?["searchRecords"]?.arrayValue).compactMap { $0["Id"]?.stringValue }
            #expect(ids == [openLead])
        }
    }

    @Test func nameAndAllFieldsWithEscaping() async throws {
        try await withEmulator { _, client in
            let r = try await client.search(#"FIND {O\'Brien} IN NAME FIELDS RETURNING Contact(Id, Name)"#)
            #expect(r.json?["searchRecords"]?.arrayValue?.compactMap { $0["Name"]?.stringValue } == ["Bob O'Brien"])
            let wildcard = try await client.search("FIND {acm*} IN ALL FIELDS RETURNING Account(Name)")
            #expect(wildcard.json?["searchRecords"]?.arrayValue?.first?["Name"]?.stringValue == "Acme Logistics Ltd")
            let email = try await client.search(#"FIND {ann.lee@acme.example} IN EMAIL FIELDS RETURNING Contact"#)
            #expect(email.json?["searchRecords"]?.arrayValue?.first?["Id"]?.stringValue == ann)
        }
    }

    @Test func searchErrors() async throws {
        try await withEmulator { _, client in
            #expect(try await client.search("FIND {+44 7814}").errorCode == "MALFORMED_SEARCH")
            #expect(try await client.search("FIND acme").errorCode == "MALFORMED_SEARCH")
            let short = try await client.search("FIND {a}")
            #expect(short.status == 400)
            #expect(short.errorCode == "INVALID_SEARCH")
            #expect(try await client.search("FIND {acme} RETURNING Widget(Id)").errorCode == "INVALID_TYPE")
            #expect(try await client.search("FIND {acme} RETURNING Contact(Nope)").errorCode == "INVALID_FIELD")
        }
    }

    @Test func parameterizedSearch() async throws {
        try await withEmulator { _, client in
            let r = try await client.get("/services/data/v59.0/parameterizedSearch/?q=07814256404&in=PHONE&sobject=Contact&Contact.fields=Id,Name")
            #expect(r.status == 200)
            #expect(r.json?["searchRecords"]?.arrayValue?.first?["Name"]?.stringValue == "Ann Lee")
        }
    }
}
