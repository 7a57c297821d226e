import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsideStore
import Testing

/// Issue 15 through the real runtime, the simulated phone and a real SQLite directory: `[layout]` settings
/// read from the environment pop on answer, pick the newest of several, and create a record at once.
@Suite("Softphone layout (runtime + SQLite)", .serialized)
struct SoftphoneLayoutRuntimeTests {
    static func agent(_ home: String, _ layout: [String: String]) throws -> LocalAgent {
        let config = try RingsideConfig.load(path: nil, environment: ["HOME": home, "XDG_DATA_HOME": home + "/data",
                                                                      "XDG_CONFIG_HOME": home + "/config"].merging(layout) { $1 })
        return try LocalAgent(config: config)
    }

    static func runtime(_ agent: LocalAgent) async -> AgentRuntime {
        let runtime = AgentRuntime(settings: agent.settings, user: agent.user, crm: agent.directory, phone: SimulatedPhone(),
                                   store: agent.store, directory: agent.directory,
                                   labels: .init(crm: "Local directory", phone: "Simulated phone", isDemo: false))
        await runtime.start()
        return runtime
    }

    @Test func noMatchCreatesAtAnswerAndSeveralMatchesPopTheNewest() async throws {
        let home = NSTemporaryDirectory() + "ringside-layout-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let agent = try Self.agent(home, ["RINGSIDE_LAYOUT_INBOUND_POP": "answer", "RINGSIDE_LAYOUT_NO_MATCH": "create",
                                          "RINGSIDE_LAYOUT_MULTIPLE_MATCHES": "newest"])
        #expect(agent.settings.match.layout.noMatch == .create)
        let runtime = await Self.runtime(agent)

        // No match: nothing is created while it rings; answering creates the record in the directory at once.
        let unknown = try PhoneNumber.parse("020 7946 0999", defaultRegion: .GB)
        _ = await runtime.ring(from: "020 7946 0999")
        _ = try await OutboxStorageFaultTests.waitFor(runtime, "no match") { session -> Bool? in
            if case .finished(.new, _)? = session.focusedCall?.match { return true } else { return nil }
        }
        #expect(try agent.directory.records(withNumber: unknown.e164).isEmpty)
        await runtime.send(.answer)
        let created = try await OutboxStorageFaultTests.waitFor(runtime, "the automatic record") { $0.focusedCall?.createdEntity }
        #expect(try agent.directory.records(withNumber: unknown.e164).map(\.id) == [created.id])
        let association = try #require(await runtime.snapshot().session.focusedCall?.resolvedAssociation)
        #expect(association.rule == .newRecord)
        #expect(association.note?.contains("no_match = create") == true)
        await runtime.send(.hangUp)
        _ = try await OutboxStorageFaultTests.waitFor(runtime, "wrap-up") { $0.focusedCall?.state == .wrapUp ? true : nil }
        await runtime.send(.finishWrapUp(disposition: nil, notes: ""))
        _ = try await OutboxStorageFaultTests.waitFor(runtime, "saved") { $0.calls.isEmpty ? true : nil }

        // Several matches: the most recently modified one is popped at answer, as the layout's pick.
        _ = await runtime.ring(from: "020 7946 0018")
        let candidates = try await OutboxStorageFaultTests.waitFor(runtime, "several matches") { session -> [CRMRecord]? in
            if case .finished(.search(let records), _)? = session.focusedCall?.match { return records } else { return nil }
        }
        #expect(candidates.count > 1)
        #expect(await runtime.snapshot().session.focusedCall?.popped == nil)
        await runtime.send(.answer)
        let popped = try await OutboxStorageFaultTests.waitFor(runtime, "the newest pop") { $0.focusedCall?.popped }
        let newest = try #require(SoftphoneLayout.newest(of: candidates))
        #expect(popped.id == newest.id)
        #expect(candidates.allSatisfy { $0.lastModified <= newest.lastModified })
        let picked = try #require(await runtime.snapshot().session.focusedCall?.resolvedAssociation)
        #expect(picked.rule == .newestOfSeveral)
        #expect(picked.primary?.id == newest.id)
        await runtime.stop()
    }
}
