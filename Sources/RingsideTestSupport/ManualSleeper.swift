import RingsideCore
import Synchronization

/// A `Sleeper` whose waits end only when the test resumes them (or their task is cancelled). Every wait is recorded
/// with the seconds asked for, and `waitForSleeps(_:)` suspends the test until the code under test has started that
/// many waits: a signal that it has finished what it did before going back to sleep.
public final class ManualSleeper: Sleeper {
    private struct Pending {
        var id: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var requested: [Double] = []
        var pending: [Pending] = []
        var watchers: [(id: Int, count: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The seconds of every wait started so far, in order.
    public var requested: [Double] { state.withLock { $0.requested } }

    /// How many waits are in progress.
    public var sleeping: Int { state.withLock { $0.pending.count } }

    public func sleep(seconds: Double) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                        return []
                    }
                    state.pending.append(Pending(id: id, continuation: continuation))
                    state.requested.append(seconds)
                    let count = state.requested.count
                    let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
                    state.watchers.removeAll { $0.count <= count }
                    return ready
                }
                ready.forEach { $0.resume(returning: true) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.pending.firstIndex(where: { $0.id == id }) else { return nil }
                return state.pending.remove(at: index).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    /// Returns once `count` waits have been started in total (at once if they have); throws
    /// `ManualSleeper.NotAsleep` when that has not happened within `timeout`.
    public func waitForSleeps(_ count: Int, timeout: Duration = .seconds(10)) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        let expiry = Task { [self] in
            try await Task.sleep(for: timeout)
            let expired = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.watchers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.watchers.remove(at: index).continuation
            }
            expired?.resume(returning: false)
        }
        defer { expiry.cancel() }
        let reached = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let done = state.withLock { state -> Bool in
                if state.requested.count >= count { return true }
                state.watchers.append((id, count, continuation))
                return false
            }
            if done { continuation.resume(returning: true) }
        }
        guard reached else { throw NotAsleep(expected: count, started: requested.count) }
    }

    /// The code under test did not start the expected number of waits in time.
    public struct NotAsleep: Error, CustomStringConvertible {
        public var expected: Int
        public var started: Int
        public var description: String { "expected \(expected) waits to have started, saw \(started)" }
    }

    /// Ends every wait in progress, as if its time had come.
    public func resumeAll() {
        let waiting = state.withLock { state -> [Pending] in
            defer { state.pending = [] }
            return state.pending
        }
        waiting.forEach { $0.continuation.resume() }
    }
}
