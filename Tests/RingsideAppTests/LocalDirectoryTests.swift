import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import Testing

@Suite struct LocalDirectoryTests {
    let dir = NSTemporaryDirectory() + "ringside-dir-\(UUID().uuidString)"

    func agent(_ extra: [String: String] = [:]) throws -> LocalAgent {
        var env = ["HOME": dir, "XDG_DATA_HOME": dir + "/data"]
        env.merge(extra) { $1 }
        return try LocalAgent(config: try RingsideConfig.load(path: nil, environment: env))
    }

    @Test func demoDirectoryIsSeededOnceAndScenariosMatch() async throws {
        let agent = try agent()
        let count = try agent.directory.count()
        #expect(count >= 200)
        _ = try self.agent()  // second open must not duplicate
        #expect(try agent.directory.count() == count)
        let single = try PhoneNumber.parse(try #require(agent.scenarios["singleMatch"]), defaultRegion: .GB)
        let multiple = try PhoneNumber.parse(try #require(agent.scenarios["multipleMatch"]), defaultRegion: .GB)
        let none = try PhoneNumber.parse(try #require(agent.scenarios["noMatch"]), defaultRegion: .GB)
        #expect(try await agent.directory.lookup(single).candidates.count == 1)
        #expect(try await agent.directory.lookup(multiple).candidates.count >= 2)
        #expect(try await agent.directory.lookup(none).candidates.isEmpty)
    }

    @Test func formattingDifferencesStillMatch() async throws {
        let agent = try agent()
        let raw = try #require(agent.scenarios["singleMatch"])
        let number = try PhoneNumber.parse(raw, defaultRegion: .GB)
        let record = try #require(try await agent.directory.lookup(number).candidates.first)
        // The same number written internationally, with 00, and with dots must find the same record.
        for variant in ["+\(number.countryCode!) \(number.nationalNumber)", "00\(number.countryCode!)\(number.nationalNumber)",
                        number.nationalNumber.map(String.init).joined(separator: ".")] where number.region == .GB || !variant.contains(".") {
            let parsed = try PhoneNumber.parse(variant, defaultRegion: number.region ?? .GB)
            #expect(try await agent.directory.lookup(parsed).candidates.map(\.id) == [record.id], "variant \(variant)")
        }
    }

    @Test func createdRecordsAreFoundAfterwards() async throws {
        let agent = try agent()
        let number = try PhoneNumber.parse("+44 20 7946 0999", defaultRegion: .GB)
        let created = try await agent.directory.createRecord(.lead, number: number, name: nil)
        #expect(created.type == .lead)
        #expect(try SalesforceID(created.id).entityType == .lead)
        #expect(try await agent.directory.lookup(number).candidates.map(\.id) == [created.id])
        let second = try await agent.directory.createRecord(.contact, number: number, name: "Ann Other")
        #expect(second.id != created.id)
    }

    @Test func searchFindsNamesDigitsAndEscapesWildcards() async throws {
        let agent = try agent()
        let some = try #require(try agent.directory.numberList(filter: "", limit: 5).first)
        let byName = try await agent.directory.search(String(some.name.prefix(4)))
        #expect(byName.contains { $0.name == some.name })
        #expect(try await agent.directory.search("%").isEmpty)
        #expect(try await agent.directory.search("_").isEmpty)
    }

    @Test func csvImportIsAllOrNothingAndNamesTheLine() throws {
        let agent = try agent()
        let before = try agent.directory.count()
        let good = dir + "/good.csv"
        try "name,phone,mobile,type,account\n\"Smith, Jane\",020 7946 0123,07700 900456,Contact,Acme\nBob Lead,+1 415 555 2671,,Lead,\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try agent.directory.importCSV(path: good) == DirectoryImportSummary(added: 2))
        #expect(try agent.directory.count() == before + 2)
        #expect(try agent.directory.records(withNumber: "+442079460123").first?.name == "Smith, Jane")

        let bad = dir + "/bad.csv"
        try "name,phone\nOk Person,020 7946 0456\nBroken,07814-ABC\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect { try agent.directory.importCSV(path: bad) } throws: { "\($0)".contains("bad.csv:3") }
        #expect(try agent.directory.count() == before + 2)  // nothing half-written

        let noPhone = dir + "/nophone.csv"
        try "name,email\nA,a@b\n".write(toFile: noPhone, atomically: true, encoding: .utf8)
        #expect { try agent.directory.importCSV(path: noPhone) } throws: { "\($0)".contains("nophone.csv:1") }

        let ragged = dir + "/ragged.csv"
        try "name,phone\nA,020 7946 0456,extra\n".write(toFile: ragged, atomically: true, encoding: .utf8)
        #expect { try agent.directory.importCSV(path: ragged) } throws: { "\($0)".contains("ragged.csv:2") }

        let quote = dir + "/quote.csv"
        try "name,phone\n\"A,020 7946 0456\n".write(toFile: quote, atomically: true, encoding: .utf8)
        #expect { try agent.directory.importCSV(path: quote) } throws: { "\($0)".contains("never closed") }
    }

    @Test func reimportingTheSameFileUpdatesInsteadOfDuplicating() throws {
        let agent = try agent()
        let before = try agent.directory.count()
        let path = dir + "/people.csv"
        let first = """
            name,phone,mobile,type,account,id
            "Smith, Jane",020 7946 0123,07700 900456,Contact,Acme,
            Bob Lead,+1 415 555 2671,,Lead,,
            With Id,020 7946 0777,,Contact,Acme,003LOC999999999AAA

            """
        try first.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try agent.directory.importCSV(path: path) == DirectoryImportSummary(added: 3))
        #expect(try agent.directory.importCSV(path: path) == DirectoryImportSummary(unchanged: 3))
        #expect(try agent.directory.count() == before + 3)

        // Jane gets a new mobile (matched by name + first number), the record with an id is renamed (matched by id),
        // Bob is as before, and a new person arrives.
        let second = """
            name,phone,mobile,type,account,id
            "Smith, Jane",020 7946 0123,07700 900999,Contact,Acme,
            Bob Lead,+1 415 555 2671,,Lead,,
            Renamed With Id,020 7946 0777,,Contact,Acme,003LOC999999999AAA
            New Person,0161 496 0001,,,,

            """
        try second.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try agent.directory.importCSV(path: path) == DirectoryImportSummary(added: 1, updated: 2, unchanged: 1))
        #expect(try agent.directory.count() == before + 4)
        let jane = try #require(try agent.directory.records(withNumber: "+442079460123").first)
        #expect(Set(jane.phones.map(\.raw)) == ["020 7946 0123", "07700 900999"])
        #expect(try agent.directory.records(withNumber: "+447700900456").isEmpty)
        #expect(try agent.directory.records(withNumber: "+442079460777").map(\.name) == ["Renamed With Id"])
    }

    @Test func aLargeFileIsStreamedInOneTransactionWithProgress() throws {
        let agent = try agent()
        let before = try agent.directory.count()
        let path = dir + "/large.csv"
        var text = "name,phone,owner\r\n"
        for i in 0..<25_000 { text += "\"Person \(i), Jr.\",0161 496 \(String(format: "%04d", i % 10_000)),\"Ann \"\"A\"\"\"\r\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var reported: [Int] = []
        let summary = try agent.directory.importCSV(path: path, progressEvery: 10_000) { reported.append($0) }
        #expect(summary == DirectoryImportSummary(added: 25_000))
        #expect(reported == [10_000, 20_000])
        #expect(try agent.directory.count() == before + 25_000)
        let sample = try agent.directory.search("Person 24999, Jr.", limit: 5)
        #expect(sample.map(\.owner) == ["Ann \"A\""])
        // Quoted fields spanning the 64 KiB read boundary, a last line without a newline, a bad byte: named.
        try "name,phone\n\"Long \(String(repeating: "x", count: 70_000))\",0161 496 0002\nLast,0161 496 0003".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try agent.directory.importCSV(path: path) == DirectoryImportSummary(added: 2))
        var bytes = Data("name,phone\nOk,0161 496 0004\nBad \u{FF}".utf8)
        bytes.append(contentsOf: [0xFF, 0xFE])
        bytes.append(contentsOf: Data(",0161 496 0005\n".utf8))
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect { try agent.directory.importCSV(path: path) } throws: { "\($0)".contains("large.csv:3") && "\($0)".contains("UTF-8") }
    }

    @Test func malformedDirectoryFileIsRejectedClearly() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/broken.json"
        try "{\"version\": 1, \"defaultRegion\": \"GB\", \"scenarios\": {}, \"records\": [ {\"type\": \"Contact\" }]}"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try self.agent(["RINGSIDE_DATA_DIRECTORY_FILE": path]) } throws: { "\($0)".contains("broken.json") && "\($0)".contains("missing") }
        let notJSON = dir + "/garbage.json"
        try "{\n  \"version\": 1,\n  oops\n}".write(toFile: notJSON, atomically: true, encoding: .utf8)
        #expect { try self.agent(["RINGSIDE_DATA_DIRECTORY_FILE": notJSON]) } throws: { "\($0)".contains("garbage.json") && "\($0)".contains("not valid JSON") }
    }
}
