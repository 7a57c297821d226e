import RingsideCore

/// The pure event mapper behind `BaresipLink`: baresip events and command outcomes in, `PhoneEvent`s out.
///
/// It remembers each live call so that it can (a) announce calls baresip never announces (outgoing calls in
/// 1.0.0 have no CALL_OUTGOING event; auto-answered calls have no CALL_INCOMING), (b) drop duplicates, (c)
/// synthesise hold/resume (baresip 1.0.0 emits no hold events), and (d) reconcile with a call list read after a
/// reconnect. Invariant: every call id it reports starts with `.incoming`/`.outgoing` and ends with exactly one `.closed`.
public struct BaresipCallTracker: Sendable {
    /// What Ringside has been told about one call.
    public struct Call: Hashable, Sendable {
        public enum Phase: Hashable, Sendable {
            /// Incoming and not answered, or outgoing and not yet answered.
            case alerting
            case established
            case held
        }

        public var direction: BaresipCallDirection
        public var remote: String
        public var phase: Phase
        /// `.remoteRinging` already reported (outgoing only).
        public var ringingReported: Bool
    }

    public private(set) var calls: [LineCallID: Call] = [:]
    /// Reasons decided by the link (e.g. its own no-answer timer) that win over baresip's CALL_CLOSED text.
    private var closeOverrides: [LineCallID: CallEndReason] = [:]
    /// Transfer targets of transfers in flight, by call.
    private var pendingTransfers: [LineCallID: String] = [:]
    /// Calls closed since the last `beginSnapshot()`, so that a stale snapshot cannot resurrect them.
    private var closedSinceSnapshot: Set<LineCallID> = []
    /// Calls announced since the last `beginSnapshot()`, so that a stale snapshot cannot close them.
    private var addedSinceSnapshot: Set<LineCallID> = []

    public init() {}

    // MARK: - Events from baresip

    /// Maps one baresip event.
    public mutating func apply(_ event: BaresipEvent) -> [PhoneEvent] {
        guard let id = event.callID else { return [] }
        switch event.type {
        case .callIncoming:
            return announce(id, event, default: .incoming)
        case .callOutgoing:
            return announce(id, event, default: .outgoing)
        case .callRinging, .callProgress:
            var out = announce(id, event, default: .outgoing)
            if var call = calls[id], call.direction == .outgoing, call.phase == .alerting, !call.ringingReported {
                call.ringingReported = true
                calls[id] = call
                out.append(.remoteRinging(id))
            }
            return out
        case .callEstablished:
            var out = announce(id, event, default: .incoming)
            if var call = calls[id], call.phase == .alerting {
                call.phase = .established
                calls[id] = call
                out.append(.established(id))
            }
            return out
        case .callClosed:
            guard calls[id] != nil || !closedSinceSnapshot.contains(id) else { return [] }
            var out = announce(id, event, default: .incoming)
            let mapped = BaresipCloseReason.map(event.param)
            let reason = closeOverrides[id] ?? mapped
            if mapped == .transferred || reason == .transferred {
                out.append(.transferred(id, to: pendingTransfers[id] ?? event.param ?? ""))
                out.append(.closed(id, reason: .transferred))
            } else {
                out.append(.closed(id, reason: reason))
            }
            forget(id)
            return out
        case .transferFailed:
            guard calls[id] != nil else { return [] }
            pendingTransfers[id] = nil
            return [.transferFailed(id, reason: event.param ?? "transfer failed")]
        case .transfer:
            // We are the transferee: the far end asked us to call `param`. Our leg will close
            // ("Connection reset by peer") and a new outgoing call will appear with its own events.
            return []
        case .other:
            return []
        }
    }

    // MARK: - Command outcomes

    /// Call before sending a command (some events can arrive before the response).
    public mutating func willSend(_ command: PhoneCommand) {
        switch command {
        case .transfer(let id, let target): pendingTransfers[id] = target
        case .answer, .hold, .resume, .hangUp, .dial: break
        }
    }

    /// Call after baresip accepted a command. Returns the events baresip will not send itself:
    /// - `hold` → `.held`, `resume` → `.resumed` (1.0.0 emits no hold events);
    /// - `answer` while another call is established → `.held` for it (1.0.0's `accept` holds the active call
    ///   before answering: call waiting).
    public mutating func didSucceed(_ command: PhoneCommand) -> [PhoneEvent] {
        switch command {
        case .hold(let id):
            guard var call = calls[id], call.phase == .established else { return [] }
            call.phase = .held
            calls[id] = call
            return [.held(id)]
        case .resume(let id):
            guard var call = calls[id], call.phase == .held else { return [] }
            call.phase = .established
            calls[id] = call
            return [.resumed(id)]
        case .answer(let id):
            var out: [PhoneEvent] = []
            for (other, var call) in calls.sorted(by: { $0.key < $1.key }) where other != id && call.phase == .established {
                call.phase = .held
                calls[other] = call
                out.append(.held(other))
            }
            return out
        case .transfer, .hangUp, .dial:
            return []
        }
    }

    /// Call when a command failed; a failed transfer is reported as `.transferFailed`.
    public mutating func didFail(_ command: PhoneCommand, reason: String) -> [PhoneEvent] {
        switch command {
        case .transfer(let id, _):
            guard pendingTransfers.removeValue(forKey: id) != nil, calls[id] != nil else { return [] }
            return [.transferFailed(id, reason: reason)]
        case .answer, .hold, .resume, .hangUp, .dial:
            return []
        }
    }

    /// Makes the next CALL_CLOSED of `id` report `reason` (e.g. `.noAnswer` when the link's own timer hangs up).
    public mutating func overrideCloseReason(_ id: LineCallID, _ reason: CallEndReason) {
        closeOverrides[id] = reason
    }

    /// True when `id` is known and not answered yet.
    public func isAlerting(_ id: LineCallID) -> Bool {
        calls[id]?.phase == .alerting
    }

    // MARK: - Resynchronisation

    /// Marks the start of a call-list read; calls closed after this are not resurrected by the snapshot.
    public mutating func beginSnapshot() {
        closedSinceSnapshot = []
        addedSinceSnapshot = []
    }

    /// Reconciles with the calls baresip reports now. Known calls missing from the snapshot are closed with
    /// `vanishedReason`; unknown calls are announced; phase changes are reported.
    public mutating func reconcile(_ snapshot: [BaresipCallSnapshot], vanishedReason: CallEndReason) -> [PhoneEvent] {
        var out: [PhoneEvent] = []
        let present = Set(snapshot.map(\.callID))
        for id in calls.keys.sorted() where !present.contains(id) && !addedSinceSnapshot.contains(id) {
            out.append(.closed(id, reason: closeOverrides[id] ?? vanishedReason))
            forget(id)
        }
        for entry in snapshot where !closedSinceSnapshot.contains(entry.callID) {
            let id = entry.callID
            if calls[id] == nil {
                calls[id] = Call(direction: entry.direction, remote: entry.peerURI, phase: .alerting, ringingReported: false)
                switch entry.direction {
                case .incoming: out.append(.incoming(id, remote: entry.peerURI))
                case .outgoing: out.append(.outgoing(id, remote: entry.peerURI))
                }
            }
            guard var call = calls[id] else { continue }
            let state = entry.state.uppercased()
            if call.direction == .outgoing, call.phase == .alerting, !call.ringingReported, state == "RINGING" || state == "EARLY" {
                call.ringingReported = true
                out.append(.remoteRinging(id))
            }
            if entry.isEstablished, call.phase == .alerting {
                call.phase = .established
                out.append(.established(id))
            }
            if entry.isEstablished, entry.onHold, call.phase == .established {
                call.phase = .held
                out.append(.held(id))
            } else if entry.isEstablished, !entry.onHold, call.phase == .held {
                call.phase = .established
                out.append(.resumed(id))
            }
            calls[id] = call
        }
        return out
    }

    // MARK: - Helpers

    private enum Announcement { case incoming, outgoing }

    private mutating func announce(_ id: LineCallID, _ event: BaresipEvent, default fallback: Announcement) -> [PhoneEvent] {
        guard calls[id] == nil else { return [] }
        let remote = event.peerURI ?? event.param ?? ""
        let direction: BaresipCallDirection
        switch event.direction {
        case .some(let given): direction = given
        case .none:
            switch fallback {
            case .incoming: direction = .incoming
            case .outgoing: direction = .outgoing
            }
        }
        calls[id] = Call(direction: direction, remote: remote, phase: .alerting, ringingReported: false)
        addedSinceSnapshot.insert(id)
        switch direction {
        case .incoming: return [.incoming(id, remote: remote)]
        case .outgoing: return [.outgoing(id, remote: remote)]
        }
    }

    private mutating func forget(_ id: LineCallID) {
        calls[id] = nil
        closeOverrides[id] = nil
        pendingTransfers[id] = nil
        closedSinceSnapshot.insert(id)
    }
}
