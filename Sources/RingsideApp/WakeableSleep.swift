import RingsideCore
import Synchronization

/// A worker's wait between deliveries: `sleep(seconds:)` returns when the time is up (through the `Sleeper` port),
/// when `wake()` is called, or when the waiting task is cancelled. A wake-up while nobody waits is kept for the next
/// wait (no wake-up is lost); a wait's own timer, cancelled because the wait ended early, never wakes a later wait.
/// The outbox, platform-event and queue-outbox workers share it.
final class WakeableSleep: Sendable {
    private struct State {
        var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
        /// A wake-up that came while nobody waited.
        var pendingWake = false
        /// The wait whose timer fired (or whose task was cancelled) before it started waiting.
        var ended: Int?
        var lastID = 0
    }

    private let state = Mutex(State())
    private let sleeper: any Sleeper

    init(sleeper: any Sleeper) {
        self.sleeper = sleeper
    }

    /// Ends the current wait, or the next one at once if nobody waits.
    func wake() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pendingWake = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Forgets a wake-up kept for the next wait (the caller is about to do what it would have started).
    func forgetWakeUp() {
        state.withLock { $0.pendingWake = false }
    }

    /// Waits up to `seconds`, or until woken or cancelled.
    func sleep(seconds: Double) async {
        let started = state.withLock { state -> Int? in
            if state.pendingWake {
                state.pendingWake = false
                return nil
            }
            state.lastID += 1
            return state.lastID
        }
        guard let id = started else { return }
        let sleeper = self.sleeper
        let timer = Task { [weak self] in
            guard (try? await sleeper.sleep(seconds: seconds)) != nil else { return }
            self?.end(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.pendingWake || state.ended == id {
                        state.pendingWake = false
                        return true
                    }
                    state.waiter = (id, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            end(id)
        }
        timer.cancel()
        state.withLock { state in
            if state.waiter?.id == id { state.waiter = nil }
            state.pendingWake = false
        }
    }

    /// Ends wait `id` only (its timer fired, or its task was cancelled).
    private func end(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.id == id else {
                state.ended = id
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
