import Foundation
import RingsideCore

/// A simulated team and queue: N agents take queued inbound calls, make some outbound ones, wrap up,
/// take breaks and log in late, driven by a seeded random generator so a seed always plays the same day.
///
/// Pure apart from the passage of time, which is passed in: `advance(to:)` runs every event due by then
/// and returns the presence changes and queue events it produced. `nextEventTime` says when to call again.
public struct TeamSimulator: Sendable {
    /// Rates and durations (seconds).
    public struct Settings: Hashable, Sendable {
        public var agents: Int
        public var seed: UInt64
        public var tenant: String
        /// Inbound calls per agent per hour.
        public var callsPerAgentHour: Double
        public var meanTalk: Double
        public var meanWrapUp: Double
        /// Mean caller patience before abandoning.
        public var meanPatience: Double
        /// Chance that an agent takes a break after wrap-up.
        public var breakChance: Double
        /// Chance that an idle ready agent dials out after wrap-up.
        public var outboundChance: Double
        /// Share of agents that start offline and log in during the first 10 minutes.
        public var lateShare: Double

        public init(agents: Int, seed: UInt64 = 2026, tenant: String = "default", callsPerAgentHour: Double = 12, meanTalk: Double = 150,
                    meanWrapUp: Double = 25, meanPatience: Double = 45, breakChance: Double = 0.08, outboundChance: Double = 0.1,
                    lateShare: Double = 0.05) {
            self.agents = agents
            self.seed = seed
            self.tenant = tenant
            self.callsPerAgentHour = callsPerAgentHour
            self.meanTalk = meanTalk
            self.meanWrapUp = meanWrapUp
            self.meanPatience = meanPatience
            self.breakChance = breakChance
            self.outboundChance = outboundChance
            self.lateShare = lateShare
        }
    }

    /// What one step produced.
    public enum Output: Hashable, Sendable {
        case presence(AgentPresence)
        case queue(QueueEvent)
    }

    enum Event: Hashable, Sendable {
        case arrival
        case abandon(callId: String)
        case callEnds(agent: Int)
        case wrapUpEnds(agent: Int)
        case breakEnds(agent: Int)
        case logIn(agent: Int)
    }

    struct Scheduled: Hashable, Sendable {
        var at: Date
        var order: Int
        var event: Event
    }

    struct Waiting: Hashable, Sendable {
        var id: String
        var arrivedAt: Date
        var number: String
        var name: String?
    }

    public let settings: Settings
    /// Every agent's current state, by index.
    public private(set) var agents: [AgentPresence]
    private var rng: SplitMix64
    private var schedule: [Scheduled] = []
    private var queue: [Waiting] = []
    private var handleStart: [Int: (callId: String, answeredAt: Date, inbound: Bool)] = [:]
    private var lastFree: [Int: Date] = [:]
    private var sequence = 0
    private var callCounter = 0
    private(set) var now: Date

    public init(settings: Settings, start: Date) {
        self.settings = settings
        self.now = start
        self.rng = SplitMix64(seed: settings.seed)
        self.agents = (0..<max(0, settings.agents)).map { i in
            AgentPresence(agentId: String(format: "agent-%04d", i + 1), name: Self.agentName(i), state: .ready, since: start, sentAt: start)
        }
        for i in agents.indices {
            lastFree[i] = start
            if rng.chance(settings.lateShare) {
                agents[i].state = .offline
                schedule(.logIn(agent: i), after: rng.uniform(30, 600))
            } else if rng.chance(0.1) {
                agents[i].state = .notReady
                agents[i].reason = Self.breakReasons[rng.index(Self.breakReasons.count)]
                schedule(.breakEnds(agent: i), after: rng.uniform(60, 900))
            }
        }
        if settings.agents > 0 { scheduleNextArrival() }
    }

    /// Every agent's state now (publish these first).
    public var presences: [AgentPresence] { agents }

    /// When the next event is due (nil with no agents).
    public var nextEventTime: Date? { schedule.min { ($0.at, $0.order) < ($1.at, $1.order) }?.at }

    /// Calls waiting now.
    public var waitingCalls: Int { queue.count }

    /// Runs every event due at or before `time`, in order.
    public mutating func advance(to time: Date) -> [Output] {
        var out: [Output] = []
        while let i = schedule.indices.min(by: { (schedule[$0].at, schedule[$0].order) < (schedule[$1].at, schedule[$1].order) }),
              schedule[i].at <= time {
            let item = schedule.remove(at: i)
            now = item.at
            handle(item.event, into: &out)
        }
        now = max(now, time)
        return out
    }

    // MARK: Events

    private mutating func handle(_ event: Event, into out: inout [Output]) {
        switch event {
        case .arrival:
            callCounter += 1
            let id = "q\(settings.seed)-\(callCounter)"
            let call = Waiting(id: id, arrivedAt: now, number: Self.number(&rng), name: rng.chance(0.6) ? Self.customer(&rng) : nil)
            queue.append(call)
            out.append(.queue(.arrived(callId: id, at: now)))
            let patience = rng.exponential(mean: settings.meanPatience)
            schedule(.abandon(callId: id), after: patience)
            scheduleNextArrival()
            dispatch(into: &out)
        case .abandon(let id):
            guard let index = queue.firstIndex(where: { $0.id == id }) else { return }
            queue.remove(at: index)
            out.append(.queue(.abandoned(callId: id, at: now)))
        case .callEnds(let agent):
            set(agent, .wrapUp, into: &out, keepCall: true)
            schedule(.wrapUpEnds(agent: agent), after: max(3, rng.exponential(mean: settings.meanWrapUp)))
        case .wrapUpEnds(let agent):
            if let handled = handleStart.removeValue(forKey: agent), handled.inbound {
                out.append(.queue(.completed(callId: handled.callId, at: now, handleSeconds: now.timeIntervalSince(handled.answeredAt))))
            }
            if rng.chance(settings.breakChance) {
                set(agent, .notReady, reason: Self.breakReasons[rng.index(Self.breakReasons.count)], into: &out)
                schedule(.breakEnds(agent: agent), after: rng.uniform(120, 900))
            } else if queue.isEmpty && rng.chance(settings.outboundChance) {
                callCounter += 1
                let name = rng.chance(0.8) ? Self.customer(&rng) : nil
                let call = PresenceCall(direction: .outbound, number: Self.number(&rng), matchedName: name, startedAt: now, answeredAt: now.addingTimeInterval(5))
                set(agent, .onCall, call: call, into: &out)
                handleStart[agent] = ("o\(settings.seed)-\(callCounter)", now, false)
                schedule(.callEnds(agent: agent), after: max(10, rng.exponential(mean: settings.meanTalk * 0.6)))
            } else {
                set(agent, .ready, into: &out)
                lastFree[agent] = now
                dispatch(into: &out)
            }
        case .breakEnds(let agent), .logIn(let agent):
            set(agent, .ready, into: &out)
            lastFree[agent] = now
            dispatch(into: &out)
        }
    }

    /// Gives waiting calls to ready agents, longest-idle agent first.
    private mutating func dispatch(into out: inout [Output]) {
        while !queue.isEmpty {
            let ready = agents.indices.filter { agents[$0].state == .ready }
            guard let agent = ready.min(by: { (lastFree[$0] ?? now, $0) < (lastFree[$1] ?? now, $1) }) else { return }
            let call = queue.removeFirst()
            out.append(.queue(.answered(callId: call.id, at: now)))
            let presenceCall = PresenceCall(direction: .inbound, number: call.number, matchedName: call.name, startedAt: call.arrivedAt, answeredAt: now)
            set(agent, .onCall, call: presenceCall, into: &out)
            handleStart[agent] = (call.id, now, true)
            schedule(.callEnds(agent: agent), after: max(8, rng.exponential(mean: settings.meanTalk)))
        }
    }

    private mutating func set(_ agent: Int, _ state: PresenceState, reason: String? = nil, call: PresenceCall? = nil,
                              into out: inout [Output], keepCall: Bool = false) {
        var p = agents[agent]
        p.state = state
        p.reason = reason
        p.since = now
        p.sentAt = now
        p.call = keepCall ? p.call : call
        agents[agent] = p
        out.append(.presence(p))
    }

    private mutating func schedule(_ event: Event, after seconds: Double) {
        sequence += 1
        schedule.append(Scheduled(at: now.addingTimeInterval(seconds), order: sequence, event: event))
    }

    private mutating func scheduleNextArrival() {
        let perSecond = Double(settings.agents) * settings.callsPerAgentHour / 3600
        guard perSecond > 0 else { return }
        schedule(.arrival, after: rng.exponential(mean: 1 / perSecond))
    }

    // MARK: Names and numbers

    static let breakReasons = ["Break", "Lunch", "Training", "Admin"]
    static let firstNames = ["Amelia", "Oliver", "Priya", "Jack", "Chloé", "Mohammed", "Sofia", "Liam", "Zoë", "Noah", "Aoife", "Kwame",
                             "Isla", "Mateo", "Freya", "Yusuf", "Hannah", "Ravi", "Grace", "Tomás"]
    static let lastNames = ["Hughes", "Patel", "O'Brien", "Nowak", "Okafor", "Fernández", "Smith", "Jones", "Ångström", "MacLeod",
                            "Khan", "Dubois", "Evans", "Murphy", "Rossi", "Walker"]
    static let customers = ["Fred Bloggs", "Bloggs Ltd", "Acme Widgets", "Mrs Jane Doe", "Northwind Traders", "Contoso Plc",
                            "Dr Ada Lovelace", "佐藤 花子", "Ørsted Energy", "Café Müller"]

    /// Unique for the first 320 agents; a wide-character name is always on the first screen.
    static func agentName(_ i: Int) -> String {
        if i == 2 { return "山田 太郎" }
        return "\(firstNames[i % firstNames.count]) \(lastNames[(i / firstNames.count + i) % lastNames.count])"
    }

    static func customer(_ rng: inout SplitMix64) -> String { customers[rng.index(customers.count)] }

    static func number(_ rng: inout SplitMix64) -> String {
        let prefix = 7000 + rng.index(1000)
        let rest = 100_000 + rng.index(900_000)
        return "0\(prefix) \(rest)"
    }
}
