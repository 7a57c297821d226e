import Foundation

/// Ready / Not ready, as chosen by the agent (on-call and wrap-up are derived from the calls).
public enum AgentAvailability: Hashable, Sendable, Codable {
    case ready
    case notReady(reason: String)
}

/// What the status bar and presence show for the agent.
public enum AgentActivity: Hashable, Sendable, Codable {
    case ready
    case notReady(reason: String)
    case onCall
    case wrapUp
    case offline

    public var label: String {
        switch self {
        case .ready: "Ready"
        case .notReady(let reason): reason.isEmpty ? "Not ready" : "Not ready: \(reason)"
        case .onCall: "On call"
        case .wrapUp: "Wrap-up"
        case .offline: "Offline"
        }
    }
}

/// Reachability of the CRM, shown in the status bar.
public enum CRMState: Hashable, Sendable, Codable {
    case local
    case connected(String)
    case unavailable(String)
}

/// A message across the screen; errors stay until replaced or dismissed.
public struct Banner: Hashable, Sendable {
    public enum Level: Hashable, Sendable { case info, warning, error }
    public var level: Level
    public var text: String
    public var at: Date

    public init(level: Level, text: String, at: Date) {
        self.level = level
        self.text = CallRecordBuilder.sanitized(text)
        self.at = at
    }
}

/// Settings the session's rules depend on.
public struct SessionSettings: Hashable, Sendable {
    public var match: MatchSettings
    public var homeRegion: PhoneRegion
    public var internalNumberDigits: Int
    /// Seconds before wrap-up saves by itself; 0 = no wrap-up (record completed at hang-up).
    public var wrapUpSeconds: Int
    public var dispositions: [String]
    public var notReadyReasons: [String]
    /// `.queued` normally, `.local` when delivery is off.
    public var completedState: DeliveryState
    /// `[record] subject` / `description` templates (nil: the standard text).
    public var subjectTemplate: TaskTemplate?
    public var descriptionTemplate: TaskTemplate?
    /// How long a transfer context from another agent is kept and offered to a call that rings with its number
    /// (`[presence] handoff_window_seconds`), and how many are kept at most (`handoff_keep`).
    public var handoffWindowSeconds = 120
    public var handoffKeep = 64

    public init(match: MatchSettings = MatchSettings(), homeRegion: PhoneRegion = .GB, internalNumberDigits: Int = 5,
                wrapUpSeconds: Int = 120, dispositions: [String] = ["Resolved", "Follow-up needed", "Left voicemail", "No answer", "Wrong number"],
                notReadyReasons: [String] = ["Break", "Lunch", "Training", "Admin"], completedState: DeliveryState = .queued) {
        self.match = match
        self.homeRegion = homeRegion
        self.internalNumberDigits = internalNumberDigits
        self.wrapUpSeconds = wrapUpSeconds
        self.dispositions = dispositions
        self.notReadyReasons = notReadyReasons
        self.completedState = completedState
    }
}

/// Commands the agent gives (keys, mouse, CLI); each targets the focused call unless it names one.
public enum AgentCommand: Hashable, Sendable {
    case answer
    case hold
    case resume
    case hangUp
    case transfer(to: String)
    case dial(String, clickToDial: EntityRef?)
    case pop
    case select(EntityRef)
    case navigate(EntityRef)
    case requestNew
    /// Create the record the New form asked for: an entity the layout allows, named by the agent (issue 15).
    case createNew(EntityType, name: String)
    case relate(EntityRef?)
    /// The agent typed notes or changed the disposition (during the call or in wrap-up): saved as a draft
    /// at once, and the wrap-up countdown pauses.
    case editWrapUp(disposition: String?, notes: String)
    case finishWrapUp(disposition: String?, notes: String)
    case setAvailability(AgentAvailability)
    case focusNext
    case dismissBanner

    /// True for commands about one call (they must reach the call the agent saw).
    public var targetsCall: Bool {
        switch self {
        case .hold, .resume, .hangUp, .transfer, .pop, .select, .navigate, .requestNew, .createNew, .relate, .editWrapUp, .finishWrapUp:
            true
        case .answer, .dial, .setAvailability, .focusNext, .dismissBanner:
            false
        }
    }
}

/// Everything that happens to a session.
public enum SessionEvent: Hashable, Sendable {
    case phone(PhoneEvent)
    /// A command for the focused call (headless drivers, the CLI).
    case agent(AgentCommand)
    /// A command read from the console while `seen` was the call on screen: refused when the focus has
    /// moved since (a new call rang, the call ended), so a key never applies to a call the agent did not see.
    case agentOnScreen(AgentCommand, seen: CallObjectID?)
    case lookupFinished(CallObjectID, LookupResult)
    case lookupFailed(CallObjectID, String)
    case recordCreated(CallObjectID, CRMRecord)
    case recordCreateFailed(CallObjectID, String)
    case recordSaved(CallObjectID)
    case recordSaveFailed(CallObjectID, String)
    /// The phone refused a dial: the call never existed.
    case dialFailed(CallObjectID, String)
    case wrapUpTimedOut(CallObjectID)
    case outbox(queued: Int, parked: Int)
    case crm(CRMState)
    /// A message from the runtime (a phone command refused, storage trouble, delivery notices).
    case notice(Banner.Level, String)
    /// Another agent's transfer context arrived on the presence bus.
    case handoffReceived(TransferContext)
}

/// Work for the runtime's adapters; results come back as `SessionEvent`s.
public enum SessionEffect: Hashable, Sendable {
    case lookup(CallObjectID, PhoneNumber)
    case phone(PhoneCommand)
    /// Ask the phone to dial for this call; a refusal comes back as `.dialFailed`.
    case dial(CallObjectID, String)
    /// Create a record for the call; `name` is what the agent typed in the New form (nil: the CRM's default name).
    case createRecord(CallObjectID, EntityType, PhoneNumber, name: String? = nil)
    /// Save the record (wrap-up state) before anything else happens to it.
    case save(CallRecord)
    /// Save the final record and queue it for delivery.
    case complete(CallRecord)
    /// Send `.wrapUpTimedOut` after this many seconds (an earlier one for the same call may still fire: it is checked).
    case scheduleWrapUpTimeout(CallObjectID, seconds: Int)
    /// The agent's visible state changed (for presence).
    case activityChanged(AgentActivity)
    /// Tell the transfer target's Ringside what this call is about (presence bus; best effort).
    case publishHandoff(TransferContext)
}

/// The agent's whole CTI session as a pure reducer: calls, availability, link states and banners.
///
/// Invariants (checked by the property tests): at most one call is connected; every call that rang or was
/// dialled ends as exactly one `.complete` effect; a command read on screen applies only to the call that was
/// on screen. The rules for what the agent may do live in `refusal(for:)` and are shared with the console.
public struct AgentSession: Sendable {
    public internal(set) var calls: [CallMachine] = []
    public internal(set) var focus: CallObjectID?
    public internal(set) var availability: AgentAvailability = .ready
    public internal(set) var phoneLink: LinkState = .connecting
    public var crm: CRMState = .local
    public internal(set) var queued = 0
    public internal(set) var parked = 0
    public internal(set) var banner: Banner?
    public internal(set) var records: [CallObjectID: CallRecord] = [:]
    /// Wrap-up countdowns by call (paused while the agent edits).
    public internal(set) var wrapUpClocks: [CallObjectID: WrapUpClock] = [:]
    /// Calls restored from the journal that the phone has not confirmed yet, with the last time Ringside saw them.
    public internal(set) var awaitingPhone: [CallObjectID: Date] = [:]
    /// The last save of each call the store refused (cleared by the next successful save).
    public internal(set) var unsavedCalls: Set<CallObjectID> = []
    /// Transfer contexts from other agents waiting for their call to ring here.
    public internal(set) var handoffs = HandoffInbox()
    public var settings: SessionSettings
    public var user: AgentUser

    public init(settings: SessionSettings, user: AgentUser) {
        self.settings = settings
        self.user = user
        handoffs = HandoffInbox(window: TimeInterval(settings.handoffWindowSeconds), capacity: settings.handoffKeep)
    }

    public var focusedCall: CallMachine? { focus.flatMap { id in calls.first { $0.id == id } } }

    public func call(_ id: CallObjectID) -> CallMachine? { calls.first { $0.id == id } }

    public var activity: AgentActivity {
        if calls.contains(where: \.isLive) { return .onCall }
        if calls.contains(where: { $0.state == .wrapUp || $0.state == .ended }) { return .wrapUp }
        switch availability {
        case .ready: return .ready
        case .notReady(let reason): return .notReady(reason: reason)
        }
    }

    /// The status bar's truthful label: Ringing / Dialling / On call / On hold / Wrap-up, else the availability.
    public var statusLabel: String {
        let live = calls.filter(\.isLive)
        if live.contains(where: { $0.state == .connected }) { return "On call" }
        if live.contains(where: { if case .transferring = $0.state { true } else { false } }) { return "Transferring" }
        if live.contains(where: { $0.state == .ringing }) { return "Ringing" }
        if live.contains(where: { $0.state == .dialing || $0.state == .remoteRinging }) { return "Dialling" }
        if live.contains(where: { $0.state == .held }) { return "On hold" }
        return activity.label
    }

    var builder: CallRecordBuilder {
        CallRecordBuilder(user: user, homeRegion: settings.homeRegion, completedState: settings.completedState,
                          subjectTemplate: settings.subjectTemplate, descriptionTemplate: settings.descriptionTemplate)
    }

    /// Applies one event. `newID` is consumed only when the event starts a call.
    public mutating func handle(_ event: SessionEvent, at now: Date, newID: @autoclosure () -> CallObjectID) -> [SessionEffect] {
        let before = activity
        var effects = dispatch(event, at: now, newID: newID)
        let after = activity
        if after != before { effects.append(.activityChanged(after)) }
        return effects
    }

    private mutating func dispatch(_ event: SessionEvent, at now: Date, newID: () -> CallObjectID) -> [SessionEffect] {
        switch event {
        case .phone(let phoneEvent):
            return handlePhone(phoneEvent, at: now, newID: newID)
        case .agent(let command):
            let target = headlessTarget(command)
            if let reason = refusal(for: command, on: target) { return refuse(reason, at: now) }
            return handleAgent(command, on: target, at: now, newID: newID)
        case .agentOnScreen(let command, let seen):
            if let reason = refusal(for: command, seen: seen) { return refuse(reason, at: now) }
            // Answer reaches the ringing call on screen if there is one (else the newest ringing call).
            let answersSeen: Bool = if case .answer = command { true } else { false }
            return handleAgent(command, on: command.targetsCall || answersSeen ? seen : nil, at: now, newID: newID)
        case .lookupFinished(let id, let result):
            return apply(.lookupFinished(result, settings: settings.match), to: id, at: now)
        case .lookupFailed(let id, let message):
            return apply(.lookupFailed(message), to: id, at: now)
        case .recordCreated(let id, let record):
            return apply(.interact(.created(record.ref)), to: id, at: now)
        case .recordCreateFailed(let id, let message):
            if let index = calls.firstIndex(where: { $0.id == id }) { calls[index].layoutCreateFailed() }
            banner = Banner(level: .error, text: "Could not create the record: \(message)", at: now)
            return []
        case .recordSaved(let id):
            if unsavedCalls.remove(id) != nil, unsavedCalls.isEmpty, banner?.level == .error {
                banner = Banner(level: .info, text: "The database accepts writes again: every call record is saved", at: now)
            }
            return apply(.recordSaved, to: id, at: now, quietRejection: true)
        case .recordSaveFailed(let id, let message):
            unsavedCalls.insert(id)
            banner = Banner(level: .error, text: "Call record NOT saved: \(message). It is kept in memory and retried; free space or fix the database.", at: now)
            // The record is held in memory (and written at quit as an emergency copy): the wrap-up goes on.
            return apply(.recordSaved, to: id, at: now, quietRejection: true)
        case .dialFailed(let id, let message):
            guard let index = calls.firstIndex(where: { $0.id == id }), calls[index].state == .dialing, calls[index].line == nil else {
                banner = Banner(level: .error, text: "The phone refused: \(message)", at: now)
                return []
            }
            calls.remove(at: index)
            if focus == id { focus = calls.last?.id }
            banner = Banner(level: .error, text: "Not dialled: the phone refused (\(message))", at: now)
            return []
        case .wrapUpTimedOut(let id):
            guard let call = call(id), call.state == .wrapUp else { return [] }
            if let clock = wrapUpClocks[id], clock.deadline > now.addingTimeInterval(0.25) {
                // Paused or extended since this timer was set: wait for the rest.
                return [.scheduleWrapUpTimeout(id, seconds: max(1, Int(clock.deadline.timeIntervalSince(now).rounded(.up))))]
            }
            wrapUpClocks[id] = nil
            return apply(.finishWrapUp(disposition: call.disposition, notes: call.notes), to: id, at: now)
        case .outbox(let queued, let parked):
            self.queued = queued
            self.parked = parked
            return []
        case .crm(let state):
            crm = state
            return []
        case .notice(let level, let text):
            banner = Banner(level: level, text: text, at: now)
            return []
        case .handoffReceived(let context):
            return receiveHandoff(context, at: now)
        }
    }

    // MARK: Phone events

    private mutating func handlePhone(_ event: PhoneEvent, at now: Date, newID: () -> CallObjectID) -> [SessionEffect] {
        switch event {
        case .link(let state):
            phoneLink = state
            if case .disconnected(let reason) = state {
                banner = Banner(level: .warning, text: "Phone link down: \(reason)", at: now)
            }
            return []
        case .listed(let lines):
            return confirmRestored(live: Set(lines), at: now)
        case .incoming(let line, let remote):
            // Only a live call owns its line id; a finished call in wrap-up must not swallow a reused id.
            if let known = calls.first(where: { $0.line == line && $0.isLive }) {
                awaitingPhone[known.id] = nil
                return []
            }
            var call = CallMachine(id: newID(), at: now)
            let actions = (try? call.handle(.incoming(line: line, remote: remote, number: parse(remote)), at: now).get()) ?? []
            adopt(call)
            return effects(for: call.id, actions, at: now) + attachHandoff(to: call.id, at: now)
        case .outgoing(let line, let remote):
            if let known = calls.first(where: { $0.line == line && $0.isLive }) {
                awaitingPhone[known.id] = nil
                return []
            }
            if let index = calls.firstIndex(where: { $0.state == .dialing && $0.line == nil }) {
                return apply(.outgoing(line: line), to: calls[index].id, at: now)
            }
            // Dialled from the handset: track it like a dial from the field (no click-to-dial entity).
            var call = CallMachine(id: newID(), at: now)
            var actions = (try? call.handle(.dial(remote: remote, number: parse(remote), clickToDial: nil), at: now).get()) ?? []
            actions.removeAll { if case .phone(.dial) = $0 { true } else { false } }
            _ = call.handle(.outgoing(line: line), at: now)
            adopt(call)
            return effects(for: call.id, actions, at: now)
        case .remoteRinging(let line): return applyLine(.remoteRinging, line: line, at: now)
        case .established(let line): return applyLine(.established, line: line, at: now)
        case .held(let line): return applyLine(.held, line: line, at: now)
        case .resumed(let line): return applyLine(.resumed, line: line, at: now)
        case .transferred(let line, let to):
            // Transferred from the handset (no transfer command from Ringside): the target still gets the context.
            let handset = calls.first { $0.line == line && ($0.state == .connected || $0.state == .held) }
            let context = handset.flatMap { TransferContext.of($0, target: to, user: user, at: now) }
            let effects = applyLine(.transferred(to: to), line: line, at: now)
            return context.map { [.publishHandoff($0)] + effects } ?? effects
        case .transferFailed(let line, let reason): return applyLine(.transferFailed(reason: reason), line: line, at: now)
        case .closed(let line, let reason): return applyLine(.closed(reason), line: line, at: now)
        }
    }

    /// A new call joins the session. It takes the focus only when the agent is not busy with another call
    /// (live, or in wrap-up): a ringing call never pulls the screen away from the call the agent works on.
    private mutating func adopt(_ call: CallMachine) {
        calls.append(call)
        if let current = focusedCall, current.id != call.id, current.isLive || current.state == .wrapUp || current.state == .ended {
            return
        }
        focus = call.id
    }

    private mutating func applyLine(_ event: CallMachine.Event, line: LineCallID, at now: Date) -> [SessionEffect] {
        guard let call = calls.first(where: { $0.line == line && $0.isLive }) else { return [] }
        awaitingPhone[call.id] = nil
        return apply(event, to: call.id, at: now, quietRejection: true)
    }

    // MARK: Agent commands

    private mutating func handleAgent(_ command: AgentCommand, on target: CallObjectID?, at now: Date, newID: () -> CallObjectID) -> [SessionEffect] {
        switch command {
        case .answer:
            guard let ringing = ringingCallToAnswer(seen: target) else { return [] }
            focus = ringing.id
            var effects: [SessionEffect] = []
            // Call waiting: put the call in progress on hold first.
            for other in calls where other.state == .connected && other.id != ringing.id {
                effects += apply(.hold, to: other.id, at: now)
            }
            return effects + apply(.answer, to: ringing.id, at: now)
        case .hold: return applyLive(.hold, command: command, on: target, at: now)
        case .resume:
            guard let id = liveTarget(target, for: command) else { return [] }
            // At most one connected call: resuming one holds the other.
            var effects: [SessionEffect] = []
            for other in calls where other.state == .connected && other.id != id {
                effects += apply(.hold, to: other.id, at: now)
            }
            return effects + apply(.resume, to: id, at: now)
        case .hangUp: return applyLive(.hangUp, command: command, on: target, at: now)
        case .transfer(let raw):
            let to = raw.trimmingCharacters(in: .whitespaces)
            let effects = applyLive(.transfer(to: to), command: command, on: target, at: now)
            // The target's Ringside learns what the call is about before the phone hands it over.
            guard let index = effects.firstIndex(where: { if case .phone(.transfer) = $0 { true } else { false } }),
                  let id = liveTarget(target, for: command), let call = call(id),
                  let context = TransferContext.of(call, target: to, user: user, at: now) else { return effects }
            var out = effects
            out.insert(.publishHandoff(context), at: index)
            return out
        case .dial(let raw, let clicked):
            return dial(raw, clickToDial: clicked, at: now, newID: newID)
        case .pop:
            // A transferred call offers the transferring agent's record first.
            if let id = target, let offered = call(id)?.offeredHandoffEntity { return apply(.interact(.popped(offered)), to: id, at: now) }
            guard let id = target, let call = call(id), case .finished(.pop(let record), _) = call.match else { return [] }
            return apply(.interact(.popped(record.ref)), to: id, at: now)
        case .select(let entity):
            return apply(.interact(.selected(entity)), to: target, at: now)
        case .navigate(let entity):
            return apply(.interact(.navigated(entity)), to: target, at: now)
        case .relate(let entity):
            return apply(.relate(entity), to: target, at: now)
        case .requestNew:
            guard let id = target, let call = call(id), let number = call.number, case .finished(.new(let type), _) = call.match else { return [] }
            return [.createRecord(id, type, number)]
        case .createNew(let type, let name):
            guard let id = target, let call = call(id), let number = call.number else { return [] }
            return [.createRecord(id, type, number, name: CallRecordBuilder.sanitized(name).trimmingCharacters(in: .whitespaces))]
        case .editWrapUp(let disposition, let notes):
            guard let id = target else { return [] }
            if wrapUpClocks[id] != nil { wrapUpClocks[id]?.edited(at: now) }
            return apply(.editWrapUp(disposition: disposition, notes: notes), to: id, at: now)
        case .finishWrapUp(let disposition, let notes):
            guard let id = target else { return [] }
            wrapUpClocks[id] = nil
            return apply(.finishWrapUp(disposition: disposition, notes: notes), to: id, at: now)
        case .setAvailability(let availability):
            self.availability = availability
            return []
        case .focusNext:
            guard !calls.isEmpty else { return [] }
            let index = focus.flatMap { id in calls.firstIndex { $0.id == id } } ?? -1
            focus = calls[(index + 1) % calls.count].id
            return []
        case .dismissBanner:
            banner = nil
            return []
        }
    }

    private mutating func dial(_ raw: String, clickToDial: EntityRef?, at now: Date, newID: () -> CallObjectID) -> [SessionEffect] {
        guard let number = parse(raw) else { return [] }
        var call = CallMachine(id: newID(), at: now)
        // A typed SIP URI is dialled as written (its host matters); everything else as E.164 or extension digits.
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        let target = Self.isSIPURI(trimmed) ? trimmed : number.e164
        let actions = (try? call.handle(.dial(remote: target, number: number, clickToDial: clickToDial), at: now).get()) ?? []
        calls.append(call)
        focus = call.id
        return effects(for: call.id, actions, at: now)
    }

    static func isSIPURI(_ text: String) -> Bool {
        text.lowercased().hasPrefix("sip:") || text.lowercased().hasPrefix("sips:")
    }

    /// The call a call-control command reaches: the named call while it is live. When the named call has
    /// ended (the agent sees its wrap-up), only Resume reaches on: to the one call on hold.
    func liveTarget(_ target: CallObjectID?, for command: AgentCommand) -> CallObjectID? {
        if let target, let call = call(target), call.isLive { return target }
        if case .resume = command {
            let held = calls.filter { $0.state == .held }
            return held.count == 1 ? held[0].id : nil
        }
        return nil
    }

    private mutating func applyLive(_ event: CallMachine.Event, command: AgentCommand, on target: CallObjectID?, at now: Date) -> [SessionEffect] {
        guard let id = liveTarget(target, for: command) else { return [] }
        return apply(event, to: id, at: now)
    }

    func ringingCallToAnswer(seen: CallObjectID?) -> CallMachine? {
        if let seen, let call = call(seen), call.state == .ringing { return call }
        return calls.last(where: { $0.state == .ringing })
    }

    mutating func refuse(_ message: String, at now: Date) -> [SessionEffect] {
        banner = Banner(level: .warning, text: message, at: now)
        return []
    }

    // MARK: Applying call events

    mutating func apply(_ event: CallMachine.Event, to id: CallObjectID?, at now: Date, quietRejection: Bool = false) -> [SessionEffect] {
        guard let id, let index = calls.firstIndex(where: { $0.id == id }) else { return [] }
        switch calls[index].handle(event, at: now) {
        case .success(let actions):
            return effects(for: id, actions, at: now)
        case .failure(let rejection):
            return quietRejection ? [] : refuse(rejection.message, at: now)
        }
    }

    mutating func effects(for id: CallObjectID, _ actions: [CallMachine.Action], at now: Date) -> [SessionEffect] {
        var out: [SessionEffect] = []
        for action in actions {
            guard let index = calls.firstIndex(where: { $0.id == id }) else { break }
            switch action {
            case .lookup(let number):
                out.append(.lookup(id, number))
            case .phone(.dial(let target)):
                out.append(.dial(id, target))
            case .phone(let command):
                out.append(.phone(command))
            case .saveRecord:
                let record = builder.build(calls[index], at: now)
                records[id] = record
                out.append(.save(record))
            case .completeRecord:
                let record = builder.build(calls[index], at: now)
                records[id] = nil
                wrapUpClocks[id] = nil
                awaitingPhone[id] = nil
                calls.remove(at: index)
                if focus == id { focus = calls.last(where: \.isLive)?.id ?? calls.last?.id }
                if banner?.level != .error { banner = Banner(level: .info, text: Self.savedConfirmation(record), at: now) }
                out.append(.complete(record))
            case .startWrapUpTimer:
                if settings.wrapUpSeconds <= 0 {
                    out += apply(.finishWrapUp(disposition: calls[index].disposition, notes: calls[index].notes), to: id, at: now)
                } else {
                    wrapUpClocks[id] = WrapUpClock(seconds: settings.wrapUpSeconds, from: now)
                    out.append(.scheduleWrapUpTimeout(id, seconds: settings.wrapUpSeconds))
                }
            case .notify(let message):
                banner = Banner(level: .warning, text: message, at: now)
            case .createRecord(let type):
                if let number = calls[index].number { out.append(.createRecord(id, type, number)) }
            }
        }
        return out
    }

    /// "✓ Saved · Fred Bloggs · Resolved · 2 notes lines": what the agent just saved, at a glance.
    static func savedConfirmation(_ record: CallRecord) -> String {
        let lines = record.notes.split(whereSeparator: \.isNewline).count
        let notes = lines == 0 ? "no notes" : lines == 1 ? "1 notes line" : "\(lines) notes lines"
        let who = record.who.map { $0.name.isEmpty ? $0.id : $0.name } ?? "not associated"
        return "✓ Saved · \(who) · \(record.disposition ?? "no disposition") · \(notes)"
    }

    func parse(_ raw: String) -> PhoneNumber? {
        try? PhoneNumber.parse(raw, defaultRegion: settings.homeRegion, internalNumberDigits: settings.internalNumberDigits)
    }
}
