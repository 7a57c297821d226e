import Foundation
import RingsideCore
import RingsidePhone
import RingsideStore
import RingsideUI

/// The running agent: owns the `AgentSession`, feeds it phone events and command results,
/// and carries out its effects on the adapters. The console talks to it through `ConsoleBackend`.
public actor AgentRuntime: ConsoleBackend {
    public struct Labels: Sendable {
        public var crm: String
        public var phone: String
        public var isDemo: Bool
        /// Where CRM records open in a browser (the Salesforce instance); nil for the local directory.
        public var recordLinkBase: String?

        public init(crm: String, phone: String, isDemo: Bool, recordLinkBase: String? = nil) {
            self.crm = crm
            self.phone = phone
            self.isDemo = isDemo
            self.recordLinkBase = recordLinkBase
        }
    }

    var session: AgentSession
    private let crm: any CRM
    private let phone: any PhoneLink
    let store: SQLiteCallStore
    private let directory: LocalDirectory?
    private let scenarios: [String: String]
    private let labels: Labels
    private let clock: @Sendable () -> Date
    private let newID: @Sendable () -> CallObjectID
    private var watchers: [UUID: AsyncStream<Void>.Continuation] = [:]
    /// Records the store refused (disk full, read-only): retried until they are saved.
    var unsaved: [CallObjectID: (record: CallRecord, final: Bool)] = [:]
    /// Events waiting to be applied, strictly in arrival order (effects that report back enqueue, never re-enter).
    private var pending: [RuntimeWork] = []
    private var draining = false
    /// Set by `stop()`: late results of work started before (a lookup, a timer) change nothing afterwards, as
    /// after a crash; the next start takes over from the journal.
    private var stopped = false
    /// Each open call as last written to the journal.
    var journal = JournalTracker()
    /// The journal write that failed last (shown once until a write succeeds).
    var journalFailure: String?
    /// Calls completed by the effects of the work being applied (their journal rows go with their records).
    var completedRecently: [CallObjectID] = []
    var currentCalls: [CallMachine] { session.calls }
    var phoneCallsOutlive: Bool { phone.callsOutliveRingside }
    /// Where quitting writes what the store refused (`$XDG_STATE_HOME/ringside`); nil: no emergency copy.
    var emergencyDirectory: String?
    private var tasks: [Task<Void, Never>] = []
    private var cachedFavourites: [NumberListEntry]?
    private var cachedRows: (any NumberListSource)?
    private var numberRowsBuilding = false
    private static let noRows = NumberListEntries([])

    private func numberRowsBuilt() {
        numberRowsBuilding = false
        notifyWatchers()
    }
    /// Called after each completed record (delivery worker wake-up, presence, tests).
    private var onComplete: (@Sendable (CallRecord) -> Void)?
    /// Team presence (MQTT or in-memory): the agent's state is published whenever a supervisor would see a change.
    private var presence: (any Presence)?
    private var presenceTracker = PresenceTracker()
    private var presenceAgentID = ""
    var handoffChannel: (any HandoffChannel)? { presence as? any HandoffChannel }
    var handoffAgentID: String { presenceAgentID }
    func addTask(_ task: Task<Void, Never>) { tasks.append(task) }

    /// Publishes one state or queue observation at a time, in order.
    private var presenceQueue: AsyncStream<PresenceOutgoing>.Continuation?
    /// What this agent reports on the tenant's queue feed about the inbound calls it is offered.
    private var queueReporter = QueueReporter()
    /// Saves each queue observation before it is published, and publishes them in order once the link is up.
    private var queueOutbox: QueueOutboxWorker?
    /// Agent-state platform events (`presence.salesforce_event`): each visible state change is saved to the event outbox.
    private var stateEvents: PlatformEventWorker?
    private var stateEventMapping = ActivityCategoryMapping()
    private var stateEventTracker = PresenceTracker()
    private var lastStateEvent: AgentStateEvent?

    public init(settings: SessionSettings, user: AgentUser, crm: any CRM, phone: any PhoneLink, store: SQLiteCallStore,
                directory: LocalDirectory?, scenarios: [String: String] = [:], labels: Labels,
                clock: @escaping @Sendable () -> Date = { Date() },
                newID: @escaping @Sendable () -> CallObjectID = { UUID().uuidString.lowercased() }) {
        var session = AgentSession(settings: settings, user: user)
        session.crm = labels.crm == "Local directory" ? .local : .connected(labels.crm)
        self.session = session
        self.crm = crm
        self.phone = phone
        self.store = store
        self.directory = directory
        self.scenarios = scenarios
        self.labels = labels
        self.clock = clock
        self.newID = newID
    }

    /// Where quitting writes records the database refused (default `$XDG_STATE_HOME/ringside`).
    public func setEmergencyDirectory(_ path: String?) { emergencyDirectory = path }

    public func setOnComplete(_ body: @escaping @Sendable (CallRecord) -> Void) { onComplete = body }

    /// Starts publishing this agent's presence as `agentId` (call before `start()`).
    public func setPresence(_ presence: any Presence, agentId: String) {
        self.presence = presence
        presenceAgentID = agentId
        // Queue observations must not be dropped to make room (a lost `answered` would turn into an abandon).
        let (stream, continuation) = AsyncStream.makeStream(of: PresenceOutgoing.self, bufferingPolicy: .bufferingNewest(256))
        presenceQueue = continuation
        tasks.append(Task { [weak self] in
            for await item in stream {
                do {
                    switch item {
                    case .state(let state): try await presence.publish(state)
                    case .queue(let event): try await presence.publishQueue(event)
                    }
                } catch { await self?.post(.notice(.warning, "Presence not published: \(error)")) }
            }
        })
        if let channel = presence as? any HandoffChannel { listenForHandoffs(channel, agentId: agentId) }
        let outbox = QueueOutboxWorker(store: store, agentId: agentId, publish: { event in
            if let acknowledged = presence as? any AcknowledgedQueueFeed {
                try await acknowledged.publishQueueAcknowledged(event)
            } else {
                try await presence.publishQueue(event)
            }
        })
        queueOutbox = outbox
        tasks.append(Task { await outbox.run() })
    }

    /// Publishes every agent state change as a Salesforce platform event through `worker` (call before `start()`).
    /// `mapping` gives each state its activity categories (`[activity]`).
    public func setStateEvents(_ worker: PlatformEventWorker, mapping: ActivityCategoryMapping = ActivityCategoryMapping()) {
        stateEvents = worker
        stateEventMapping = mapping
    }

    /// Saves the state event for this work item, if a supervisor-visible state changed (never waits on the network).
    private func submitStateEvent(at now: Date) {
        guard let stateEvents, let state = stateEventTracker.update(session: session, at: now) else { return }
        // The tracker also reports call details (a matched name, the answer time); the event carries only the
        // state, reason, category, since and call direction: send it when one of those changed.
        let event = AgentStateEvent(presence: state, userId: session.user.id, mapping: stateEventMapping)
        guard event != lastStateEvent else { return }
        lastStateEvent = event
        do {
            try stateEvents.submit(event, at: now)
        } catch {
            enqueue(.event(.notice(.warning, "Agent state event not saved: \(error)")))
        }
    }

    /// Post-call update templates per related entity type (seed 003), e.g. `[.opportunity: ["NextStep": "{notes}"]]`.
    private var postCallFields: [EntityType: [String: String]] = [:]
    public func setPostCallFields(_ fields: [EntityType: [String: String]]) { postCallFields = fields }

    public func relatedWork(for entity: EntityRef) async -> [CRMRecord] {
        do {
            return try await crm.relatedWork(for: entity)
        } catch {
            handle(.notice(.warning, "Could not read related Cases and Opportunities: \(error)"))
            return []
        }
    }

    /// Applies the configured post-call update to the record's related Case/Opportunity. A refusal is shown
    /// with the CRM's message and audited; the call record itself is already saved and unaffected.
    private func postCallUpdate(_ record: CallRecord) {
        guard let what = record.what, let templates = postCallFields[what.type], !templates.isEmpty else { return }
        let fields = templates.mapValues { PostCallTemplate.fill($0, with: record) }
        let crm = self.crm
        let store = self.store
        let clock = self.clock
        spawn {
            do {
                try await crm.updateRecord(what, fields: fields)
                try? store.appendAudit(AuditEntry(at: clock(), callObject: record.callObject, action: "post-call update",
                                                  endpoint: "\(what.type.rawValue) \(what.id)", detail: fields.keys.sorted().joined(separator: ", ")))
                return .notice(.info, "Updated \(what.type.rawValue) \(what.name.isEmpty ? what.id : what.name)")
            } catch {
                let code = (error as? RecordUpdateError)?.code
                try? store.appendAudit(AuditEntry(at: clock(), callObject: record.callObject, action: "post-call update",
                                                  endpoint: "\(what.type.rawValue) \(what.id)", errorCode: code, detail: "\(error)"))
                return .notice(.error, "\(what.type.rawValue) not updated (the call record is saved): \(error)")
            }
        }
    }

    /// Restores the calls open when Ringside last stopped, then starts the phone link and the event pump.
    /// Returns at once.
    public func start() async {
        restoreJournal()
        let events = phone.events
        tasks.append(Task { [weak self] in
            for await event in events { await self?.handle(.phone(event)) }
        })
        await phone.start()
        refreshOutbox()
    }

    public func stop() async {
        stopped = true
        presenceQueue?.finish()
        await presence?.close()
        tasks.forEach { $0.cancel() }
        await phone.close()
        for watcher in watchers.values { watcher.finish() }
    }

    // MARK: ConsoleBackend

    public func snapshot() async -> ConsoleSnapshot {
        let history = (try? store.recentCalls(limit: 100)) ?? []
        return ConsoleSnapshot(session: session, history: history, isDemo: labels.isDemo, crmLabel: labels.crm, phoneLabel: labels.phone,
                               callsOutliveRingside: phone.callsOutliveRingside, recordLinkBase: labels.recordLinkBase)
    }

    public func send(_ command: AgentCommand, seen: CallObjectID?) async {
        handle(.agentOnScreen(command, seen: seen))
    }

    /// A command for the focused call (headless drivers, tests).
    public func send(_ command: AgentCommand) async {
        handle(.agent(command))
    }

    public func numberList() async -> NumberListData {
        var seen = Set<String>()
        let recent = ((try? store.recentCalls(limit: 20)) ?? []).compactMap { record -> NumberListEntry? in
            guard seen.insert(record.e164 ?? record.remote).inserted else { return nil }
            return NumberListEntry(kind: .recent, name: record.remoteName ?? "", raw: record.remote, e164: record.e164,
                                   entity: record.who ?? record.what)
        }
        let (favourites, rows) = numberListRows()
        return NumberListData(head: favourites + recent, rows: rows)
    }

    /// Favourites and the directory rows, from memory (built once; see `IndexedCRM.numberList`).
    private func numberListRows() -> ([NumberListEntry], any NumberListSource) {
        let favourites = cachedFavourites ?? ((try? directory?.favourites()) ?? [])
        cachedFavourites = favourites
        if let indexed = crm as? IndexedCRM {
            if let built = indexed.builtNumberList { return (favourites, built) }
            // Built off the actor once the index has loaded (paint first); the console is told when it is ready.
            if !numberRowsBuilding {
                numberRowsBuilding = true
                let excluding = Set(favourites.compactMap(\.entity?.id))
                Task.detached(priority: .userInitiated) { [weak self] in
                    await indexed.waitUntilLoaded()
                    _ = indexed.numberList(excluding: excluding)
                    await self?.numberRowsBuilt()
                }
            }
            return (favourites, Self.noRows)
        }
        if let cachedRows { return (favourites, cachedRows) }
        // No in-memory index (it failed to load): the directory's first rows, once.
        let rows = NumberListEntries(((try? directory?.numberList(filter: "", limit: 10_000)) ?? []).filter { $0.kind != .favourite })
        cachedRows = rows
        return (favourites, rows)
    }

    public func quickFind(_ text: String) async -> [CRMRecord] {
        do {
            return try await crm.search(text)
        } catch {
            handle(.notice(.error, "Search failed: \(error)"))
            return []
        }
    }

    public func simulateIncoming(_ scenario: DemoScenario) async {
        guard let simulated = phone as? SimulatedPhone else {
            handle(.notice(.warning, "Simulated calls are only available in the demo"))
            return
        }
        simulated.ring(from: demoNumber(for: scenario))
    }

    public nonisolated func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        Task { await self.addWatcher(id, continuation) }
        continuation.onTermination = { _ in Task { await self.removeWatcher(id) } }
        return stream
    }

    // MARK: Headless helpers (simulate, tests)

    /// The current session (for headless drivers and tests).
    public var current: AgentSession { session }

    /// Makes the simulated phone ring; returns the line id (nil when the phone is not simulated).
    @discardableResult
    public func ring(from remote: String) -> LineCallID? {
        (phone as? SimulatedPhone)?.ring(from: remote)
    }

    /// The far end hangs up a simulated call.
    public func remoteHangUp(_ line: LineCallID) {
        (phone as? SimulatedPhone)?.remoteHangUp(line)
    }

    public func demoNumber(for scenario: DemoScenario) -> String {
        let key: String = switch scenario {
        case .singleMatch: "singleMatch"
        case .multipleMatch: "multipleMatch"
        case .noMatch: "noMatch"
        case .internal: "internal"
        case .japanese: "japanese"
        case .hostile: "hostile"
        case .random: ["singleMatch", "multipleMatch", "noMatch", "internal", "japanese"].randomElement() ?? "singleMatch"
        }
        return scenarios[key] ?? "+44 20 7946 0000"
    }

    // MARK: Event loop

    /// Feeds an event from outside (delivery notices, CRM state).
    public func post(_ event: SessionEvent) {
        handle(event)
    }

    func handle(_ event: SessionEvent) {
        enqueue(.event(event))
    }

    /// Adds work to the FIFO and drains it unless a drain is already running further up this actor's stack.
    func enqueue(_ work: RuntimeWork) {
        guard !stopped else { return }
        pending.append(work)
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while !pending.isEmpty {
            let next = pending.removeFirst()
            let now = clock()
            let effects: [SessionEffect]
            switch next {
            case .event(let event): effects = session.handle(event, at: now, newID: newID())
            case .restore(let entries): effects = session.restore(entries, at: now)
            case .shutdown(let outlive): effects = session.shutdown(callsOutliveRingside: outlive, at: now)
            }
            for effect in effects { run(effect) }
            if presenceQueue != nil { reportQueue(effects, at: now) }
            syncJournal(at: now)
            // The status bar's CRM state follows the last lookup's outcome.
            if case .event(.lookupFinished) = next, session.crm != .local {
                session.crm = .connected(labels.crm)
            } else if case .event(.lookupFailed(_, let message)) = next, session.crm != .local {
                session.crm = .unavailable(message)
            }
            submitStateEvent(at: now)
            if presenceQueue != nil, var state = presenceTracker.update(session: session, at: now) {
                state.agentId = presenceAgentID
                presenceQueue?.yield(.state(state))
            }
        }
        notifyWatchers()
    }

    /// Queue observations from this work item: calls it completed, then what the remaining calls show.
    private func reportQueue(_ effects: [SessionEffect], at now: Date) {
        var events: [QueueEvent] = []
        for case .complete(let record) in effects {
            events += queueReporter.completed(record, agentId: presenceAgentID, at: now)
        }
        events += queueReporter.update(calls: session.calls, agentId: presenceAgentID, at: now)
        for event in events {
            do {
                try queueOutbox?.submit(event, at: now)
            } catch {
                // The store refused it (disk full): publish it live rather than lose it.
                presenceQueue?.yield(.queue(event))
            }
        }
    }

    private func run(_ effect: SessionEffect) {
        switch effect {
        case .lookup(let id, let number):
            let crm = self.crm
            spawn {
                do {
                    let result = try await crm.lookup(number)
                    return .lookupFinished(id, result)
                } catch {
                    return .lookupFailed(id, "\(error)")
                }
            }
        case .phone(let command):
            let phone = self.phone
            spawn {
                do {
                    try await phone.send(command)
                    return nil
                } catch {
                    return .notice(.error, "Phone refused \(Self.describe(command)): \(error)")
                }
            }
        case .dial(let id, let target):
            let phone = self.phone
            spawn {
                do {
                    try await phone.send(.dial(target))
                    return nil
                } catch {
                    return .dialFailed(id, "\(error)")
                }
            }
        case .createRecord(let id, let type, let number, let name):
            let crm = self.crm
            spawn {
                do {
                    return .recordCreated(id, try await crm.createRecord(type, number: number, name: name))
                } catch {
                    return .recordCreateFailed(id, "\(error)")
                }
            }
        case .save(let record):
            persist(record, final: false)
        case .complete(let record):
            completedRecently.append(record.callObject)
            persist(record, final: true)
        case .scheduleWrapUpTimeout(let id, let seconds):
            spawn {
                try? await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
                return .wrapUpTimedOut(id)
            }
        case .activityChanged:
            break
        case .publishHandoff(let context):
            publishHandoff(context)
        }
    }

    /// Saves now; on failure keeps the record in memory, reports `.recordSaveFailed` once, and retries every
    /// few seconds until the store takes it (then `.recordSaved`).
    private func persist(_ record: CallRecord, final: Bool) {
        let wasFinal = unsaved[record.callObject]?.final == true
        do {
            if final || wasFinal { try store.complete(record, at: clock()) } else { try store.save(record) }
            let wasUnsaved = unsaved.removeValue(forKey: record.callObject) != nil
            if final || wasFinal {
                refreshOutbox()
                onComplete?(record)
                postCallUpdate(record)
            }
            if !final || wasUnsaved { handle(.recordSaved(record.callObject)) }
        } catch {
            let firstFailure = unsaved[record.callObject] == nil
            // A final record replaces an earlier unsaved draft of the same call, never the other way round.
            if final || !wasFinal { unsaved[record.callObject] = (record, final || wasFinal) }
            if firstFailure { handle(.recordSaveFailed(record.callObject, "\(error)")) }
            spawn { [weak self] in
                try? await Task.sleep(nanoseconds: 5_000_000_000)
                await self?.retryUnsaved(record.callObject)
                return nil
            }
        }
    }

    private func retryUnsaved(_ id: CallObjectID) {
        guard let pending = unsaved[id] else { return }
        persist(pending.record, final: pending.final)
    }

    /// Number of records waiting to be written because the store refused them.
    public var unsavedCount: Int { unsaved.count }

    public func refreshOutbox() {
        if let counts = try? store.outboxCounts() {
            handle(.outbox(queued: counts.queued, parked: counts.parked))
        }
    }

    private func spawn(_ body: @escaping @Sendable () async -> SessionEvent?) {
        Task { [weak self] in
            if let event = await body() { await self?.handle(event) }
        }
    }

    /// Registers a watcher and wakes it once: anything that happened between `changes()` and the
    /// registration is then picked up by the watcher's next snapshot instead of being missed.
    private func addWatcher(_ id: UUID, _ continuation: AsyncStream<Void>.Continuation) {
        watchers[id] = continuation
        continuation.yield()
    }
    private func removeWatcher(_ id: UUID) { watchers[id] = nil }
    private func notifyWatchers() { for watcher in watchers.values { watcher.yield() } }

    static func describe(_ command: PhoneCommand) -> String {
        switch command {
        case .answer: "answer"
        case .hold: "hold"
        case .resume: "resume"
        case .transfer(_, let to): "transfer to \(to)"
        case .hangUp: "hang up"
        case .dial(let number): "dial \(number)"
        }
    }
}

/// One message the agent's presence publisher sends, in order.
enum PresenceOutgoing: Sendable {
    case state(AgentPresence)
    case queue(QueueEvent)
}
