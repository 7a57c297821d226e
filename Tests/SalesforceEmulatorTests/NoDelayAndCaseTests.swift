#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FlyingSocks
import Foundation
import Testing
@testable import SalesforceEmulator

@Suite struct NoDelayTests {
    @Test func disableNagleSetsTCPNoDelay() throws {
        let socket = try Socket(domain: AF_INET)
        defer { try? socket.close() }
        #expect(!NoDelaySocketPool<SocketPool<Poll>>.isNagleDisabled(socket))
        NoDelaySocketPool<SocketPool<Poll>>.disableNagle(socket)
        #expect(NoDelaySocketPool<SocketPool<Poll>>.isNagleDisabled(socket))
    }

    /// The pool sees the listening socket before the first accept; accepted sockets must inherit the option.
    @Test func acceptedSocketsInheritNoDelayFromTheListener() throws {
        let listener = try Socket(domain: AF_INET)
        defer { try? listener.close() }
        NoDelaySocketPool<SocketPool<Poll>>.disableNagle(listener)
        try listener.bind(to: sockaddr_in.inet(ip4: "127.0.0.1", port: 0))
        try listener.listen()
        guard case .ip4(_, let port) = try listener.sockname() else { Issue.record("not IPv4"); return }
        let client = try Socket(domain: AF_INET)
        defer { try? client.close() }
        try client.connect(to: sockaddr_in.inet(ip4: "127.0.0.1", port: port))
        let accepted = Socket(file: try listener.accept().file)
        defer { try? accepted.close() }
        #expect(NoDelaySocketPool<SocketPool<Poll>>.isNagleDisabled(accepted))
    }
}

@Suite struct CaseSuppliedFieldsTests {
    @Test func suppliedPhoneAndNameAreCaseFieldsFoundByPhoneSearch() async throws {
        try await withEmulator { _, client in
            let created = try await client.create("Case", ["Subject": "Web enquiry", "SuppliedName": "Rita Web",
                                                           "SuppliedPhone": "+44 20 7946 0999"])
            #expect(created.status == 201)
            let describe = try await client.get("/services/data/v59.0/sobjects/Case/describe")
            let fields = describe.json?["fields"]?.arrayValue ?? []
            let supplied = fields.first { $0["name"]?.stringValue == "SuppliedPhone" }
            #expect(supplied?["type"]?.stringValue == "phone")
            #expect(fields.contains { $0["name"]?.stringValue == "SuppliedName" })
            let found = try await client.search("FIND {02079460999} IN PHONE FIELDS RETURNING Case(Id, SuppliedName, SuppliedPhone)")
            let records = found.json?["searchRecords"]?.arrayValue ?? []
            #expect(records.count == 1)
            #expect(records.first?["SuppliedName"]?.stringValue == "Rita Web")
            let queried = try await client.query("SELECT Id, SuppliedPhone FROM Case WHERE SuppliedName = 'Rita Web'")
            #expect(queried.json?["records"]?.arrayValue?.first?["SuppliedPhone"]?.stringValue == "+44 20 7946 0999")
        }
    }
}

@Suite struct OrderByLimitTests {
    @Test func smallestMatchesSortingThenTakingAPrefix() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let items = (0..<200).map { _ in Int.random(in: 0..<60, using: &generator) }
            let order: (Int, Int) -> Bool = { items[$0] < items[$1] || (items[$0] == items[$1] && $0 < $1) }
            let indexes = Array(items.indices)
            for n in [0, 1, 7, 49] {
                #expect(SOQLEvaluator.smallest(n, of: indexes, by: order) == Array(indexes.sorted(by: order).prefix(n)))
            }
        }
    }

    @Test func keysetPageOverManyRowsEqualsThePrefixOfTheFullOrder() async throws {
        try await withEmulator { emu, client in
            let names = (0..<40).map { "Zed\(($0 * 17) % 40)" }
            try await emu.addRecords(names.map { ["LastName": .string($0), "Phone": "07700 900000"] }, of: "Contact")
            let all = try await client.query("SELECT Id, LastName FROM Contact ORDER BY LastName, Id")
            let page = try await client.query("SELECT Id, LastName FROM Contact ORDER BY LastName, Id LIMIT 5")
            let allIds = all.json?["records"]?.arrayValue?.compactMap { $0["Id"]?.stringValue } ?? []
            let pageIds = page.json?["records"]?.arrayValue?.compactMap { $0["Id"]?.stringValue } ?? []
            #expect(allIds.count > 40)
            #expect(pageIds == Array(allIds.prefix(5)))
        }
    }
}
