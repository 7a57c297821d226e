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
    case relate(EntityRef?)
    case finishWrapUp(disposition: String?, notes: String)
    case setAvailability(AgentAvailability)
    case focusNext
    case dismissBanner
}

/// Everything that happens to a session.
public enum SessionEvent: Hashable, Sendable {
    case phone(PhoneEvent)
    case agent(AgentCommand)
    case lookupFinished(CallObjectID, LookupResult)
    case lookupFailed(CallObjectID, String)
    case recordCreated(CallObjectID, CRMRecord)
    case recordCreateFailed(CallObjectID, String)
    case recordSaved(CallObjectID)
    case recordSaveFailed(CallObjectID, String)
    case wrapUpTimedOut(CallObjectID)
    case outbox(queued: Int, parked: Int)
    case crm(CRMState)
    /// A message from the runtime (a phone command refused, storage trouble, delivery notices).
    case notice(Banner.Level, String)
}

/// Work for the runtime's adapters; results come back as `SessionEvent`s.
public enum SessionEffect: Hashable, Sendable {
    case lookup(CallObjectID, PhoneNumber)
    case phone(PhoneCommand)
    case createRecord(CallObjectID, EntityType, PhoneNumber)
    /// Save the record (wrap-up state) before anything else happens to it.
    case save(CallRecord)
    /// Save the final record and queue it for delivery.
    case complete(CallRecord)
    case scheduleWrapUpTimeout(CallObjectID, seconds: Int)
    /// The agent's visible state changed (for presence).
    case activityChanged(AgentActivity)
}

/// The agent's whole CTI session as a pure reducer: calls, availability, link states and banners.
public struct AgentSession: Sendable {
    public private(set) var calls: [CallMachine] = []
    public private(set) var focus: CallObjectID?
    public private(set) var availability: AgentAvailability = .ready
    public private(set) var phoneLink: LinkState = .connecting
    public var crm: CRMState = .local
    public private(set) var queued = 0
    public private(set) var parked = 0
    public private(set) var banner: Banner?
    public private(set) var records: [CallObjectID: CallRecord] = [:]
    public var settings: SessionSettings
    public var user: AgentUser

    public init(settings: SessionSettings, user: AgentUser) {
        self.settings = settings
        self.user = user
    }

    public var focusedCall: CallMachine? { focus.flatMap { id in calls.first { $0.id == id } } }

    public var activity: AgentActivity {
        if calls.contains(where: \.isLive) { return .onCall }
        if calls.contains(where: { $0.state == .wrapUp || $0.state == .ended }) { return .wrapUp }
        switch availability {
        case .ready: return .ready
        case .notReady(let reason): return .notReady(reason: reason)
        }
    }

    var builder: CallRecordBuilder {
        CallRecordBuilder(user: user, homeRegion: settings.homeRegion, completedState: settings.completedState)
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
            return handleAgent(command, at: now, newID: newID)
        case .lookupFinished(let id, let result):
            return apply(.lookupFinished(result, settings: settings.match), to: id, at: now)
        case .lookupFailed(let id, let message):
            return apply(.lookupFailed(message), to: id, at: now)
        case .recordCreated(let id, let record):
            return apply(.interact(.created(record.ref)), to: id, at: now)
        case .recordCreateFailed(_, let message):
            banner = Banner(level: .error, text: "Could not create the record: \(message)", at: now)
            return []
        case .recordSaved(let id):
            return apply(.recordSaved, to: id, at: now)
        case .recordSaveFailed(_, let message):
            banner = Banner(level: .error, text: "Call record NOT saved: \(message). It is kept in memory; free space or fix the database and it will be saved.", at: now)
            return []
        case .wrapUpTimedOut(let id):
            guard let call = calls.first(where: { $0.id == id }), call.state == .wrapUp else { return [] }
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
        case .incoming(let line, let remote):
            // Only a live call owns its line id; a finished call in wrap-up must not swallow a reused id.
            if calls.contains(where: { $0.line == line && $0.isLive }) { return [] }
            var call = CallMachine(id: newID(), at: now)
            let actions = (try? call.handle(.incoming(line: line, remote: remote, number: parse(remote)), at: now).get()) ?? []
            calls.append(call)
            focus = call.id
            return effects(for: call.id, actions, at: now)
        case .outgoing(let line, let remote):
            if calls.contains(where: { $0.line == line && $0.isLive }) { return [] }
            if let index = calls.firstIndex(where: { $0.state == .dialing && $0.line == nil }) {
                return apply(.outgoing(line: line), to: calls[index].id, at: now)
            }
            // Dialled from the handset: track it like a dial from the field (no click-to-dial entity).
            var call = CallMachine(id: newID(), at: now)
            var actions = (try? call.handle(.dial(remote: remote, number: parse(remote), clickToDial: nil), at: now).get()) ?? []
            actions.removeAll { if case .phone(.dial) = $0 { true } else { false } }
            _ = call.handle(.outgoing(line: line), at: now)
            calls.append(call)
            focus = call.id
            return effects(for: call.id, actions, at: now)
        case .remoteRinging(let line): return applyLine(.remoteRinging, line: line, at: now)
        case .established(let line): return applyLine(.established, line: line, at: now)
        case .held(let line): return applyLine(.held, line: line, at: now)
        case .resumed(let line): return applyLine(.resumed, line: line, at: now)
        case .transferred(let line, let to): return applyLine(.transferred(to: to), line: line, at: now)
        case .transferFailed(let line, let reason): return applyLine(.transferFailed(reason: reason), line: line, at: now)
        case .closed(let line, let reason): return applyLine(.closed(reason), line: line, at: now)
        }
    }

    private mutating func applyLine(_ event: CallMachine.Event, line: LineCallID, at now: Date) -> [SessionEffect] {
        guard let call = calls.first(where: { $0.line == line && $0.isLive }) else { return [] }
        return apply(event, to: call.id, at: now, quietRejection: true)
    }

    // MARK: Agent commands

    private mutating func handleAgent(_ command: AgentCommand, at now: Date, newID: () -> CallObjectID) -> [SessionEffect] {
        switch command {
        case .answer:
            guard let ringing = calls.last(where: { $0.state == .ringing }) else {
                return refuse("Nothing to answer: no call is ringing", at: now)
            }
            focus = ringing.id
            var effects: [SessionEffect] = []
            // Call waiting: put the call in progress on hold first.
            for other in calls where other.state == .connected && other.id != ringing.id {
                effects += apply(.hold, to: other.id, at: now)
            }
            return effects + apply(.answer, to: ringing.id, at: now)
        case .hold: return applyLive(.hold, at: now)
        case .resume: return applyLive(.resume, at: now)
        case .hangUp: return applyLive(.hangUp, at: now)
        case .transfer(let target):
            let trimmed = target.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return refuse("Type a number to transfer to", at: now) }
            return applyLive(.transfer(to: trimmed), at: now)
        case .dial(let raw, let clicked):
            return dial(raw, clickToDial: clicked, at: now, newID: newID)
        case .pop:
            guard let call = focusedCall else { return refuse("No call to pop a record for", at: now) }
            guard case .finished(.pop(let record), _) = call.match else {
                return refuse("Pop needs exactly one match; use Search or New", at: now)
            }
            return apply(.interact(.popped(record.ref)), to: call.id, at: now)
        case .select(let entity):
            return applyFocused(.interact(.selected(entity)), at: now)
        case .navigate(let entity):
            return applyFocused(.interact(.navigated(entity)), at: now)
        case .relate(let entity):
            return applyFocused(.relate(entity), at: now)
        case .requestNew:
            guard let call = focusedCall else { return refuse("No call to create a record for", at: now) }
            guard let number = call.number, !number.isInternal else {
                return refuse("Internal calls are never associated with a record", at: now)
            }
            guard case .finished(.new(let type), _) = call.match else {
                return refuse("New is offered only when the number has no match", at: now)
            }
            return [.createRecord(call.id, type, number)]
        case .finishWrapUp(let disposition, let notes):
            // The wrap-up form on screen belongs to the focused call; fall back to the oldest one in wrap-up.
            let focusedWrapUp = focusedCall.flatMap { $0.state == .wrapUp ? $0 : nil }
            guard let call = focusedWrapUp ?? calls.first(where: { $0.state == .wrapUp }) else {
                return refuse("No call is in wrap-up", at: now)
            }
            return apply(.finishWrapUp(disposition: disposition, notes: notes), to: call.id, at: now)
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
        let number: PhoneNumber
        do {
            number = try PhoneNumber.parse(raw, defaultRegion: settings.homeRegion, internalNumberDigits: settings.internalNumberDigits)
        } catch {
            return refuse("Can't dial: \(error)", at: now)
        }
        if let busy = calls.first(where: { $0.isLive && $0.state != .held }) {
            return refuse("Can't dial while a call is \(busy.state.label); hold or hang up first", at: now)
        }
        var call = CallMachine(id: newID(), at: now)
        // A typed SIP URI is dialled as written (its host matters); everything else as E.164 or extension digits.
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        let target = trimmed.lowercased().hasPrefix("sip:") || trimmed.lowercased().hasPrefix("sips:") ? trimmed : number.e164
        let actions = (try? call.handle(.dial(remote: target, number: number, clickToDial: clickToDial), at: now).get()) ?? []
        calls.append(call)
        focus = call.id
        return effects(for: call.id, actions, at: now)
    }

    /// Call control goes to the focused call while it is live; once it has ended (wrap-up), to the most
    /// recent live call — e.g. Resume after a waiting call ends reaches the call still on hold.
    private mutating func applyLive(_ event: CallMachine.Event, at now: Date) -> [SessionEffect] {
        if let focused = focusedCall, focused.isLive { return apply(event, to: focused.id, at: now) }
        if let live = calls.last(where: \.isLive) { return apply(event, to: live.id, at: now) }
        return applyFocused(event, at: now)
    }

    private mutating func applyFocused(_ event: CallMachine.Event, at now: Date) -> [SessionEffect] {
        guard let id = focus ?? calls.last?.id else { return refuse("No call in progress", at: now) }
        return apply(event, to: id, at: now)
    }

    private mutating func refuse(_ message: String, at now: Date) -> [SessionEffect] {
        banner = Banner(level: .warning, text: message, at: now)
        return []
    }

    // MARK: Applying call events

    private mutating func apply(_ event: CallMachine.Event, to id: CallObjectID, at now: Date, quietRejection: Bool = false) -> [SessionEffect] {
        guard let index = calls.firstIndex(where: { $0.id == id }) else { return [] }
        switch calls[index].handle(event, at: now) {
        case .success(let actions):
            return effects(for: id, actions, at: now)
        case .failure(let rejection):
            return quietRejection ? [] : refuse(rejection.message, at: now)
        }
    }

    private mutating func effects(for id: CallObjectID, _ actions: [CallMachine.Action], at now: Date) -> [SessionEffect] {
        var out: [SessionEffect] = []
        for action in actions {
            guard let index = calls.firstIndex(where: { $0.id == id }) else { break }
            switch action {
            case .lookup(let number):
                out.append(.lookup(id, number))
            case .phone(let command):
                out.append(.phone(command))
            case .saveRecord:
                let record = builder.build(calls[index], at: now)
                records[id] = record
                out.append(.save(record))
            case .completeRecord:
                let record = builder.build(calls[index], at: now)
                records[id] = nil
                calls.remove(at: index)
                if focus == id { focus = calls.last?.id }
                out.append(.complete(record))
            case .startWrapUpTimer:
                if settings.wrapUpSeconds <= 0 {
                    out += apply(.finishWrapUp(disposition: nil, notes: ""), to: id, at: now)
                } else {
                    out.append(.scheduleWrapUpTimeout(id, seconds: settings.wrapUpSeconds))
                }
            case .notify(let message):
                banner = Banner(level: .warning, text: message, at: now)
            }
        }
        return out
    }

    private func parse(_ raw: String) -> PhoneNumber? {
        try? PhoneNumber.parse(raw, defaultRegion: settings.homeRegion, internalNumberDigits: settings.internalNumberDigits)
    }
}
