import Foundation
@testable import RingsidePhone
import RingsideCore
import RingsideTestSupport

/// Collects a link's events and waits for them with timeouts.
final class PhoneEventRecorder: Sendable {
    private let recorded = BaresipLocked<[(at: ContinuousClock.Instant, event: PhoneEvent)]>([])
    private let task = BaresipLocked<Task<Void, Never>?>(nil)

    init(_ stream: AsyncStream<PhoneEvent>) {
        let recorded = self.recorded
        let reader = Task {
            for await event in stream {
                recorded.withLock { $0.append((ContinuousClock.now, event)) }
            }
        }
        task.withLock { $0 = reader }
    }

    var events: [PhoneEvent] {
        recorded.withLock { $0.map(\.event) }
    }

    /// Call events only (no `.link`, no `.listed`).
    var callEvents: [PhoneEvent] {
        events.filter {
            switch $0 {
            case .link, .listed: false
            case .incoming, .outgoing, .remoteRinging, .established, .held, .resumed, .transferred, .transferFailed, .closed: true
            }
        }
    }

    var count: Int { recorded.withLock { $0.count } }

    /// Waits for the first event (at index >= `from`) matching `matches`; returns it, when it arrived, and its index.
    @discardableResult
    func waitFor(_ what: String, from: Int = 0, timeout: Duration = .seconds(5),
                 _ matches: (PhoneEvent) -> Bool) async throws -> (event: PhoneEvent, at: ContinuousClock.Instant, index: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let snapshot = recorded.withLock { $0 }
            if from < snapshot.count, let index = snapshot[from...].firstIndex(where: { matches($0.event) }) {
                return (snapshot[index].event, snapshot[index].at, index)
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw BaresipHarnessError.timedOut("\(what); events so far: \(events)")
    }

    /// Waits for exactly `event`; returns its index.
    @discardableResult
    func waitFor(_ event: PhoneEvent, from: Int = 0, timeout: Duration = .seconds(5)) async throws -> Int {
        try await waitFor("\(event)", from: from, timeout: timeout) { $0 == event }.index
    }

    deinit { task.withLock { $0?.cancel() } }
}
