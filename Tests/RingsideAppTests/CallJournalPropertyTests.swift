import Foundation
@testable import RingsideApp
import RingsideCore
import RingsidePhone
import RingsidePresence
import RingsideStore
import Testing

/// Issue 13, property-based: seeded random interleavings of phone events, agent keys (some of them stale:
/// read while another call was on screen), crashes and quits against the real runtime, the simulated phone
/// and a real SQLite file. After every step: never two connected calls, and the journal on disk equals the
/// calls in memory. At the end of each run: every call that rang or was dialled has exactly one record and
/// one outbox row, nothing is left in the journal, and every association by rule 3 names an entity the agent
/// chose while that call was on screen. A failure prints the seed and the steps so it can be replayed.
@Suite("Call journal: random interleavings", .serialized)
struct CallJournalPropertyTests {
    static let numbers = ["+44 (0)7814 256404", "+44 20 7946 0018", "020 7946 0999", "2001", "+81 3-1234-5678"]

    /// What the test remembers across crashes (the runtime forgets everything but the journal).
    struct World {
        var rng: SplitMix64
        var log: [String] = []
        /// Every call that rang or was accepted by the phone.
        var seen: Set<CallObjectID> = []
        /// Entities the agent chose (pop, pick, navigate) while each call was on screen.
        var chosen: [CallObjectID: Set<String>] = [:]
        /// Calls for which the agent asked for a new record while they were on screen.
        var askedNew: Set<CallObjectID> = []

        mutating func pick<T>(_ items: [T]) -> T? {
            items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))]
        }

        mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }
    }

    final class Rig: @unchecked Sendable {
        let bench: OutboxStorageFaultTests.Bench
        var phone = SimulatedPhone(outcome: Rig.outcome)
        var runtime: AgentRuntime!

        init() throws { bench = try OutboxStorageFaultTests.Bench() }

        /// Dialled numbers answer, are busy or go unanswered, by number.
        static let outcome: @Sendable (String) -> SimulatedPhone.Outcome = { number in
            switch number {
            case "020 7946 0999": .busy
            case "2001": .noAnswer(afterSeconds: 0.002)
            case "+81 3-1234-5678": .decline
            default: .answer(afterSeconds: 0)
            }
        }

        /// A new process on the same database file (fresh connection, fresh phone: the old calls are gone).
        func start() async throws {
            phone = SimulatedPhone(outcome: Rig.outcome)
            let store = SQLiteCallStore(database: try RingsideDatabase(path: bench.path))
            var settings = bench.agent.settings
            settings.wrapUpSeconds = 3600
            settings.completedState = .queued
            runtime = AgentRuntime(settings: settings, user: bench.agent.user, crm: bench.agent.directory, phone: phone,
                                   store: store, directory: bench.agent.directory,
                                   labels: .init(crm: "Local directory", phone: "Simulated phone", isDemo: false))
            await runtime.setEmergencyDirectory(bench.home + "/state")
            await runtime.start()
        }
    }

    @Test(arguments: 0..<40)
    func randomInterleavingsNeverLoseDuplicateOrMisfileACall(seed: UInt64) async throws {
        let rig = try Rig()
        defer { rig.bench.remove() }
        var world = World(rng: SplitMix64(seed: seed))
        try await rig.start()
        for step in 0..<90 {
            try await Self.step(&world, rig)
            try await Self.settle(rig.runtime)
            let problem = await rig.runtime.invariantViolation(seen: &world.seen)
            #expect(problem == nil, "seed \(seed) step \(step): \(problem ?? "")\n\(world.log.suffix(12).joined(separator: "\n"))")
            if problem != nil { break }
        }
        // Quit with everything still open (the simulated phone's calls end with Ringside), then start once more.
        _ = await rig.runtime.shutdown()
        try await rig.start()
        try await Self.settle(rig.runtime)
        await rig.runtime.stop()
        try Self.checkRecords(world, path: rig.bench.path, seed: seed)
    }

    /// Applies one random step; stale keys carry the id of a call that is not on screen.
    static func step(_ world: inout World, _ rig: Rig) async throws {
        let runtime = rig.runtime!
        let session = await runtime.current
        let focused = session.focusedCall
        let roll = world.rng.next() % 100
        switch roll {
        case 0..<14:
            let number = world.pick(numbers)!
            world.log.append("ring \(number)")
            rig.phone.ring(from: number)
        case 14..<20:
            guard let line = world.pick(Array(rig.phone.liveCalls).sorted()) else { return }
            world.log.append("remote hang-up \(line)")
            rig.phone.remoteHangUp(line)
        case 20..<26:
            let number = world.pick(numbers)!
            world.log.append("dial \(number)")
            await runtime.send(.dial(number, clickToDial: nil), seen: focused?.id)
        case 26..<80:
            let command = agentCommand(&world, focused)
            // One key in five was read while another call (or none) was on screen.
            let stale = world.chance(20)
            let seen = stale ? world.pick(session.calls.map(\.id).filter { $0 != focused?.id }) : focused?.id
            world.log.append("key \(command) seen \(seen ?? "none")\(stale ? " (stale)" : "")")
            if let seen, seen == focused?.id { remember(command, for: seen, focused, &world) }
            await runtime.send(command, seen: seen)
        case 80..<86:
            world.log.append("focus next")
            await runtime.send(.focusNext, seen: focused?.id)
        case 86..<92:
            world.log.append("crash (kill -9) and restart")
            await runtime.stop()
            try await rig.start()
        default:
            world.log.append("quit and restart")
            _ = await runtime.shutdown()
            try await rig.start()
        }
    }

    static func agentCommand(_ world: inout World, _ focused: CallMachine?) -> AgentCommand {
        let candidates = focused.map { call -> [CRMRecord] in
            if case .finished(let decision, _) = call.match { return decision.candidates }
            return []
        } ?? []
        let options: [AgentCommand] = [
            .answer, .answer, .hold, .resume, .hangUp, .hangUp, .pop, .requestNew,
            .transfer(to: world.chance(50) ? "2002" : "abc"),
            .editWrapUp(disposition: "Resolved", notes: "note \(world.rng.next() % 1000)"),
            .finishWrapUp(disposition: "Resolved", notes: "done"), .finishWrapUp(disposition: nil, notes: ""),
        ] + candidates.map { .select($0.ref) } + candidates.prefix(1).map { .navigate($0.ref) }
        return world.pick(options)!
    }

    /// Records what the agent chose for the call on screen (the only call a rule-3 association may name it for).
    static func remember(_ command: AgentCommand, for id: CallObjectID, _ focused: CallMachine?, _ world: inout World) {
        switch command {
        case .select(let ref), .navigate(let ref):
            world.chosen[id, default: []].insert(ref.id)
        case .pop:
            if case .finished(.pop(let record), _)? = focused?.match { world.chosen[id, default: []].insert(record.id) }
        case .requestNew, .createNew:
            world.askedNew.insert(id)
        case .answer, .hold, .resume, .hangUp, .transfer, .dial, .relate, .editWrapUp, .finishWrapUp, .setAvailability,
             .focusNext, .dismissBanner:
            break
        }
    }

    /// Lets the phone's events and the lookups land (the invariants hold at every point; this only lets
    /// the interleavings go further than the keys alone).
    static func settle(_ runtime: AgentRuntime) async throws {
        for _ in 0..<3 {
            await Task.yield()
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        _ = await runtime.current
    }

    static func checkRecords(_ world: World, path: String, seed: UInt64) throws {
        let store = SQLiteCallStore(database: try RingsideDatabase(path: path))
        let records = try store.calls(in: DeliveryState.allCases)
        let byCall = Dictionary(grouping: records, by: \.callObject)
        let outbox = Dictionary(grouping: try store.outbox(), by: \.callObject)
        let context = "seed \(seed)\n\(world.log.joined(separator: "\n"))"
        #expect(try store.openJournal().entries.isEmpty, "journal not empty: \(context)")
        #expect(!world.seen.isEmpty, "the run made no calls: \(context)")
        for id in world.seen.sorted() {
            #expect(byCall[id]?.count == 1, "call \(id) has \(byCall[id]?.count ?? 0) records: \(context)")
            #expect(outbox[id]?.count == 1, "call \(id) has \(outbox[id]?.count ?? 0) outbox rows: \(context)")
            guard let record = byCall[id]?.first else { continue }
            #expect(record.delivery != .wrapUp, "call \(id) still in wrap-up: \(context)")
            if record.associationRule == .agentChoice, let who = record.who {
                let chosen = world.chosen[id, default: []].contains(who.id)
                #expect(chosen || world.askedNew.contains(id),
                        "call \(id) logged against \(who.name) (\(who.id)), never chosen while it was on screen: \(context)")
            }
        }
        #expect(Set(byCall.keys).isSubset(of: world.seen), "records for calls that never rang: \(context)")
        let rules = Dictionary(grouping: records, by: \.associationRule).mapValues(\.count)
        let crashes = world.log.filter { $0.hasPrefix("crash") }.count
        print("journal property seed \(seed): \(world.seen.count) calls, \(records.count) records, \(crashes) crashes, "
              + "by rule: \(rules.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)×\($0.value)" }.joined(separator: " "))")
    }
}

extension AgentRuntime {
    /// Checked inside the actor, between two work items: at most one connected call, and the journal on
    /// disk equals the calls in memory. Adds every call that reached the phone to `seen`.
    func invariantViolation(seen: inout Set<CallObjectID>) -> String? {
        for call in session.calls where call.line != nil || call.state != .dialing { seen.insert(call.id) }
        let connected = session.calls.filter { $0.state == .connected }
        if connected.count > 1 { return "\(connected.count) calls connected at once" }
        do {
            let journal = try store.openJournal().entries.map(\.call)
            let onDisk = Dictionary(uniqueKeysWithValues: journal.map { ($0.id, $0) })
            for call in session.calls where onDisk[call.id] != call {
                return "call \(call.id) (\(call.state)) is not in the journal as it is in memory"
            }
            let extra = Set(onDisk.keys).subtracting(session.calls.map(\.id))
            if !extra.isEmpty, extra.contains(where: { unsaved[$0] == nil }) {
                return "journal holds calls no longer open: \(extra.sorted())"
            }
        } catch {
            return "journal unreadable: \(error)"
        }
        return nil
    }
}
