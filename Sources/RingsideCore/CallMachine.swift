import Foundation

/// Ringside's own unique id for a call; written to the Task's `CallObject` to deduplicate.
public typealias CallObjectID = String

/// Direction of a call as seen by the agent.
public enum CallDirection: String, Hashable, Sendable, Codable {
    case inbound = "Inbound"
    case outbound = "Outbound"
}

/// The per-call CTI state machine: a value type whose event methods return the actions to run.
///
/// States:
/// - `idle`: created, no phone activity yet.
/// - `ringing`: inbound call alerting the agent.
/// - `dialing`: outbound call requested, phone has not reported progress.
/// - `remoteRinging`: outbound call alerting the far end.
/// - `connected`: talking.
/// - `held`: on hold (by the agent).
/// - `transferring`: a blind transfer was requested; waiting for the phone's answer.
/// - `ended`: the call is over; its record is being saved.
/// - `wrapUp`: the record is saved; the agent may add disposition and notes.
/// - `done`: the record is complete and queued for delivery.
public struct CallMachine: Hashable, Sendable, Codable {
    public enum State: Hashable, Sendable, Codable {
        case idle, ringing, dialing, remoteRinging, connected, held, transferring(to: String), ended, wrapUp, done
    }

    /// Events from the phone, the agent, and the CRM.
    public enum Event: Hashable, Sendable {
        // phone
        case incoming(line: LineCallID, remote: String, number: PhoneNumber?)
        case outgoing(line: LineCallID)
        case remoteRinging
        case established
        case held
        case resumed
        case transferred(to: String)
        case transferFailed(reason: String)
        case closed(CallEndReason)
        // agent
        case dial(remote: String, number: PhoneNumber?, clickToDial: EntityRef?)
        case answer
        case hold
        case resume
        case transfer(to: String)
        case hangUp
        case interact(Interaction)
        case relate(EntityRef?)
        /// The agent typed notes or changed the disposition (during the call or in wrap-up): kept as a draft.
        case editWrapUp(disposition: String?, notes: String)
        case finishWrapUp(disposition: String?, notes: String)
        /// The call can no longer be wrapped up by the agent (Ringside is quitting, or the call ended while
        /// Ringside was not running): end it if needed and complete its record with what was entered so far.
        case endWithoutWrapUp(CallEndReason, at: Date, approximate: Bool)
        // CRM and store
        case lookupFinished(LookupResult, settings: MatchSettings)
        case lookupFailed(String)
        case recordSaved
        /// Another agent transferred this call here with its context (shown, and offered as the pop).
        case handoff(TransferContext)
    }

    /// What the runtime must do after an event.
    public enum Action: Hashable, Sendable {
        case lookup(PhoneNumber)
        case phone(PhoneCommand)
        /// Persist the call record now (status: wrap-up); nothing may be lost after this point.
        case saveRecord
        /// Persist the final record and queue it for delivery.
        case completeRecord
        case startWrapUpTimer
        case notify(String)
        /// The layout creates a record at once (`[layout] no_match = "create"`).
        case createRecord(EntityType)
    }

    /// Why an event was refused in the current state.
    public struct Rejection: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Lookup progress for the call panel.
    public enum MatchState: Hashable, Sendable, Codable {
        case notStarted
        case skippedInternal
        case searching
        case finished(PopDecision, LookupSource)
        case failed(String)
    }

    public let id: CallObjectID
    public private(set) var state: State = .idle
    public private(set) var line: LineCallID?
    public private(set) var direction: CallDirection = .inbound
    public private(set) var remote: String = ""
    public private(set) var number: PhoneNumber?
    public private(set) var match: MatchState = .notStarted
    public private(set) var association: AssociationInput = AssociationInput(isInternal: false)
    public private(set) var startedAt: Date
    public private(set) var answeredAt: Date?
    public private(set) var endedAt: Date?
    public private(set) var heldSince: Date?
    public private(set) var holdSeconds: TimeInterval = 0
    public private(set) var endReason: CallEndReason?
    /// The disposition chosen so far (a draft until the record is complete).
    public private(set) var disposition: String?
    /// Notes typed so far (a draft until the record is complete).
    public private(set) var notes: String = ""
    /// The last transfer target the agent asked for, and what became of it ("completed", "failed: …").
    public private(set) var transferTarget: String?
    public private(set) var transferOutcome: String?
    /// The end time is the last time Ringside saw the call (it ended while Ringside was not running).
    public private(set) var endTimeApproximate = false
    /// The context the transferring agent sent, when this call was transferred here.
    public private(set) var handoff: TransferContext?
    /// When the agent finished wrap-up (nil until then, and for a call completed without wrap-up).
    public private(set) var wrapUpFinishedAt: Date?
    /// The softphone layout in force, known once the lookup answers (nil: none yet).
    public private(set) var layout: SoftphoneLayout?
    /// The layout has done its pop for this call (it acts once).
    public private(set) var layoutActed: Bool?
    /// The record the layout opened by itself (pop on ring/answer); not an agent interaction.
    public private(set) var popped: EntityRef?

    public init(id: CallObjectID, at now: Date) {
        self.id = id
        self.startedAt = now
    }

    public var isInternal: Bool { number?.isInternal ?? false }
    public var isLive: Bool {
        switch state {
        case .ringing, .dialing, .remoteRinging, .connected, .held, .transferring: true
        case .idle, .ended, .wrapUp, .done: false
        }
    }

    /// Wrap-up seconds: from the end of the call to the agent finishing wrap-up (nil without a wrap-up).
    public var wrapUpSeconds: Int? {
        guard let endedAt, let wrapUpFinishedAt else { return nil }
        return max(0, Int(wrapUpFinishedAt.timeIntervalSince(endedAt).rounded()))
    }

    /// Seconds talked (answer → end, hold included); 0 when never answered.
    public func durationSeconds(at now: Date) -> Int {
        guard let answeredAt else { return 0 }
        return max(0, Int((endedAt ?? now).timeIntervalSince(answeredAt).rounded(.down)))
    }

    /// Seconds on hold so far.
    public func totalHoldSeconds(at now: Date) -> Int {
        Int((holdSeconds + (heldSince.map { now.timeIntervalSince($0) } ?? 0)).rounded(.down))
    }

    public mutating func handle(_ event: Event, at now: Date) -> Result<[Action], Rejection> {
        switch (state, event) {
        case (.idle, .incoming(let line, let remote, let number)):
            self.line = line
            self.direction = .inbound
            start(remote: remote, number: number, clickToDial: nil, at: now)
            state = .ringing
            return .success(lookupActions())
        case (.idle, .dial(let remote, let number, let clicked)):
            self.direction = .outbound
            start(remote: remote, number: number, clickToDial: clicked, at: now)
            state = .dialing
            return .success([.phone(.dial(remote))] + lookupActions())
        case (.dialing, .outgoing(let line)) where self.line == nil || self.line == line:
            // The phone names the line once; a different line is another call, not this one.
            self.line = line
            return .success([])
        case (.dialing, .remoteRinging):
            state = .remoteRinging
            return .success([])
        case (.ringing, .established), (.dialing, .established), (.remoteRinging, .established):
            answeredAt = now
            state = .connected
            return .success(layoutActions())
        case (.ringing, .answer):
            return command(PhoneCommand.answer)
        case (.connected, .hold):
            return command(PhoneCommand.hold)
        case (.connected, .held):
            heldSince = now
            state = .held
            return .success([])
        case (.transferring, .held) where heldSince == nil:
            // Phones often hold the call while they refer it; the transfer is still under way.
            heldSince = now
            return .success([])
        case (.transferring, .resumed) where heldSince != nil:
            endHold(at: now)
            return .success([])
        case (.held, .resume):
            return command(PhoneCommand.resume)
        case (.held, .resumed):
            endHold(at: now)
            state = .connected
            return .success([])
        case (.connected, .transfer(let target)), (.held, .transfer(let target)):
            guard let line else { return reject("The phone has not given this call an id yet; try again in a moment") }
            state = .transferring(to: target)
            transferTarget = target
            transferOutcome = nil
            return .success([.phone(.transfer(line, to: target))])
        case (.transferring, .transferred(let to)), (.connected, .transferred(let to)), (.held, .transferred(let to)):
            // Connected/held: transferred from the handset (seed 001: a record is written when the user
            // "hangs-up or transfers a telephone call from the handset").
            if transferTarget == nil, !to.isEmpty { transferTarget = to }
            transferOutcome = "completed"
            return end(.transferred, at: now)
        case (.transferring, .transferFailed(let reason)):
            state = heldSince == nil ? .connected : .held
            transferOutcome = "failed: \(reason)"
            return .success([.notify("Transfer failed: \(reason)")])
        case (.ringing, .hangUp), (.dialing, .hangUp), (.remoteRinging, .hangUp), (.connected, .hangUp), (.held, .hangUp),
             (.transferring, .hangUp):
            guard let line else {
                // Dial not yet acknowledged by the phone: nothing to hang up on the line; end locally.
                return end(.localHangUp, at: now)
            }
            return .success([.phone(.hangUp(line))])
        case (.ringing, .closed(let reason)), (.dialing, .closed(let reason)), (.remoteRinging, .closed(let reason)),
             (.connected, .closed(let reason)), (.held, .closed(let reason)), (.transferring, .closed(let reason)):
            if case .transferring = state, reason == .transferred || reason == .remoteHangUp || reason == .localHangUp {
                transferOutcome = "completed"
                return end(.transferred, at: now)
            }
            return end(reason, at: now)
        case (.ended, .recordSaved):
            state = .wrapUp
            return .success([.startWrapUpTimer])
        case (let s, .editWrapUp(let disposition, let notes)) where s != .done && s != .idle:
            self.disposition = disposition
            self.notes = notes
            return .success([])
        case (let s, .endWithoutWrapUp(let reason, let at, let approximate)) where s != .done && s != .idle:
            if isLive {
                _ = end(reason, at: at)
                endTimeApproximate = approximate
            }
            state = .done
            return .success([.completeRecord])
        case (.wrapUp, .finishWrapUp(let disposition, let notes)):
            self.disposition = disposition
            self.notes = notes
            wrapUpFinishedAt = now
            state = .done
            return .success([.completeRecord])
        case (let s, .lookupFinished(let result, let settings)) where s != .done:
            let decision = Matcher.decide(result.candidates, settings: settings)
            match = .finished(decision, result.source)
            association.decision = decision
            layout = settings.layout
            return .success(layoutActions())
        case (let s, .lookupFailed(let message)) where s != .done:
            match = .failed(message)
            return .success([.notify("Lookup failed: \(message)")])
        case (let s, .interact(let interaction)) where s != .done && s != .idle:
            if isInternal { return reject("Internal calls are never associated with a record") }
            association.interactions.append(interaction)
            // A Lead can't be related to anything (issue 15): a Related-to chosen before is cleared, visibly.
            if association.relatedTo != nil, Association.resolve(association).primary?.type == .lead {
                association.relatedTo = nil
                return .success([.notify("Related-to cleared: a call logged against a Lead can't be related to anything")])
            }
            return .success([])
        case (let s, .handoff(let context)) where s != .done && s != .idle:
            handoff = context
            return .success([])
        case (let s, .relate(let entity)) where s != .done && s != .idle:
            if isInternal { return reject("Internal calls are never associated with a record") }
            if entity != nil, Association.resolve(association).primary?.type == .lead {
                return reject("A call logged against a Lead can't have a Related-to (Salesforce rejects a WhatId with a Lead)")
            }
            association.relatedTo = entity
            return .success([])
        case (_, let event):
            return reject(Self.explain(event, in: state))
        }
    }

    /// The association this call's record gets if it ended now.
    public var resolvedAssociation: AssociationResult { Association.resolve(association) }

    /// The layout's automatic create failed: New is offered to the agent instead.
    mutating func layoutCreateFailed() {
        if association.createdByLayout == true, createdEntity == nil { association.createdByLayout = false }
    }

    // MARK: - Helpers

    /// The layout's pop: once per live call, at the moment its direction's timing names (the lookup must have
    /// answered). A single match opens; several open the newest when so configured (recorded as the layout's
    /// pick, not the agent's); no match creates a record when so configured.
    private mutating func layoutActions() -> [Action] {
        guard let layout, layoutActed != true, isLive, !isInternal, case .finished(let decision, _) = match,
              layout.popsNow(direction: direction, answered: answeredAt != nil) else { return [] }
        layoutActed = true
        switch decision {
        case .pop(let record):
            popped = record.ref
            return []
        case .search(let records):
            switch layout.multipleMatches {
            case .list:
                return []
            case .newest:
                guard let newest = SoftphoneLayout.newest(of: records) else { return [] }
                popped = newest.ref
                association.pickedNewest = newest.ref
                return []
            }
        case .new(let type):
            switch layout.noMatch {
            case .create:
                guard number != nil else { return [] }
                association.createdByLayout = true
                return [.createRecord(type)]
            case .newForm, .nothing:
                return []
            }
        }
    }

    private mutating func start(remote: String, number: PhoneNumber?, clickToDial: EntityRef?, at now: Date) {
        self.remote = remote
        self.number = number
        self.startedAt = now
        association = AssociationInput(isInternal: number?.isInternal ?? false, clickToDial: number?.isInternal == true ? nil : clickToDial)
    }

    private mutating func lookupActions() -> [Action] {
        guard let number else {
            match = .failed("no usable number")
            return []
        }
        if number.isInternal {
            match = .skippedInternal
            return []
        }
        match = .searching
        return [.lookup(number)]
    }

    private func command(_ make: (LineCallID) -> PhoneCommand) -> Result<[Action], Rejection> {
        guard let line else { return reject("The phone has not given this call an id yet; try again in a moment") }
        return .success([.phone(make(line))])
    }

    private mutating func endHold(at now: Date) {
        if let since = heldSince { holdSeconds += now.timeIntervalSince(since) }
        heldSince = nil
    }

    private mutating func end(_ reason: CallEndReason, at now: Date) -> Result<[Action], Rejection> {
        endHold(at: now)
        endReason = reason
        endedAt = now
        state = .ended
        return .success([.saveRecord])
    }

    private func reject(_ message: String) -> Result<[Action], Rejection> { .failure(Rejection(message: message)) }

    static func explain(_ event: Event, in state: State) -> String {
        let where_ = "the call is \(state.label)"
        switch event {
        case .answer: return "Nothing to answer: \(where_)"
        case .hold: return "Can't hold: \(where_)"
        case .resume: return "Nothing to resume: \(where_)"
        case .transfer: return "Can't transfer: \(where_)"
        case .hangUp: return "Nothing to hang up: \(where_)"
        case .finishWrapUp: return "No wrap-up in progress: \(where_)"
        case .editWrapUp, .endWithoutWrapUp: return "The call record is already complete"
        case .dial: return "Already on a call: \(where_)"
        case .interact, .relate: return "The call record is already complete"
        case .incoming, .outgoing, .remoteRinging, .established, .held, .resumed, .transferred, .transferFailed, .closed,
             .lookupFinished, .lookupFailed, .recordSaved, .handoff:
            return "Phone event ignored: \(where_)"
        }
    }
}

extension CallMachine.State {
    /// Short lowercase label for messages and the call panel.
    public var label: String {
        switch self {
        case .idle: "idle"
        case .ringing: "ringing"
        case .dialing: "dialling"
        case .remoteRinging: "ringing (far end)"
        case .connected: "connected"
        case .held: "on hold"
        case .transferring(let to): "transferring to \(to)"
        case .ended: "ended"
        case .wrapUp: "in wrap-up"
        case .done: "done"
        }
    }
}
