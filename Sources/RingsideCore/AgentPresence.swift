import Foundation

/// What a supervisor sees of one agent: the retained JSON state an agent publishes on
/// `ringside/<tenant>/agents/<agentId>` (see `PresenceTopic`).
///
/// The payload is versioned (`schema`); readers accept any payload whose `schema` they know
/// (`AgentPresence.supportedSchemas`) and count everything else as malformed.
public struct AgentPresence: Hashable, Sendable, Codable {
    /// The payload version this build writes.
    public static let currentSchema = 1
    /// Payload versions this build reads.
    public static let supportedSchemas: ClosedRange<Int> = 1...1

    /// Payload version (`currentSchema` when written by this build).
    public var schema: Int
    /// Stable agent id (the CRM user id); also the last topic level.
    public var agentId: String
    /// Display name (raw; sanitise before showing).
    public var name: String
    /// The agent's state.
    public var state: PresenceState
    /// Why the agent is not ready (only with `.notReady`; empty reason = none given).
    public var reason: String?
    /// When the agent entered `state` (with this reason).
    public var since: Date
    /// The agent's current call, if any (on call or in wrap-up).
    public var call: PresenceCall?
    /// When this payload was produced (used for latency figures; optional for other publishers).
    public var sentAt: Date?
    /// True on the last-will payload the broker publishes when the agent's connection dies.
    public var lastWill: Bool?

    public init(agentId: String, name: String, state: PresenceState, reason: String? = nil, since: Date,
                call: PresenceCall? = nil, sentAt: Date? = nil, lastWill: Bool? = nil, schema: Int = AgentPresence.currentSchema) {
        self.schema = schema
        self.agentId = agentId
        self.name = name
        self.state = state
        self.reason = reason
        self.since = since
        self.call = call
        self.sentAt = sentAt
        self.lastWill = lastWill
    }

    /// The payload the broker publishes for this agent if its connection dies (set before connecting).
    public static func lastWill(agentId: String, name: String, since: Date) -> AgentPresence {
        AgentPresence(agentId: agentId, name: name, state: .offline, since: since, lastWill: true)
    }

    /// The name of the agent's current activity as used by workforce-management category lists
    /// (seed 002): the not-ready reason when one is given, otherwise the state's label.
    public var activityName: String {
        if state == .notReady, let reason, !reason.isEmpty { return reason }
        return state.label
    }

    /// Whether two payloads describe the same state and call (ignoring `sentAt`).
    public func sameState(as other: AgentPresence) -> Bool {
        agentId == other.agentId && name == other.name && state == other.state && reason == other.reason
            && since == other.since && call == other.call && lastWill == other.lastWill
    }
}

/// An agent's state as published (the wire names are the raw values).
public enum PresenceState: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case ready
    case notReady
    case onCall
    case wrapUp
    case offline

    /// Human label, also the activity name used by category lists.
    public var label: String {
        switch self {
        case .ready: "Ready"
        case .notReady: "Not ready"
        case .onCall: "On call"
        case .wrapUp: "Wrap-up"
        case .offline: "Offline"
        }
    }

    /// Order on the wallboard when sorting by state: busy first, offline last.
    public var rank: Int {
        switch self {
        case .onCall: 0
        case .wrapUp: 1
        case .ready: 2
        case .notReady: 3
        case .offline: 4
        }
    }

    public static func < (lhs: PresenceState, rhs: PresenceState) -> Bool { lhs.rank < rhs.rank }

    /// The state for an agent session's activity (the reason travels separately).
    public init(_ activity: AgentActivity) {
        switch activity {
        case .ready: self = .ready
        case .notReady: self = .notReady
        case .onCall: self = .onCall
        case .wrapUp: self = .wrapUp
        case .offline: self = .offline
        }
    }
}

/// The call an agent is on (or wrapping up), as shown on the wallboard.
public struct PresenceCall: Hashable, Sendable, Codable {
    public var direction: CallDirection
    /// The number formatted for display (relative to the agent's home region), or the raw remote.
    public var number: String
    /// The associated CRM record's name, when known.
    public var matchedName: String?
    /// When the call started ringing or dialling.
    public var startedAt: Date
    /// When it was answered (nil while ringing).
    public var answeredAt: Date?
    /// When the agent put it on hold (nil when not on hold; absent from older publishers' payloads).
    public var heldSince: Date?

    public init(direction: CallDirection, number: String, matchedName: String? = nil, startedAt: Date, answeredAt: Date? = nil,
                heldSince: Date? = nil) {
        self.direction = direction
        self.number = number
        self.matchedName = matchedName
        self.startedAt = startedAt
        self.answeredAt = answeredAt
        self.heldSince = heldSince
    }
}
