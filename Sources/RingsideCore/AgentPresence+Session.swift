import Foundation

extension AgentPresence {
    /// The presence an agent session shows now: its activity, reason and focused (or live) call.
    /// Numbers are formatted relative to the agent's home region; text is stripped of control characters.
    public init(session: AgentSession, since: Date, sentAt: Date? = nil) {
        let activity = session.activity
        let reason: String?
        if case .notReady(let why) = activity { reason = CallRecordBuilder.sanitized(why) } else { reason = nil }
        let call = session.focusedCall.flatMap { $0.isLive || $0.state == .wrapUp || $0.state == .ended ? $0 : nil }
            ?? session.calls.first(where: \.isLive)
        self.init(agentId: session.user.id, name: CallRecordBuilder.sanitized(session.user.name), state: PresenceState(activity),
                  reason: reason, since: since, call: call.map { PresenceCall($0, region: session.settings.homeRegion) },
                  sentAt: sentAt)
    }
}

extension PresenceCall {
    /// The wallboard view of a call.
    public init(_ call: CallMachine, region: PhoneRegion) {
        let number = call.number.map { $0.formatted(relativeTo: region) } ?? CallRecordBuilder.sanitized(call.remote)
        let name = call.resolvedAssociation.primary.map { CallRecordBuilder.sanitized($0.name) }
        self.init(direction: call.direction, number: number, matchedName: name, startedAt: call.startedAt, answeredAt: call.answeredAt,
                  heldSince: call.heldSince)
    }
}

/// Decides when an agent publishes: keeps `since` while the state and reason stay the same, and
/// returns a new presence only when something a supervisor sees changed (state, reason, call).
///
/// The runtime calls `update(session:at:)` after every handled event and publishes what it returns.
public struct PresenceTracker: Sendable {
    /// The last presence returned (nil before the first update).
    public private(set) var current: AgentPresence?

    public init() {}

    /// The presence to publish, or nil when nothing visible changed.
    public mutating func update(session: AgentSession, at now: Date) -> AgentPresence? {
        var next = AgentPresence(session: session, since: now, sentAt: now)
        if let current, current.state == next.state, current.reason == next.reason {
            next.since = current.since
            if current.sameState(as: next) { return nil }
        }
        current = next
        return next
    }
}
