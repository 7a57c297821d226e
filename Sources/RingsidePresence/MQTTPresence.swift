import CMosquitto
import Foundation
import RingsideCore

/// Who an MQTT presence client is.
public enum MQTTRole: Hashable, Sendable {
    /// An agent: publishes only its own topic and sets a last will that marks it offline if its connection dies.
    case agent(id: String, name: String)
    /// A supervisor (watches the team) or a gateway such as the team simulator (publishes for many agents). No will.
    case observer(name: String)
}

/// Presence over MQTT with libmosquitto (MQTT 3.1.1).
///
/// - Topic `ringside/<tenant>/agents/<agentId>`, retained JSON (`AgentPresence`), QoS 1.
/// - Agents set a retained last will (offline, `lastWill: true`) before connecting; leaving cleanly with
///   `close()` publishes an explicit offline state instead.
/// - I/O runs on libmosquitto's own thread (`mosquitto_loop_start`), which reconnects by itself with
///   exponential backoff (`mosquitto_reconnect_delay_set`). After every (re)connect the client re-sends
///   what it last published and re-subscribes, so the broker's retained states rebuild a supervisor's model.
/// - Callbacks are non-capturing closures; the instance travels through libmosquitto's userdata pointer.
/// - Every libmosquitto return code is checked; failures become `MQTTError`s that say what to do.
public final class MQTTPresence: Presence, @unchecked Sendable {
    public let settings: MQTTSettings
    public let role: MQTTRole
    /// Told each link change (connected, disconnected and why), for the log.
    private let log: @Sendable (String) -> Void
    public let clientId: String
    let handle: OpaquePointer
    private let lock = NSLock()
    private var link: PresenceLink = .connecting
    private var isConnected = false
    private var loopStarted = false
    private var closing = false
    private var closed = false
    private var wantsTeam = false
    /// Last retained payload per topic published by this client, re-sent after each reconnect.
    private var retainedOut: [String: Data] = [:]
    private var subscribers: [UUID: AsyncStream<PresenceUpdate>.Continuation] = [:]
    private var closeMid: Int32?
    private let closeAcked = DispatchSemaphore(value: 0)
    private var counters = Counters()
    /// Transfer-context subscribers (issue 18; see MQTTPresence+Handoff.swift).
    let handoffFanout = HandoffFanout()
    /// Waiters for the broker's acknowledgements of queue events (see MQTTPresence+Acknowledged.swift).
    let acks = AckWaiters()

    /// True once `close()` began.
    var isClosing: Bool { lock.withLock { closed || closing } }

    /// Traffic counters (for tests, `doctor` and benchmarks).
    public struct Counters: Hashable, Sendable {
        public var connects = 0
        public var disconnects = 0
        public var messages = 0
        public var malformed = 0
        public var queueEventsDropped = 0
    }

    private static let libraryStatus: Int32 = mosquitto_lib_init()

    /// Creates the client, sets credentials, TLS and the will, starts the network thread and begins
    /// connecting (returns at once; `link` reports progress, `waitUntilConnected` waits).
    public init(settings: MQTTSettings, role: MQTTRole, clientId: String? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) throws(MQTTError) {
        self.log = log
        try MQTTError.check(Self.libraryStatus, "mosquitto_lib_init")
        guard PresenceTopic.isValidLevel(settings.tenant) else { throw .invalidTopicLevel(settings.tenant) }
        let id: String
        switch role {
        case .agent(let agentId, _):
            guard PresenceTopic.isValidLevel(agentId) else { throw .invalidTopicLevel(agentId) }
            id = clientId ?? "ringside-\(settings.tenant)-agent-\(agentId)"
        case .observer(let name):
            id = clientId ?? "ringside-\(settings.tenant)-\(name)-\(UUID().uuidString.prefix(8).lowercased())"
        }
        guard let handle = mosquitto_new(id, true, nil) else { throw .outOfMemory }
        self.handle = handle
        self.settings = settings
        self.role = role
        self.clientId = id
        try configure()
    }

    deinit {
        if loopStarted {
            _ = mosquitto_disconnect(handle)
            _ = mosquitto_loop_stop(handle, true)
        }
        mosquitto_destroy(handle)
    }

    private func configure() throws(MQTTError) {
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_callback_set(handle) { _, obj, rc in MQTTPresence.instance(obj)?.onConnect(rc) }
        mosquitto_disconnect_callback_set(handle) { _, obj, rc in MQTTPresence.instance(obj)?.onDisconnect(rc) }
        mosquitto_publish_callback_set(handle) { _, obj, mid in MQTTPresence.instance(obj)?.onPublish(mid) }
        mosquitto_message_callback_set(handle) { _, obj, message in
            guard let message else { return }
            MQTTPresence.instance(obj)?.onMessage(message.pointee)
        }
        // Small state messages must not wait for Nagle's algorithm (≈40 ms with delayed ACKs).
        try MQTTError.check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1), "mosquitto_int_option(TCP_NODELAY)")
        try MQTTError.check(mosquitto_reconnect_delay_set(handle, UInt32(max(1, settings.reconnectDelay)),
                                                          UInt32(max(settings.reconnectDelay, settings.reconnectDelayMax)), true),
                            "mosquitto_reconnect_delay_set")
        if let username = settings.username {
            try MQTTError.check(mosquitto_username_pw_set(handle, username, settings.password), "mosquitto_username_pw_set")
        }
        if settings.tls {
            let caPath = settings.caFile == nil ? (settings.caPath ?? "/etc/ssl/certs") : settings.caPath
            if let caFile = settings.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw .invalidURL(settings.displayURL, "the CA file \(caFile) can't be read")
            }
            try MQTTError.check(mosquitto_tls_set(handle, settings.caFile, caPath, nil, nil, nil), "mosquitto_tls_set")
        }
        if case .agent(let agentId, let name) = role {
            let will = AgentPresence.lastWill(agentId: agentId, name: name, since: Date()).jsonData()
            let topic = PresenceTopic.agent(tenant: settings.tenant, agentId: agentId)
            let rc = will.withUnsafeBytes { bytes in
                mosquitto_will_set(handle, topic, Int32(bytes.count), bytes.baseAddress, 1, true)
            }
            try MQTTError.check(rc, "mosquitto_will_set")
        }
        let rc = mosquitto_connect_async(handle, settings.host, Int32(settings.port), Int32(settings.keepAlive))
        switch rc {
        case Int32(MOSQ_ERR_SUCCESS.rawValue):
            try startLoop()
        case Int32(MOSQ_ERR_ERRNO.rawValue):
            // Refused or unreachable right now. libmosquitto's thread only retries connections it once had,
            // so the first connection is retried here (same backoff) before the thread starts.
            setLink(.disconnected("broker \(settings.displayURL) unreachable (\(String(cString: strerror(errno)))); retrying"))
            retryFirstConnection()
        default:
            throw .call("mosquitto_connect_async", code: rc)
        }
    }

    private func startLoop() throws(MQTTError) {
        try MQTTError.check(mosquitto_loop_start(handle), "mosquitto_loop_start")
        lock.withLock { loopStarted = true }
    }

    private func retryFirstConnection() {
        let first = max(1, settings.reconnectDelay), maximum = max(first, settings.reconnectDelayMax)
        Task.detached { [weak self] in
            var delay = first
            while true {
                try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000_000)
                guard let self, !self.lock.withLock({ self.closing || self.closed }) else { return }
                let rc = mosquitto_connect_async(self.handle, self.settings.host, Int32(self.settings.port), Int32(self.settings.keepAlive))
                if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) {
                    do { try self.startLoop() } catch { self.setLink(.disconnected("\(error)")) }
                    return
                }
                if rc != Int32(MOSQ_ERR_ERRNO.rawValue) {
                    self.setLink(.disconnected(MQTTError.call("mosquitto_connect_async", code: rc).description))
                }
                delay = min(maximum, delay * 2)
            }
        }
    }

    private static func instance(_ obj: UnsafeMutableRawPointer?) -> MQTTPresence? {
        obj.map { Unmanaged<MQTTPresence>.fromOpaque($0).takeUnretainedValue() }
    }

    // MARK: State

    /// The connection state now.
    public var linkState: PresenceLink { lock.withLock { link } }

    /// Traffic counters now.
    public var statistics: Counters { lock.withLock { counters } }

    /// Waits (bounded) until the client is connected; returns false on timeout or when closed.
    public func waitUntilConnected(timeout: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let (connected, closed) = lock.withLock { (isConnected, self.closed) }
            if connected { return true }
            if closed { return false }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return lock.withLock { isConnected }
    }

    // MARK: Presence

    public func publish(_ presence: AgentPresence) async throws(PresenceError) {
        if case .agent(let id, _) = role, presence.agentId != id {
            throw .rejected("agent \(id) may only publish its own state, not \(presence.agentId)'s")
        }
        guard PresenceTopic.isValidLevel(presence.agentId) else { throw .rejected(MQTTError.invalidTopicLevel(presence.agentId).description) }
        let topic = PresenceTopic.agent(tenant: settings.tenant, agentId: presence.agentId)
        let data = presence.jsonData()
        let isClosed = lock.withLock { () -> Bool in
            if closed || closing { return true }
            retainedOut[topic] = data
            return false
        }
        if isClosed { throw .closed }
        let rc = send(topic: topic, data: data, retain: true)
        switch rc {
        case Int32(MOSQ_ERR_SUCCESS.rawValue), Int32(MOSQ_ERR_NO_CONN.rawValue):
            return // not connected: re-sent after the reconnect
        default:
            throw .rejected(MQTTError.call("mosquitto_publish", code: rc).description)
        }
    }

    public func publishQueue(_ event: QueueEvent) async throws(PresenceError) {
        if lock.withLock({ closed || closing }) { throw .closed }
        let rc = send(topic: PresenceTopic.queueEvents(tenant: settings.tenant), data: event.jsonData(), retain: false)
        switch rc {
        case Int32(MOSQ_ERR_SUCCESS.rawValue):
            return
        case Int32(MOSQ_ERR_NO_CONN.rawValue):
            lock.withLock { counters.queueEventsDropped += 1 } // live-only feed: nothing to catch up on
        default:
            throw .rejected(MQTTError.call("mosquitto_publish", code: rc).description)
        }
    }

    public func team() -> AsyncStream<PresenceUpdate> {
        let (stream, continuation) = AsyncStream.makeStream(of: PresenceUpdate.self, bufferingPolicy: .unbounded)
        let id = UUID()
        let (connected, current, isClosed) = lock.withLock { () -> (Bool, PresenceLink, Bool) in
            if !closed { subscribers[id] = continuation }
            wantsTeam = true
            return (isConnected, link, closed)
        }
        continuation.yield(.link(current))
        if isClosed {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock { _ = self?.subscribers.removeValue(forKey: id) }
        }
        // (Re)subscribing makes the broker send every retained state again, for this new stream.
        if connected { subscribe() }
        return stream
    }

    /// Leaves: an agent publishes `offline` (waiting up to 2 s for the broker's acknowledgement),
    /// then disconnects cleanly so the will is not used; the network thread stops.
    public func close() async {
        let (already, connected) = lock.withLock { () -> (Bool, Bool) in
            defer { closing = true }
            return (closing || closed, isConnected)
        }
        if already { return }
        if case .agent(let id, let name) = role, connected {
            let offline = AgentPresence(agentId: id, name: name, state: .offline, since: Date(), sentAt: Date()).jsonData()
            var mid: Int32 = 0
            let topic = PresenceTopic.agent(tenant: settings.tenant, agentId: id)
            let rc = offline.withUnsafeBytes { bytes in
                lock.withLock {
                    let rc = mosquitto_publish(handle, &mid, topic, Int32(bytes.count), bytes.baseAddress, 1, true)
                    closeMid = mid
                    return rc
                }
            }
            if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) {
                let acked = closeAcked
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global().async {
                        _ = acked.wait(timeout: .now() + 2)
                        done.resume()
                    }
                }
            }
        }
        if lock.withLock({ loopStarted }) {
            _ = mosquitto_disconnect(handle) // MOSQ_ERR_NO_CONN when already down: nothing to do
            _ = mosquitto_loop_stop(handle, !connected) // force when the thread may be sleeping between retries
        }
        let subscribers = lock.withLock { () -> [AsyncStream<PresenceUpdate>.Continuation] in
            closed = true
            isConnected = false
            loopStarted = false
            link = .closed
            defer { self.subscribers.removeAll() }
            return Array(self.subscribers.values)
        }
        for s in subscribers {
            s.yield(.link(.closed))
            s.finish()
        }
        handoffFanout.finish()
        acks.cancelAll()
    }

    // MARK: libmosquitto

    /// Publishes arbitrary bytes (tests and tools only: malformed payloads, clearing a retained topic).
    func publishRaw(topic: String, payload: Data, retain: Bool) throws(MQTTError) {
        try MQTTError.check(send(topic: topic, data: payload, retain: retain), "mosquitto_publish")
    }

    func send(topic: String, data: Data, retain: Bool) -> Int32 {
        data.withUnsafeBytes { bytes in
            mosquitto_publish(handle, nil, topic, Int32(bytes.count), bytes.baseAddress, 1, retain)
        }
    }

    private func subscribe() {
        for topic in [PresenceTopic.allAgents(tenant: settings.tenant), PresenceTopic.queueEvents(tenant: settings.tenant)] {
            let rc = mosquitto_subscribe(handle, nil, topic, 1)
            if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) && rc != Int32(MOSQ_ERR_NO_CONN.rawValue) {
                setLink(.disconnected(MQTTError.call("mosquitto_subscribe \(topic)", code: rc).description))
            }
        }
    }

    private func onConnect(_ rc: Int32) {
        guard rc == 0 else {
            setLink(.disconnected("broker \(settings.displayURL) refused the connection: \(ConnackAdvice.describe(rc))"))
            return
        }
        let (pending, wants) = lock.withLock { () -> ([String: Data], Bool) in
            isConnected = true
            counters.connects += 1
            return (retainedOut, wantsTeam)
        }
        for (topic, data) in pending {
            let rc = send(topic: topic, data: data, retain: true)
            if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
                setLink(.disconnected(MQTTError.call("mosquitto_publish", code: rc).description))
            }
        }
        if wants { subscribe() }
        if handoffFanout.wanted { subscribeHandoffs() }
        setLink(.connected)
    }

    private func onDisconnect(_ rc: Int32) {
        let isClosing = lock.withLock { () -> Bool in
            isConnected = false
            counters.disconnects += 1
            return closing
        }
        if isClosing { return }
        setLink(.disconnected("lost the connection to \(settings.displayURL) (\(MQTTError.message(rc))); reconnecting"))
    }

    private func onPublish(_ mid: Int32) {
        let isClose = lock.withLock { closeMid == mid }
        if isClose { closeAcked.signal() }
        acks.acknowledged(mid)
    }

    private func onMessage(_ message: mosquitto_message) {
        let topic = message.topic.map { String(cString: $0) } ?? ""
        let data: Data = message.payloadlen > 0 && message.payload != nil
            ? Data(bytes: message.payload, count: Int(message.payloadlen)) : Data()
        if topic == PresenceTopic.handoffs(tenant: settings.tenant) { return handoffFanout.deliver(data) }
        let update = Self.decode(topic: topic, payload: data, tenant: settings.tenant)
        let targets = lock.withLock { () -> [AsyncStream<PresenceUpdate>.Continuation] in
            counters.messages += 1
            if case .malformed = update { counters.malformed += 1 }
            return Array(subscribers.values)
        }
        for target in targets { target.yield(update) }
    }

    /// What a message on a presence topic means (pure; shared with tests).
    public static func decode(topic: String, payload: Data, tenant: String) -> PresenceUpdate {
        if topic == PresenceTopic.queueEvents(tenant: tenant) {
            do {
                return .queue(try QueueEvent.decodeBounded(payload))
            } catch {
                return .malformed(topic: topic, reason: error.description)
            }
        }
        guard let agentId = PresenceTopic.agentId(in: topic, tenant: tenant) else {
            return .malformed(topic: topic, reason: "unexpected topic")
        }
        if payload.isEmpty { return .removed(agentId: agentId) }
        do {
            return .presence(try AgentPresence.decode(payload, topicAgentId: agentId))
        } catch {
            return .malformed(topic: topic, reason: error.description)
        }
    }

    private func setLink(_ state: PresenceLink) {
        let (changed, targets) = lock.withLock { () -> (Bool, [AsyncStream<PresenceUpdate>.Continuation]) in
            guard link != state, !closed else { return (false, []) }
            link = state
            return (true, Array(subscribers.values))
        }
        if changed { log("MQTT link to \(settings.displayURL): \(state)") }
        for target in targets { target.yield(.link(state)) }
    }

}
