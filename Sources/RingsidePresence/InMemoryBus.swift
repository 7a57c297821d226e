import Foundation
import RingsideCore

/// An in-process presence bus for the embedded demo and tests: retained agent states per tenant,
/// fan-out to subscribers, and last wills — the MQTT semantics Ringside relies on, without a broker.
public final class InMemoryBus: @unchecked Sendable {
    private let lock = NSLock()
    private var retained: [String: [String: AgentPresence]] = [:]
    private var subscribers: [String: [UUID: AsyncStream<PresenceUpdate>.Continuation]] = [:]

    public init() {}

    /// A presence client on this bus (`role` as for MQTT: agents get a will).
    public func client(tenant: String = "default", role: MQTTRole) -> InMemoryPresence {
        InMemoryPresence(bus: self, tenant: tenant, role: role)
    }

    /// Retained states of a tenant (sorted by agent id), for tests.
    public func retainedStates(tenant: String) -> [AgentPresence] {
        lock.withLock { (retained[tenant] ?? [:]).values.sorted { $0.agentId < $1.agentId } }
    }

    func publish(_ presence: AgentPresence, tenant: String) {
        let targets = lock.withLock { () -> [AsyncStream<PresenceUpdate>.Continuation] in
            retained[tenant, default: [:]][presence.agentId] = presence
            return Array((subscribers[tenant] ?? [:]).values)
        }
        for t in targets { t.yield(.presence(presence)) }
    }

    func publish(_ event: QueueEvent, tenant: String) {
        let targets = lock.withLock { Array((subscribers[tenant] ?? [:]).values) }
        for t in targets { t.yield(.queue(event)) }
    }

    func subscribe(tenant: String) -> AsyncStream<PresenceUpdate> {
        let (stream, continuation) = AsyncStream.makeStream(of: PresenceUpdate.self, bufferingPolicy: .unbounded)
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.subscribers[tenant]?.removeValue(forKey: id) }
        }
        // Register and replay under the lock so no publish can slip between them.
        lock.withLock {
            subscribers[tenant, default: [:]][id] = continuation
            continuation.yield(.link(.connected))
            for presence in (retained[tenant] ?? [:]).values.sorted(by: { $0.agentId < $1.agentId }) {
                continuation.yield(.presence(presence))
            }
        }
        return stream
    }
}

/// One client of an `InMemoryBus`.
public final class InMemoryPresence: Presence, @unchecked Sendable {
    public let tenant: String
    public let role: MQTTRole
    private let bus: InMemoryBus
    private let lock = NSLock()
    private var closed = false

    init(bus: InMemoryBus, tenant: String, role: MQTTRole) {
        self.bus = bus
        self.tenant = tenant
        self.role = role
    }

    public func publish(_ presence: AgentPresence) async throws(PresenceError) {
        if case .agent(let id, _) = role, presence.agentId != id {
            throw .rejected("agent \(id) may only publish its own state, not \(presence.agentId)'s")
        }
        guard PresenceTopic.isValidLevel(presence.agentId) else { throw .rejected("invalid agent id \(presence.agentId.debugDescription)") }
        if lock.withLock({ closed }) { throw .closed }
        bus.publish(presence, tenant: tenant)
    }

    public func publishQueue(_ event: QueueEvent) async throws(PresenceError) {
        if lock.withLock({ closed }) { throw .closed }
        bus.publish(event, tenant: tenant)
    }

    public func team() -> AsyncStream<PresenceUpdate> { bus.subscribe(tenant: tenant) }

    /// Leaves cleanly: an agent's state becomes an explicit `offline`.
    public func close() async {
        guard lock.withLock({ () -> Bool in defer { closed = true }; return !closed }) else { return }
        if case .agent(let id, let name) = role {
            bus.publish(AgentPresence(agentId: id, name: name, state: .offline, since: Date(), sentAt: Date()), tenant: tenant)
        }
    }

    /// Dies without closing: the bus publishes the agent's last will, as a broker would.
    public func crash() {
        guard lock.withLock({ () -> Bool in defer { closed = true }; return !closed }) else { return }
        if case .agent(let id, let name) = role {
            bus.publish(AgentPresence.lastWill(agentId: id, name: name, since: Date()), tenant: tenant)
        }
    }
}
