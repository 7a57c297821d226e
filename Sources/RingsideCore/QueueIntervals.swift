import Foundation

/// Queue figures of one reporting interval (15 or 30 minutes), the rows workforce-management tools import.
public struct QueueIntervalFigures: Hashable, Sendable, Codable {
    /// Interval start.
    public var start: Date
    public var arrived = 0
    public var answered = 0
    /// Answered within the service-level threshold.
    public var answeredWithinThreshold = 0
    /// Abandons that were not short.
    public var abandoned = 0
    /// Abandons within the short-abandon threshold (excluded from the abandon rate).
    public var shortAbandoned = 0
    /// Sum of answer waits of the answered calls (seconds).
    public var answerWaitSeconds: TimeInterval = 0

    public init(start: Date) { self.start = start }

    /// Adds another interval's counts (merging 15-minute intervals into 30-minute ones).
    public mutating func add(_ other: QueueIntervalFigures) {
        arrived += other.arrived
        answered += other.answered
        answeredWithinThreshold += other.answeredWithinThreshold
        abandoned += other.abandoned
        shortAbandoned += other.shortAbandoned
        answerWaitSeconds += other.answerWaitSeconds
    }

    /// `answeredWithinThreshold / answered` in percent (seed 002; abandons excluded); nil with no answered call.
    public var serviceLevel: Double? { answered > 0 ? Double(answeredWithinThreshold) * 100 / Double(answered) : nil }
    /// `abandoned / (answered + abandoned)` in percent; nil when both are 0.
    public var abandonRate: Double? { answered + abandoned > 0 ? Double(abandoned) * 100 / Double(answered + abandoned) : nil }
    /// Mean wait of answered calls.
    public var averageSpeedOfAnswer: TimeInterval? { answered > 0 ? answerWaitSeconds / Double(answered) : nil }
}

/// Service level and abandons per interval over a day, from queue events. Pure: no clock; the interval grid is
/// aligned to `timeZone`'s wall clock (a 30-minute interval starts at :00 and :30 local time).
///
/// The calls are the ones `QueueStats` resolves (the same merge and definitions as the wallboard's headline
/// figures, including ring-all forks merged by Call-ID), kept for a day instead of the figures' window. An answer
/// or abandon counts in the interval the call arrived in (arrival = outcome time − wait), as ACD interval reports
/// attribute calls; a call still waiting counts as offered in its arrival interval.
public struct QueueIntervals: Sendable {
    public let settings: QueueSettings
    /// Interval length in seconds (at least 60; 900 by default: 30-minute series merge pairs).
    public let length: TimeInterval
    public let timeZone: TimeZone
    /// The day's resolved calls (its window is two days, so the logs hold the whole day).
    private var calls: QueueStats
    /// Intervals kept: two days of 15-minute intervals.
    public static let keep = 192

    public init(settings: QueueSettings = QueueSettings(), length: TimeInterval = 900, timeZone: TimeZone = .current) {
        self.settings = settings
        self.length = max(60, length)
        self.timeZone = timeZone
        var daily = settings
        daily.window = max(settings.window, 2 * 86_400)
        calls = QueueStats(settings: daily)
    }

    /// The start of the interval holding `date`.
    public func intervalStart(_ date: Date) -> Date {
        let offset = TimeInterval(timeZone.secondsFromGMT(for: date))
        let local = date.timeIntervalSince1970 + offset
        return Date(timeIntervalSince1970: (local / length).rounded(.down) * length - offset)
    }

    public mutating func apply(_ event: QueueEvent) {
        calls.apply(event)
    }

    /// The figures per interval of `self.length`, keyed by interval start.
    public var intervals: [Date: QueueIntervalFigures] {
        var result: [Date: QueueIntervalFigures] = [:]
        func update(_ arrival: Date, _ change: (inout QueueIntervalFigures) -> Void) {
            let start = intervalStart(arrival)
            var f = result[start] ?? QueueIntervalFigures(start: start)
            change(&f)
            result[start] = f
        }
        let threshold = settings.serviceLevelThreshold, short = settings.shortAbandonThreshold
        for o in calls.answeredLog {
            update(o.at.addingTimeInterval(-o.seconds)) { f in
                f.arrived += 1
                f.answered += 1
                f.answerWaitSeconds += o.seconds
                if o.seconds <= threshold { f.answeredWithinThreshold += 1 }
            }
        }
        for o in calls.abandonedLog {
            update(o.at.addingTimeInterval(-o.seconds)) { f in
                f.arrived += 1
                if o.seconds <= short { f.shortAbandoned += 1 } else { f.abandoned += 1 }
            }
        }
        for arrival in calls.waiting.values { update(arrival) { $0.arrived += 1 } }
        if result.count > Self.keep {
            for start in result.keys.sorted().dropLast(Self.keep) { result[start] = nil }
        }
        return result
    }

    /// Every interval of `length` (`self.length` or a multiple of it, e.g. 1800 over 900) from the first with a call
    /// to the one holding `now`, oldest first, empty intervals included.
    public func series(through now: Date, length: TimeInterval? = nil) -> [QueueIntervalFigures] {
        let step = max(self.length, length ?? self.length)
        let grid = QueueIntervals(settings: settings, length: step, timeZone: timeZone)
        var merged: [Date: QueueIntervalFigures] = [:]
        for (start, f) in intervals {
            let s = grid.intervalStart(start)
            var m = merged[s] ?? QueueIntervalFigures(start: s)
            m.add(f)
            merged[s] = m
        }
        guard let first = merged.keys.min() else { return [] }
        let last = max(grid.intervalStart(now), first)
        var result: [QueueIntervalFigures] = []
        var start = first
        while start <= last && result.count < 4 * Self.keep {
            result.append(merged[start] ?? QueueIntervalFigures(start: start))
            start = grid.intervalStart(start.addingTimeInterval(step + 1))
        }
        return result
    }
}
