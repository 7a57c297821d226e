import Foundation

/// A wrap-up countdown that pauses while the agent edits: each edit stops the clock, and it runs again
/// (with the time that was left, at least `minimumLeft`) only after `resumeAfter` seconds without edits.
public struct WrapUpClock: Hashable, Sendable {
    /// Seconds without an edit before the countdown runs again.
    public static let resumeAfter: TimeInterval = 10
    /// The countdown never resumes with less than this left, so a save never surprises a typing agent.
    public static let minimumLeft: TimeInterval = 10

    /// Seconds left when the countdown (re)started at `runningSince`.
    public private(set) var left: TimeInterval
    public private(set) var runningSince: Date

    public init(seconds: Int, from now: Date) {
        left = TimeInterval(seconds)
        runningSince = now
    }

    /// When the record saves by itself.
    public var deadline: Date { runningSince.addingTimeInterval(left) }

    /// True while the countdown waits for the agent to stop editing.
    public func isPaused(at now: Date) -> Bool { now < runningSince }

    /// Seconds left to show.
    public func secondsLeft(at now: Date) -> Int {
        Int((isPaused(at: now) ? left : max(0, deadline.timeIntervalSince(now))).rounded(.up))
    }

    public mutating func edited(at now: Date) {
        if !isPaused(at: now) { left = max(0, left - now.timeIntervalSince(runningSince)) }
        left = max(left, Self.minimumLeft)
        runningSince = now.addingTimeInterval(Self.resumeAfter)
    }
}
