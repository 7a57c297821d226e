import Foundation
import RingsideCore

/// An in-process phone for the demo and headless runs: rings on request, answers outbound calls
/// after a delay, and obeys hold/resume/transfer/hang-up like a real handset.
public final class SimulatedPhone: PhoneLink, @unchecked Sendable {
    /// What happens to an outbound call.
    public enum Outcome: Hashable, Sendable {
        case answer(afterSeconds: Double)
        case busy
        case decline
        case noAnswer(afterSeconds: Double)
    }

    /// Errors for commands the simulated handset can't carry out.
    public enum Failure: Error, CustomStringConvertible {
        case unknownCall(LineCallID)
        case notConnected

        public var description: String {
            switch self {
            case .unknownCall(let id): "the simulated phone has no call \(id)"
            case .notConnected: "the simulated phone is not started"
            }
        }
    }

    public let events: AsyncStream<PhoneEvent>
    private let continuation: AsyncStream<PhoneEvent>.Continuation
    private let lock = NSLock()
    private var live: Set<LineCallID> = []
    private var sequence = 0
    private let instance = String(UInt32.random(in: .min ... .max), radix: 16)
    private var started = false
    private let outcome: @Sendable (String) -> Outcome

    /// - Parameter outcome: decides how each dialled number behaves (default: answered after 1 s).
    public init(outcome: @escaping @Sendable (String) -> Outcome = { _ in .answer(afterSeconds: 1) }) {
        (events, continuation) = AsyncStream.makeStream(of: PhoneEvent.self, bufferingPolicy: .unbounded)
        self.outcome = outcome
    }

    public func start() async {
        lock.withLock { started = true }
        continuation.yield(.link(.connected))
    }

    public func close() async {
        lock.withLock { started = false }
        continuation.finish()
    }

    /// Makes the phone ring with a call from `remote`; returns its line id (a SIP Call-ID lookalike).
    /// `callId`: use this id instead, as a ring-all proxy does when it offers one call to several phones.
    @discardableResult
    public func ring(from remote: String, callId: LineCallID? = nil) -> LineCallID {
        let id: LineCallID
        if let callId {
            _ = lock.withLock { live.insert(callId) }
            id = callId
        } else {
            id = nextID()
        }
        continuation.yield(.incoming(id, remote: remote))
        return id
    }

    /// The far end hangs up.
    public func remoteHangUp(_ line: LineCallID) {
        if end(line) { continuation.yield(.closed(line, reason: .remoteHangUp)) }
    }

    /// Line ids of calls still in progress.
    public var liveCalls: Set<LineCallID> { lock.withLock { live } }

    public func send(_ command: PhoneCommand) async throws {
        guard lock.withLock({ started }) else { throw Failure.notConnected }
        switch command {
        case .answer(let line):
            try requireLive(line)
            continuation.yield(.established(line))
        case .hold(let line):
            try requireLive(line)
            continuation.yield(.held(line))
        case .resume(let line):
            try requireLive(line)
            continuation.yield(.resumed(line))
        case .transfer(let line, let target):
            try requireLive(line)
            _ = end(line)
            continuation.yield(.transferred(line, to: target))
        case .hangUp(let line):
            try requireLive(line)
            _ = end(line)
            continuation.yield(.closed(line, reason: .localHangUp))
        case .dial(let number):
            let line = nextID()
            continuation.yield(.outgoing(line, remote: number))
            continuation.yield(.remoteRinging(line))
            schedule(outcome(number), for: line)
        }
    }

    private func schedule(_ outcome: Outcome, for line: LineCallID) {
        let continuation = self.continuation
        switch outcome {
        case .busy:
            if end(line) { continuation.yield(.closed(line, reason: .busy)) }
        case .decline:
            if end(line) { continuation.yield(.closed(line, reason: .declined)) }
        case .answer(let seconds):
            after(seconds) { [weak self] in
                if self?.liveCalls.contains(line) == true { continuation.yield(.established(line)) }
            }
        case .noAnswer(let seconds):
            after(seconds) { [weak self] in
                if self?.end(line) == true { continuation.yield(.closed(line, reason: .noAnswer)) }
            }
        }
    }

    private func after(_ seconds: Double, _ body: @escaping @Sendable () -> Void) {
        if seconds <= 0 { body(); return }
        Task {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            body()
        }
    }

    private func nextID() -> LineCallID {
        lock.withLock {
            sequence += 1
            // Shaped like a SIP Call-ID and unique across processes: several simulated agents on one queue feed
            // must not report different calls under one id.
            let id = "sim-\(sequence)-\(instance)@ringside.invalid"
            live.insert(id)
            return id
        }
    }

    private func requireLive(_ line: LineCallID) throws {
        guard lock.withLock({ live.contains(line) }) else { throw Failure.unknownCall(line) }
    }

    @discardableResult
    private func end(_ line: LineCallID) -> Bool {
        lock.withLock { live.remove(line) != nil }
    }
}
