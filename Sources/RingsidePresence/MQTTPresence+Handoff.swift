import CMosquitto
import Foundation
import RingsideCore

/// Fans transfer contexts out to `handoffs()` streams; counts payloads it refused.
final class HandoffFanout: @unchecked Sendable {
    // @unchecked: all state behind `lock`.
    private let lock = NSLock()
    private var subscribers: [UUID: AsyncStream<TransferContext>.Continuation] = [:]
    private var isWanted = false
    private var isFinished = false
    private var refused = 0
    private var lastSubscribeError: String?

    /// Why the last subscription to the handoff topic failed (nil: it did not).
    var subscribeFailed: String? {
        get { lock.withLock { lastSubscribeError } }
        set { lock.withLock { lastSubscribeError = newValue } }
    }

    var wanted: Bool { lock.withLock { isWanted } }
    var refusedCount: Int { lock.withLock { refused } }

    func add() -> AsyncStream<TransferContext> {
        let (stream, continuation) = AsyncStream.makeStream(of: TransferContext.self, bufferingPolicy: .bufferingNewest(64))
        let id = UUID()
        let finished = lock.withLock { () -> Bool in
            isWanted = true
            if !isFinished { subscribers[id] = continuation }
            return isFinished
        }
        if finished { continuation.finish() }
        continuation.onTermination = { [weak self] _ in self?.lock.withLock { _ = self?.subscribers.removeValue(forKey: id) } }
        return stream
    }

    func deliver(_ payload: Data) {
        let context: TransferContext
        do {
            context = try TransferContext.decode(payload)
        } catch {
            lock.withLock { refused += 1 }
            return
        }
        let targets = lock.withLock { Array(subscribers.values) }
        for target in targets { target.yield(context) }
    }

    func finish() {
        let targets = lock.withLock { () -> [AsyncStream<TransferContext>.Continuation] in
            isFinished = true
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for target in targets { target.finish() }
    }
}

extension MQTTPresence: HandoffChannel {
    /// Publishes the context (QoS 1, not retained: it is about a call ringing now). Not connected: it is lost,
    /// and the receiving agent looks the caller up as usual.
    public func publishHandoff(_ context: TransferContext) async throws(PresenceError) {
        let rc = send(topic: PresenceTopic.handoffs(tenant: settings.tenant), data: context.jsonData(), retain: false)
        switch rc {
        case Int32(MOSQ_ERR_SUCCESS.rawValue): return
        case Int32(MOSQ_ERR_NO_CONN.rawValue): throw .rejected("not connected to the presence broker; the transfer target gets no context")
        default: throw .rejected(MQTTError.call("mosquitto_publish", code: rc).description)
        }
    }

    public func handoffs() -> AsyncStream<TransferContext> {
        let stream = handoffFanout.add()
        if linkState == .connected { subscribeHandoffs() }
        return stream
    }

    /// Payloads on the handoff topic that were refused (too large, malformed).
    public var refusedHandoffs: Int { handoffFanout.refusedCount }

    func subscribeHandoffs() {
        let rc = mosquitto_subscribe(handle, nil, PresenceTopic.handoffs(tenant: settings.tenant), 1)
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) && rc != Int32(MOSQ_ERR_NO_CONN.rawValue) {
            handoffFanout.subscribeFailed = MQTTError.call("mosquitto_subscribe handoffs", code: rc).description
        }
    }
}
