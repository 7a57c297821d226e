import CMosquitto
import Foundation
import RingsideCore

/// Waiters for the broker's acknowledgements (PUBACK) of acknowledged queue publishes, by message id.
/// `onPublish` may run before the publisher registers its waiter, so the last acknowledgements nobody waited
/// for are remembered (bounded: state publishes are acknowledged too).
final class AckWaiters: @unchecked Sendable {
    enum Outcome: Sendable { case acknowledged, timedOut }

    private let lock = NSLock()
    private var waiters: [Int32: CheckedContinuation<Outcome, Never>] = [:]
    private var early: [Int32] = []

    /// The broker acknowledged message `mid`.
    func acknowledged(_ mid: Int32) {
        let waiter = lock.withLock { () -> CheckedContinuation<Outcome, Never>? in
            if let waiter = waiters.removeValue(forKey: mid) { return waiter }
            early.append(mid)
            if early.count > 256 { early.removeFirst(early.count - 256) }
            return nil
        }
        waiter?.resume(returning: .acknowledged)
    }

    /// Waits (at most `timeout` seconds) for the acknowledgement of `mid`.
    func wait(for mid: Int32, timeout: TimeInterval) async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let already = lock.withLock { () -> Bool in
                if let index = early.firstIndex(of: mid) {
                    early.remove(at: index)
                    return true
                }
                waiters[mid] = continuation
                return false
            }
            if already { return continuation.resume(returning: .acknowledged) }
            Task.detached { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(max(0.01, timeout) * 1_000_000_000))
                self?.expire(mid)
            }
        }
    }

    private func expire(_ mid: Int32) {
        let waiter = lock.withLock { waiters.removeValue(forKey: mid) }
        waiter?.resume(returning: .timedOut)
    }

    /// Ends every wait (the client is closing).
    func cancelAll() {
        let all = lock.withLock { () -> [CheckedContinuation<Outcome, Never>] in
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in all { waiter.resume(returning: .timedOut) }
    }
}

extension MQTTPresence: AcknowledgedQueueFeed {
    /// How long an acknowledged queue publish waits for the broker's PUBACK before it counts as not delivered.
    static let acknowledgementTimeout: TimeInterval = 5

    /// Publishes a queue event (QoS 1, not retained) and waits for the broker's acknowledgement. Throws
    /// `.rejected` when not connected (nothing was sent) or without an acknowledgement in time, `.closed` after `close()`.
    public func publishQueueAcknowledged(_ event: QueueEvent) async throws(PresenceError) {
        if isClosing { throw .closed }
        var mid: Int32 = 0
        let data = event.jsonData()
        let topic = PresenceTopic.queueEvents(tenant: settings.tenant)
        let rc = data.withUnsafeBytes { bytes in
            mosquitto_publish(handle, &mid, topic, Int32(bytes.count), bytes.baseAddress, 1, false)
        }
        switch rc {
        case Int32(MOSQ_ERR_SUCCESS.rawValue):
            break
        case Int32(MOSQ_ERR_NO_CONN.rawValue):
            throw .rejected("not connected to \(settings.displayURL); the queue event waits in the outbox")
        default:
            throw .rejected(MQTTError.call("mosquitto_publish", code: rc).description)
        }
        switch await acks.wait(for: mid, timeout: Self.acknowledgementTimeout) {
        case .acknowledged: return
        case .timedOut: throw .rejected("\(settings.displayURL) did not acknowledge the queue event; it is sent again")
        }
    }
}
