import Foundation
import RingsideCore

/// A seeded call history for `ringside report` tests, with hand-computed expectations in the tests
/// (2024-06-20 and -21, UTC; agents 005A and 005B).
public enum ReportFixtures {
    /// 2024-06-20 00:00:00 UTC.
    public static let day = Date(timeIntervalSince1970: 1_718_841_600)
    public static func at(_ hours: Double, _ minutes: Double = 0, _ seconds: Double = 0, day offset: Double = 0) -> Date {
        day.addingTimeInterval(offset * 86_400 + hours * 3600 + minutes * 60 + seconds)
    }

    public static func call(_ id: String, _ type: CallType, agent: String, start: Date, answer: TimeInterval?, end: TimeInterval,
                            hold: Int = 0, disposition: String? = nil, wrapUp: Int? = nil) -> CallRecord {
        let answeredAt = answer.map { start.addingTimeInterval($0) }
        let endedAt = start.addingTimeInterval(end)
        let duration = answeredAt.map { Int(endedAt.timeIntervalSince($0)) } ?? 0
        let direction: CallDirection = type == .outbound ? .outbound : .inbound
        return CallRecord(callObject: id, callType: type, direction: direction, remote: "07814 256404", e164: "+447814256404",
                          remoteName: nil, startedAt: start, answeredAt: answeredAt, endedAt: endedAt, durationSeconds: duration,
                          holdSeconds: hold, endReason: "hung up", subject: "\(type.rawValue) call", description: "", activityDate: "2024-06-20",
                          ownerId: agent, disposition: disposition, notes: "", who: nil, what: nil, associationRule: .noMatch,
                          associationNote: nil, timeZone: "UTC", delivery: .local, wrapUpSeconds: wrapUp)
    }

    /// Seven calls; the first starts before the report range. Wrap-up: c1 60 s, c3 15 s (unanswered: not handle
    /// time), c5 40 s, c6 20 s; c2 has none recorded (a record saved before wrap-up time was kept).
    public static let calls: [CallRecord] = [
        call("c0", .inbound, agent: "005A", start: at(23, 59, day: -1), answer: 5, end: 65, disposition: "Resolved"),
        call("c1", .inbound, agent: "005A", start: at(9), answer: 10, end: 310, hold: 60, disposition: "Resolved", wrapUp: 60),
        call("c2", .inbound, agent: "005A", start: at(9, 10), answer: 30, end: 150, disposition: "Resolved"),
        call("c3", .inbound, agent: "005B", start: at(9, 20), answer: nil, end: 3, wrapUp: 15),
        call("c4", .inbound, agent: "005B", start: at(9, 40), answer: nil, end: 45, disposition: "No answer"),
        call("c5", .outbound, agent: "005B", start: at(9, 45), answer: 20, end: 320, hold: 30, disposition: "Follow-up needed", wrapUp: 40),
        call("c6", .inbound, agent: "005A", start: at(8, day: 1), answer: 5, end: 65, disposition: "Resolved", wrapUp: 20),
    ]

    /// Agent 005A's states as a wallboard observed them (the first before the range).
    public static let presence: [ObservedPresence] = {
        func p(_ when: Date, _ state: PresenceState, reason: String? = nil, answered: Date? = nil, held: Date? = nil) -> ObservedPresence {
            let call = state == .onCall ? PresenceCall(direction: .inbound, number: "07814 256404", startedAt: at(9), answeredAt: answered, heldSince: held) : nil
            return ObservedPresence(at: when, presence: AgentPresence(agentId: "005A", name: "Ann", state: state, reason: reason, since: when, call: call))
        }
        return [
            p(at(23, day: -1), .ready),
            p(at(9, 0, 10), .onCall, answered: at(9, 0, 10)),
            p(at(9, 2), .onCall, answered: at(9, 0, 10), held: at(9, 2)),
            p(at(9, 3), .onCall, answered: at(9, 0, 10)),
            p(at(9, 5, 10), .wrapUp),
            p(at(9, 6, 10), .notReady, reason: "Lunch"),
            p(at(10, 6, 10), .offline),
        ]
    }()
}
