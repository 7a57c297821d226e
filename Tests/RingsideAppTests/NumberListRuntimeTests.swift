import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsideStore
import RingsideTestSupport
import Testing

/// The console's number list from the running agent: in memory, over the phone index built from a real SQLite
/// directory, holding exactly what the directory's SQL query returns (favourites first), filterable.
@Suite struct NumberListRuntimeTests {
    let dir = NSTemporaryDirectory() + "ringside-numbers-\(UUID().uuidString)"

    @Test func theListHoldsEveryDirectoryNumberFromMemory() async throws {
        let agent = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        let runtime = await agent.runtime(phone: SimulatedPhone(), isDemo: true)
        let data = try await Self.loadedList(runtime)
        let view = NumberListView(data)
        let shown = (0..<view.count).map(view.entry(at:))
        // The reference: the directory's own SQL query over the same file.
        let sql = try agent.directory.numberList(filter: "", limit: 1_000_000)
        #expect(sql.count > 200)
        struct Key: Hashable { var kind: NumberListEntry.Kind; var id: String?; var raw: String; var field: String? }
        let keys = { (entries: [NumberListEntry]) in Set(entries.map { Key(kind: $0.kind, id: $0.entity?.id, raw: $0.raw, field: $0.field) }) }
        #expect(keys(shown) == keys(sql))
        #expect(shown.count == sql.count)
        let favourites = shown.prefix { $0.kind == .favourite }
        #expect(!favourites.isEmpty)
        #expect(favourites.count == sql.filter { $0.kind == .favourite }.count)
        // Directory rows come sorted by name.
        let names = shown.dropFirst(favourites.count).map { String(decoding: NumberListFilter.fold($0.name), as: UTF8.self) }
        #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        // The rows are built once: asking again shares them.
        let again = await runtime.numberList()
        #expect(again.rows === data.rows)

        // A name filter finds the same entries as the SQL LIKE (ASCII names).
        let sample = try #require(sql.first { $0.kind == .directory && $0.name.allSatisfy(\.isASCII) && $0.name.count > 4 })
        let word = String(sample.name.prefix(4))
        let filtered = NumberListView(data, filter: word)
        let filteredKeys = keys((0..<filtered.count).map(filtered.entry(at:)))
        #expect(filteredKeys.contains(Key(kind: sample.kind, id: sample.entity?.id, raw: sample.raw, field: sample.field)))
        #expect(filteredKeys == keys(try agent.directory.numberList(filter: word, limit: 1_000_000).filter { !$0.name.isEmpty }))
    }

    /// The list once its rows are built (they are built off the runtime after the index loads: paint first).
    static func loadedList(_ runtime: AgentRuntime) async throws -> NumberListData {
        for _ in 0..<1000 {
            let data = await runtime.numberList()
            if data.rows.count > 0 { return data }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw CancellationError()
    }

    @Test func lookupsAreAnsweredBeforeTheIndexIsLoadedAndTheSameAfter() async throws {
        let agent = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        let indexed = IndexedCRM(base: agent.directory, store: PhoneIndexStore(database: agent.database), writesBack: false)
        #expect(!indexed.isLoaded)
        let single = try PhoneNumber.parse(try #require(agent.scenarios["singleMatch"]), defaultRegion: .GB)
        let multiple = try PhoneNumber.parse(try #require(agent.scenarios["multipleMatch"]), defaultRegion: .GB)
        let before = [indexed.indexed(single).map(\.id), indexed.indexed(multiple).map(\.id).sorted()]
        #expect(before[0].count == 1)
        #expect(before[1].count >= 2)
        #expect(try await indexed.lookup(single).candidates.map(\.id) == before[0])
        indexed.loadInBackground()
        await indexed.waitUntilLoaded()
        #expect(indexed.isLoaded)
        #expect([indexed.indexed(single).map(\.id), indexed.indexed(multiple).map(\.id).sorted()] == before)
    }

    @Test func recentCallsJoinTheHeadWithoutRebuildingTheRows() async throws {
        let agent = try LocalAgent(config: try RingsideConfig.load(path: nil, environment: ["HOME": dir, "XDG_DATA_HOME": dir]))
        let runtime = await agent.runtime(phone: SimulatedPhone(outcome: { _ in .answer(afterSeconds: 0) }), isDemo: true)
        await runtime.start()
        defer { Task { await runtime.stop() } }
        let before = try await Self.loadedList(runtime)
        #expect(before.head.allSatisfy { $0.kind == .favourite })
        try agent.store.save(ConsoleFixtures.finishedRecord(remote: "020 7946 0777"))
        let after = await runtime.numberList()
        #expect(after.rows === before.rows)
        #expect(after.head.contains { $0.kind == .recent && $0.raw == "020 7946 0777" })
    }
}
