import Foundation
import RingsideCore
import RingsidePhone
import RingsideStore

/// Runs simulated calls through the real runtime, store and local directory without a terminal, with a
/// scripted agent, and checks every saved record's association against what the script did.
public struct HeadlessSimulation {
    /// What the scripted agent does on one call, and the association rule it should produce.
    enum Script: CaseIterable {
        case singleNoInteraction, singlePopped, multipleNoSelection, multipleSelected, noMatchNew, noMatchNothing,
             internalCall, clickToDial, dialledSingle
    }

    public struct Outcome: Sendable {
        public var record: CallRecord
        public var expectedRule: AssociationRule
        public var expectedWho: String?
        public var expectedWhat: String?
        public var matches: Bool {
            record.associationRule == expectedRule && record.who?.id == expectedWho && record.what?.id == expectedWhat
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Builds the runtime for a phone and settings (default: the local directory back end).
    public typealias RuntimeFactory = @Sendable (SimulatedPhone, SessionSettings) async -> AgentRuntime

    let agent: LocalAgent
    var rng: SplitMix64
    let makeRuntime: RuntimeFactory?

    public init(agent: LocalAgent, seed: UInt64, makeRuntime: RuntimeFactory? = nil) {
        self.agent = agent
        self.rng = SplitMix64(state: seed)
        self.makeRuntime = makeRuntime
    }

    public mutating func run(calls: Int, log: (String) -> Void) async throws -> [Outcome] {
        let phone = SimulatedPhone(outcome: { _ in .answer(afterSeconds: 0) })
        var settings = agent.settings
        settings.wrapUpSeconds = 3600
        let runtime: AgentRuntime
        if let makeRuntime {
            runtime = await makeRuntime(phone, settings)
        } else {
            runtime = AgentRuntime(settings: settings, user: agent.user, crm: agent.directory, phone: phone, store: agent.store,
                                   directory: agent.directory, labels: .init(crm: "Local directory", phone: "Simulated phone", isDemo: false))
        }
        await runtime.start()
        defer { Task { await runtime.stop() } }
        // Numbers a live CRM search is sure to find: plain ASCII, no extension (the local index finds the
        // others too, but a phone-field SOSL search may not match full-width digits or "x12" suffixes).
        let all = try agent.directory.numbersByMatchCount()
        let plain: (String) -> Bool = { raw in raw.unicodeScalars.allSatisfy { $0.isASCII && !CharacterSet.letters.contains($0) } }
        let pools = (single: all.single.filter(plain), multiple: all.multiple.filter(plain))
        guard !pools.single.isEmpty, !pools.multiple.isEmpty else {
            throw Failure(description: "the directory needs numbers with one and with several matches to simulate calls")
        }
        let entries = try agent.directory.numberList(filter: "", limit: 500).filter { $0.entity != nil && plain($0.raw) }
        var outcomes: [Outcome] = []
        for index in 0..<calls {
            let script = Script.allCases.randomElement(using: &rng)!
            let outcome = try await simulate(script, index: index, runtime: runtime, phone: phone, pools: pools, entries: entries)
            log(Self.line(index + 1, outcome))
            outcomes.append(outcome)
        }
        return outcomes
    }

    private mutating func simulate(_ script: Script, index: Int, runtime: AgentRuntime, phone: SimulatedPhone,
                                   pools: (single: [String], multiple: [String]), entries: [NumberListEntry]) async throws -> Outcome {
        var expectedRule: AssociationRule
        var expectedPrimary: EntityRef?
        let region = agent.config.region
        switch script {
        case .clickToDial:
            let entry = entries.randomElement(using: &rng)!
            await runtime.send(.dial(entry.raw, clickToDial: entry.entity))
            expectedRule = .clickToDial
            expectedPrimary = entry.entity
        case .dialledSingle:
            let raw = pools.single.randomElement(using: &rng)!
            await runtime.send(.dial(raw, clickToDial: nil))
            expectedRule = .singleMatch
            expectedPrimary = try agent.directory.records(withNumber: try PhoneNumber.parse(raw, defaultRegion: region).e164).first?.ref
        case .internalCall:
            _ = await runtime.ring(from: String(2000 + Int.random(in: 0..<999, using: &rng)))
            expectedRule = .internalCall
        case .noMatchNew, .noMatchNothing:
            // Random digits in a range the demo directory never uses: a number with no match.
            _ = await runtime.ring(from: "+44 1632 \(String(format: "%06d", Int.random(in: 0..<1_000_000, using: &rng)))")
            expectedRule = script == .noMatchNew ? .newRecord : .noMatch
        case .singleNoInteraction, .singlePopped:
            let raw = pools.single.randomElement(using: &rng)!
            _ = await runtime.ring(from: raw)
            expectedRule = script == .singlePopped ? .agentChoice : .singleMatch
        case .multipleNoSelection, .multipleSelected:
            _ = await runtime.ring(from: pools.multiple.randomElement(using: &rng)!)
            expectedRule = script == .multipleSelected ? .agentChoice : .multipleMatchesNoSelection
        }
        let call: CallMachine = try await waitFor(runtime, "the lookup") { session -> CallMachine? in
            guard let call = session.focusedCall, call.line != nil else { return nil }
            switch call.match {
            case .finished, .skippedInternal, .failed: return call
            case .notStarted, .searching: return nil
            }
        }
        switch (script, call.match) {
        case (.singleNoInteraction, .finished(.pop(let record), _)), (.dialledSingle, .finished(.pop(let record), _)):
            expectedPrimary = expectedPrimary ?? record.ref
        case (.singlePopped, .finished(.pop(let record), _)):
            await runtime.send(.pop)
            expectedPrimary = record.ref
        case (.multipleSelected, .finished(.search(let records), _)):
            let pick = records.randomElement(using: &rng)!.ref
            await runtime.send(.select(pick))
            expectedPrimary = pick
        case (.noMatchNew, .finished(.new, _)):
            await runtime.send(.requestNew)
            let created = try await waitFor(runtime, "the new record") { session in
                session.focusedCall?.association.interactions.last?.entity
            }
            expectedPrimary = created
        case (.multipleNoSelection, _), (.noMatchNothing, _), (.internalCall, _), (.clickToDial, _):
            break
        case (.singleNoInteraction, _), (.dialledSingle, _), (.singlePopped, _), (.multipleSelected, _), (.noMatchNew, _):
            throw Failure(description: "call \(index + 1): the lookup gave \(call.match), which does not fit the script \(script)")
        }
        if call.direction == .inbound {
            await runtime.send(.answer)
        }
        _ = try await waitFor(runtime, "the call to connect") { $0.focusedCall?.state == .connected ? true : nil }
        if Bool.random(using: &rng) {
            await runtime.send(.hold)
            _ = try await waitFor(runtime, "hold") { $0.focusedCall?.state == .held ? true : nil }
            await runtime.send(.resume)
            _ = try await waitFor(runtime, "resume") { $0.focusedCall?.state == .connected ? true : nil }
        }
        if Bool.random(using: &rng), let line = call.line {
            await runtime.remoteHangUp(line)
        } else {
            await runtime.send(.hangUp)
        }
        _ = try await waitFor(runtime, "wrap-up") { session in
            session.calls.first { $0.id == call.id }?.state == .wrapUp ? true : nil
        }
        let disposition = agent.settings.dispositions.randomElement(using: &rng)
        await runtime.send(.finishWrapUp(disposition: disposition, notes: "Simulated call \(index + 1)"))
        let record = try await waitForRecord(call.id)
        let (who, what) = Self.expectedIDs(expectedPrimary, rule: expectedRule)
        return Outcome(record: record, expectedRule: expectedRule, expectedWho: who, expectedWhat: what)
    }

    /// WhoId/WhatId the scripted agent's choice should produce (independent of `Association.split`).
    static func expectedIDs(_ primary: EntityRef?, rule: AssociationRule) -> (String?, String?) {
        guard let primary, rule != .internalCall else { return (nil, nil) }
        switch primary.type {
        case .contact: return (primary.id, primary.accountId)
        case .lead: return (primary.id, nil)
        case .account, .caseRecord, .opportunity: return (nil, primary.id)
        }
    }

    private func waitForRecord(_ id: CallObjectID) async throws -> CallRecord {
        for _ in 0..<2000 {
            if let record = try agent.store.record(id), record.delivery != .wrapUp { return record }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        throw Failure(description: "call \(id) was never completed in the store")
    }

    private func waitFor<T>(_ runtime: AgentRuntime, _ what: String, _ check: (AgentSession) -> T?) async throws -> T {
        for _ in 0..<2500 {
            if let value = check(await runtime.current) { return value }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        let state = await runtime.current.focusedCall?.state.label ?? "no call"
        throw Failure(description: "timed out waiting for \(what) (call is \(state))")
    }

    static func line(_ n: Int, _ outcome: Outcome) -> String {
        let r = outcome.record
        let who = r.who.map { "\($0.type.rawValue) \($0.id)" } ?? "-"
        let what = r.what.map { "\($0.type.rawValue) \($0.id)" } ?? "-"
        let status = outcome.matches ? "ok" : "MISMATCH (expected rule \(outcome.expectedRule.rawValue) who=\(outcome.expectedWho ?? "-") what=\(outcome.expectedWhat ?? "-"))"
        return String(format: "%4d  %@  %@  who=%@  what=%@  rule %d  %ds  %@", n, r.callType.rawValue, r.subject, who, what,
                      r.associationRule.rawValue, r.durationSeconds, status)
    }
}
