import Foundation

/// What `ringside report` covers and how it groups.
public struct CallReportOptions: Sendable {
    /// Calls that started in `since ..< until` (and queue/presence observations in that range).
    public var since: Date
    public var until: Date
    /// Interval length for the service-level rows: 900 or 1800 seconds.
    public var interval: TimeInterval
    public var timeZone: TimeZone
    public var queueSettings: QueueSettings
    public var mapping: ActivityCategoryMapping
    /// The moment the report is made: an agent's last recorded state counts up to `min(until, now)`.
    public var now: Date

    public init(since: Date, until: Date, interval: TimeInterval = 1800, timeZone: TimeZone = .current,
                queueSettings: QueueSettings = QueueSettings(), mapping: ActivityCategoryMapping = ActivityCategoryMapping(), now: Date) {
        self.since = since
        self.until = until
        self.interval = interval == 900 ? 900 : 1800
        self.timeZone = timeZone
        self.queueSettings = queueSettings
        self.mapping = mapping
        self.now = now
    }
}

/// A presence the supervisor recorded, with when it was observed.
public struct ObservedPresence: Hashable, Sendable {
    public var at: Date
    public var presence: AgentPresence
    public init(at: Date, presence: AgentPresence) {
        self.at = at
        self.presence = presence
    }
}

/// "How did we do today?" as a pure value: calls per day/agent/direction, talk and hold time, AHT, dispositions,
/// service level and abandons per interval, and time per activity category per agent. Built by `CallReport.build`
/// from the local store's records, plus (for supervisors) the queue events and presence the wallboard recorded.
///
/// - Talk is answered time without hold (`durationSeconds − holdSeconds`); wrap-up is the record's `wrapUpSeconds`
///   (end of call → wrap-up finished) of answered calls; AHT = (talk + hold + wrap-up) ÷ answered calls, the usual
///   handle-time definition (seed 002 names the activities, not the formula). Records saved before wrap-up was
///   recorded add no wrap-up; `answeredWithoutWrapUp` counts them.
/// - Interval rows come from the recorded queue feed when there is one (`intervalSource == "queue"`), otherwise
///   from the agent's own inbound calls (`"calls"`: ring → answer is the wait, a caller who hung up while it rang
///   abandoned). Seed 002 definitions as on the wallboard (`QueueIntervals`).
public struct CallReport: Hashable, Sendable, Codable {
    /// One day × agent × direction.
    public struct DayRow: Hashable, Sendable, Codable {
        public var day: String
        public var agent: String
        public var direction: String
        public var calls = 0
        public var answered = 0
        public var talkSeconds = 0
        public var holdSeconds = 0
        /// Wrap-up of the answered calls.
        public var wrapUpSeconds = 0
        /// (talk + hold + wrap-up) / answered; nil with none answered.
        public var averageHandleSeconds: Double?
    }

    /// One agent over the whole range.
    public struct AgentRow: Hashable, Sendable, Codable {
        public var agent: String
        public var inbound = 0
        public var outbound = 0
        public var `internal` = 0
        public var answered = 0
        public var talkSeconds = 0
        public var holdSeconds = 0
        public var wrapUpSeconds = 0
        public var averageHandleSeconds: Double?
        /// Seconds per WFM category and call activity (`Ready`, `Idle`, `Not ready`, `Admin`, `Talk`, `Hold`,
        /// `Wrap-up`), from recorded presence; empty without it.
        public var activitySeconds: [String: Int] = [:]
    }

    public struct DispositionRow: Hashable, Sendable, Codable {
        public var disposition: String
        public var calls: Int
    }

    /// One interval (the columns WFM tools import).
    public struct IntervalRow: Hashable, Sendable, Codable {
        public var start: Date
        public var offered: Int
        public var answered: Int
        public var answeredWithinThreshold: Int
        public var abandoned: Int
        public var shortAbandoned: Int
        public var serviceLevel: Double?
        public var abandonRate: Double?
        public var averageSpeedOfAnswer: Double?
    }

    public var since: Date
    public var until: Date
    public var intervalMinutes: Int
    public var serviceLevelThreshold: Double
    public var shortAbandonThreshold: Double
    public var intervalSource: String
    public var days: [DayRow]
    public var agents: [AgentRow]
    public var dispositions: [DispositionRow]
    public var intervals: [IntervalRow]
    /// Totals over the range.
    public var calls: Int
    public var answered: Int
    public var talkSeconds: Int
    public var holdSeconds: Int
    public var wrapUpSeconds: Int
    /// Answered calls whose record has no wrap-up time (saved before it was recorded): their AHT lacks wrap-up.
    public var answeredWithoutWrapUp: Int
    public var averageHandleSeconds: Double?
    public var serviceLevel: Double?
    public var abandonRate: Double?
}

extension CallReport {
    /// Aggregates (pure): records, recorded queue events and recorded presence → the report.
    public static func build(calls allCalls: [CallRecord], queue: [QueueEvent] = [], presence: [ObservedPresence] = [],
                             options o: CallReportOptions) -> CallReport {
        let calls = allCalls.filter { $0.startedAt >= o.since && $0.startedAt < o.until }.sorted { $0.startedAt < $1.startedAt }
        func day(_ date: Date) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = o.timeZone
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        }
        func agent(_ c: CallRecord) -> String { c.ownerId ?? "local" }
        func talk(_ c: CallRecord) -> Int { max(0, c.durationSeconds - c.holdSeconds) }
        /// Wrap-up counts in handle time only for handled (answered) calls.
        func wrapUp(_ c: CallRecord) -> Int { c.answeredAt == nil ? 0 : max(0, c.wrapUpSeconds ?? 0) }

        var dayRows: [String: DayRow] = [:]
        var agentRows: [String: AgentRow] = [:]
        var dispositions: [String: Int] = [:]
        for c in calls {
            let key = "\(day(c.startedAt))\u{0}\(agent(c))\u{0}\(c.callType.rawValue)"
            var d = dayRows[key] ?? DayRow(day: day(c.startedAt), agent: agent(c), direction: c.callType.rawValue)
            var a = agentRows[agent(c)] ?? AgentRow(agent: agent(c))
            d.calls += 1
            switch c.callType {
            case .inbound: a.inbound += 1
            case .outbound: a.outbound += 1
            case .internal: a.internal += 1
            }
            if c.answeredAt != nil {
                d.answered += 1
                a.answered += 1
            }
            d.talkSeconds += talk(c)
            d.holdSeconds += c.holdSeconds
            d.wrapUpSeconds += wrapUp(c)
            a.talkSeconds += talk(c)
            a.holdSeconds += c.holdSeconds
            a.wrapUpSeconds += wrapUp(c)
            dayRows[key] = d
            agentRows[agent(c)] = a
            let disposition = c.disposition.flatMap { $0.isEmpty ? nil : $0 } ?? "(none)"
            dispositions[disposition, default: 0] += 1
        }
        func aht(_ talk: Int, _ hold: Int, _ wrapUp: Int, _ answered: Int) -> Double? {
            answered > 0 ? Double(talk + hold + wrapUp) / Double(answered) : nil
        }
        for (k, d) in dayRows { dayRows[k]?.averageHandleSeconds = aht(d.talkSeconds, d.holdSeconds, d.wrapUpSeconds, d.answered) }
        for (k, a) in agentRows { agentRows[k]?.averageHandleSeconds = aht(a.talkSeconds, a.holdSeconds, a.wrapUpSeconds, a.answered) }
        for (agentId, seconds) in activity(presence, options: o) {
            var a = agentRows[agentId] ?? AgentRow(agent: agentId)
            a.activitySeconds = seconds
            agentRows[agentId] = a
        }

        // Service level per interval: the recorded queue feed, else the agent's own inbound calls.
        let feed = queue.filter { $0.at >= o.since && $0.at < o.until.addingTimeInterval(o.queueSettings.staleWait) }
        let source = feed.isEmpty ? "calls" : "queue"
        var grid = QueueIntervals(settings: o.queueSettings, length: 900, timeZone: o.timeZone)
        for event in feed.isEmpty ? queueEvents(from: calls) : feed.sorted(by: { $0.at < $1.at }) { grid.apply(event) }
        let intervals = grid.series(through: o.until.addingTimeInterval(-1), length: o.interval)
            .filter { $0.start >= grid.intervalStart(o.since) && $0.start < o.until }
            .map { f in
                IntervalRow(start: f.start, offered: f.arrived, answered: f.answered, answeredWithinThreshold: f.answeredWithinThreshold,
                            abandoned: f.abandoned, shortAbandoned: f.shortAbandoned, serviceLevel: f.serviceLevel, abandonRate: f.abandonRate,
                            averageSpeedOfAnswer: f.averageSpeedOfAnswer)
            }
        let answeredCalls = calls.filter { $0.answeredAt != nil }.count
        let talkTotal = calls.map(talk).reduce(0, +), holdTotal = calls.map(\.holdSeconds).reduce(0, +)
        let wrapUpTotal = calls.map(wrapUp).reduce(0, +)
        let withoutWrapUp = calls.filter { $0.answeredAt != nil && $0.wrapUpSeconds == nil }.count
        let slAnswered = intervals.map(\.answered).reduce(0, +), slWithin = intervals.map(\.answeredWithinThreshold).reduce(0, +)
        let abandoned = intervals.map(\.abandoned).reduce(0, +)
        return CallReport(
            since: o.since, until: o.until, intervalMinutes: Int(o.interval / 60),
            serviceLevelThreshold: o.queueSettings.serviceLevelThreshold, shortAbandonThreshold: o.queueSettings.shortAbandonThreshold,
            intervalSource: source,
            days: dayRows.values.sorted { ($0.day, $0.agent, $0.direction) < ($1.day, $1.agent, $1.direction) },
            agents: agentRows.values.sorted { $0.agent < $1.agent },
            dispositions: dispositions.map { DispositionRow(disposition: $0.key, calls: $0.value) }
                .sorted { $0.calls != $1.calls ? $0.calls > $1.calls : $0.disposition < $1.disposition },
            intervals: intervals, calls: calls.count, answered: answeredCalls, talkSeconds: talkTotal, holdSeconds: holdTotal,
            wrapUpSeconds: wrapUpTotal, answeredWithoutWrapUp: withoutWrapUp,
            averageHandleSeconds: aht(talkTotal, holdTotal, wrapUpTotal, answeredCalls),
            serviceLevel: slAnswered > 0 ? Double(slWithin) * 100 / Double(slAnswered) : nil,
            abandonRate: slAnswered + abandoned > 0 ? Double(abandoned) * 100 / Double(slAnswered + abandoned) : nil)
    }

    /// Queue events an agent's own inbound calls imply: offered at the ring, answered, or abandoned at the end
    /// when nobody answered.
    static func queueEvents(from calls: [CallRecord]) -> [QueueEvent] {
        var events: [QueueEvent] = []
        for c in calls where c.callType == .inbound {
            events.append(.arrived(callId: c.callObject, at: c.startedAt))
            if let answered = c.answeredAt {
                events.append(.answered(callId: c.callObject, at: answered))
            } else {
                events.append(.abandoned(callId: c.callObject, at: c.endedAt))
            }
        }
        return events.sorted { $0.at < $1.at }
    }

    /// Seconds per category and call activity per agent, from observed presence clipped to the range: each
    /// observation holds until the agent's next one (the last until `min(until, now)`).
    static func activity(_ observed: [ObservedPresence], options o: CallReportOptions) -> [String: [String: Int]] {
        let end = min(o.until, o.now)
        var result: [String: [String: Double]] = [:]
        for (agentId, list) in Dictionary(grouping: observed, by: \.presence.agentId) {
            let sorted = list.sorted { $0.at < $1.at }
            for (i, item) in sorted.enumerated() {
                let from = max(o.since, item.at)
                let to = min(end, i + 1 < sorted.count ? sorted[i + 1].at : end)
                guard to > from else { continue }
                let seconds = to.timeIntervalSince(from)
                var names = o.mapping.categories(state: item.presence.state, reason: item.presence.reason).map(\.rawValue)
                if let activity = CallActivity(item.presence) { names.append(activity.rawValue) }
                for name in names { result[agentId, default: [:]][name, default: 0] += seconds }
            }
        }
        return result.mapValues { $0.mapValues { Int($0.rounded()) } }
    }
}
