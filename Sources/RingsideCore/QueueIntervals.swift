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
/// An answer or abandon counts in the interval the call arrived in (how ACD interval reports attribute calls).
/// Events for calls it never saw arrive are ignored; a call counts once.
public struct QueueIntervals: Sendable {
    public let settings: QueueSettings
    /// Interval length in seconds (at least 60; 900 by default: 30-minute series merge pairs).
    public let length: TimeInterval
    public let timeZone: TimeZone
    private var arrivals: [String: Date] = [:]
    public private(set) var intervals: [Date: QueueIntervalFigures] = [:]
    /// Intervals kept (older ones are forgotten): a day of 15-minute intervals.
    public static let keep = 96

    public init(settings: QueueSettings = QueueSettings(), length: TimeInterval = 900, timeZone: TimeZone = .current) {
        self.settings = settings
        self.length = max(60, length)
        self.timeZone = timeZone
    }

    /// The start of the interval holding `date`.
    public func intervalStart(_ date: Date) -> Date {
        let offset = TimeInterval(timeZone.secondsFromGMT(for: date))
        let local = date.timeIntervalSince1970 + offset
        return Date(timeIntervalSince1970: (local / length).rounded(.down) * length - offset)
    }

    public mutating func apply(_ event: QueueEvent) {
        if case .arrived(let id, let at) = event {
            guard arrivals[id] == nil else { return }
            arrivals[id] = at
            update(at) { $0.arrived += 1 }
        } else if case .answered(let id, let at) = event {
            guard let arrival = arrivals.removeValue(forKey: id) else { return }
            let wait = max(0, at.timeIntervalSince(arrival))
            let within = wait <= settings.serviceLevelThreshold
            update(arrival) { f in
                f.answered += 1
                f.answerWaitSeconds += wait
                if within { f.answeredWithinThreshold += 1 }
            }
        } else if case .abandoned(let id, let at) = event {
            guard let arrival = arrivals.removeValue(forKey: id) else { return }
            let isShort = max(0, at.timeIntervalSince(arrival)) <= settings.shortAbandonThreshold
            update(arrival) { f in
                if isShort { f.shortAbandoned += 1 } else { f.abandoned += 1 }
            }
        }
        let stale = event.at.addingTimeInterval(-settings.staleWait)
        if arrivals.count > 64, arrivals.values.contains(where: { $0 < stale }) { arrivals = arrivals.filter { $0.value >= stale } }
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

    private mutating func update(_ arrival: Date, _ change: (inout QueueIntervalFigures) -> Void) {
        let start = intervalStart(arrival)
        var figures = intervals[start] ?? QueueIntervalFigures(start: start)
        change(&figures)
        intervals[start] = figures
        if intervals.count > Self.keep, let oldest = intervals.keys.min() { intervals[oldest] = nil }
    }
}
