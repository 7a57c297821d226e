/// Timed waits behind a port, so code with timers can be tested without waiting: `LiveSleeper` sleeps for real; the
/// tests' `ManualSleeper` (RingsideTestSupport) returns only when the test says so, and tells the test when something
/// started waiting (an explicit signal instead of "sleep, then assert nothing happened").
public protocol Sleeper: Sendable {
    /// Waits `seconds`; throws `CancellationError` when the task is cancelled first.
    func sleep(seconds: Double) async throws
}

/// The real wait: `Task.sleep`, capped at one day.
public struct LiveSleeper: Sleeper {
    public init() {}

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, min(seconds, 86_400)) * 1_000_000_000))
    }
}
