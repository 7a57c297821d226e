import Foundation

/// Port: team presence. An agent publishes its own state; a supervisor watches the team.
///
/// Implementations: `MQTTPresence` (libmosquitto, retained messages and a last will) and
/// `InMemoryPresence` (an in-process bus for the embedded demo and tests).
public protocol Presence: Sendable {
    /// Publishes the agent's own state (retained; the latest wins and is re-sent after a reconnect).
    func publish(_ presence: AgentPresence) async throws(PresenceError)
    /// Every agent of the tenant: the retained states first, then each change, plus link changes.
    /// Each call returns a new stream; it ends when the presence is closed.
    func team() -> AsyncStream<PresenceUpdate>
    /// Publishes a queue event on the tenant's queue feed (used by simulators and ACD bridges).
    func publishQueue(_ event: QueueEvent) async throws(PresenceError)
    /// Leaves cleanly: an agent's last state becomes `offline` (explicitly, not by its will).
    func close() async
}

/// One thing a team subscription reports.
public enum PresenceUpdate: Hashable, Sendable {
    /// An agent's (retained or new) state.
    case presence(AgentPresence)
    /// An agent's retained state was cleared (empty retained payload).
    case removed(agentId: String)
    /// A payload that could not be read; it is counted and otherwise ignored.
    case malformed(topic: String, reason: String)
    /// A queue event from the tenant's queue feed.
    case queue(QueueEvent)
    /// The connection to the bus changed.
    case link(PresenceLink)
}

/// State of the connection to the presence bus.
public enum PresenceLink: Hashable, Sendable {
    case connecting
    case connected
    /// Lost or refused; the client retries by itself. The text says why and what to do.
    case disconnected(String)
    case closed

    public var label: String {
        switch self {
        case .connecting: "connecting"
        case .connected: "connected"
        case .disconnected(let why): "disconnected: \(why)"
        case .closed: "closed"
        }
    }
}

/// Why publishing failed.
public enum PresenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The presence was closed; create a new one.
    case closed
    /// The bus refused the message; the text says why and what to do.
    case rejected(String)

    public var description: String {
        switch self {
        case .closed: "presence is closed; start a new connection"
        case .rejected(let why): why
        }
    }
}

/// Port: transfer contexts between agents (`ringside/<tenant>/handoffs`, not retained). Implemented by
/// `MQTTPresence`; a presence without it simply carries no context.
public protocol HandoffChannel: Sendable {
    /// Sends the context of a call this agent is transferring.
    func publishHandoff(_ context: TransferContext) async throws(PresenceError)
    /// Contexts sent by any agent of the tenant (this agent's own included); malformed payloads are dropped and counted.
    func handoffs() -> AsyncStream<TransferContext>
}

/// Port: a queue feed that says when the bus took an event (MQTT: the broker's PUBACK), so an agent's queue
/// outbox removes an event only once it is delivered. Implemented by `MQTTPresence`; other presences are used
/// through `Presence.publishQueue`.
public protocol AcknowledgedQueueFeed: Sendable {
    /// Publishes `event` and returns once the bus acknowledged it; throws when not connected, refused, or not
    /// acknowledged within the client's wait (the event may still arrive: the caller sends it again).
    func publishQueueAcknowledged(_ event: QueueEvent) async throws(PresenceError)
}
