import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let utc = TimeZone(identifier: "UTC")!
private typealias F = ReportFixtures

/// `ringside report`'s figures against hand-computed expectations on `ReportFixtures` (issue 17).
@Suite("Call report")
struct CallReportTests {
    private func report(interval: TimeInterval = 1800, queue: [QueueEvent] = [], presence: [ObservedPresence] = F.presence) -> CallReport {
        CallReport.build(calls: F.calls, queue: queue, presence: presence,
                         options: CallReportOptions(since: F.day, until: F.at(0, day: 2), interval: interval, timeZone: utc, now: F.at(12, day: 2)))
    }

    @Test func totalsTalkHoldWrapUpAndAHT() {
        let r = report()
        // c0 started the day before: excluded. Answered: c1, c2, c5, c6.
        #expect(r.calls == 6 && r.answered == 4)
        // Talk = duration − hold: c1 300−60, c2 120, c5 300−30, c6 60.
        #expect(r.talkSeconds == 240 + 120 + 270 + 60 && r.holdSeconds == 90)
        // Wrap-up of answered calls: c1 60, c5 40, c6 20 (c2 none recorded; c3's 15 s followed an unanswered call).
        #expect(r.wrapUpSeconds == 60 + 40 + 20)
        #expect(r.answeredWithoutWrapUp == 1)
        // AHT = (talk + hold + wrap-up) ÷ handled calls = (690 + 90 + 120) / 4.
        #expect(r.averageHandleSeconds == Double(690 + 90 + 120) / 4)
    }

    @Test func perDayAgentAndDirection() {
        let rows = report().days.map { [$0.day, $0.agent, $0.direction, "\($0.calls)", "\($0.answered)", "\($0.talkSeconds)", "\($0.holdSeconds)",
                                        "\($0.wrapUpSeconds)", $0.averageHandleSeconds.map { "\($0)" } ?? "-"] }
        // AHT: (360 + 60 + 60) / 2; none answered; (270 + 30 + 40) / 1; (60 + 0 + 20) / 1.
        #expect(rows == [
            ["2024-06-20", "005A", "Inbound", "2", "2", "360", "60", "60", "240.0"],
            ["2024-06-20", "005B", "Inbound", "2", "0", "0", "0", "0", "-"],
            ["2024-06-20", "005B", "Outbound", "1", "1", "270", "30", "40", "340.0"],
            ["2024-06-21", "005A", "Inbound", "1", "1", "60", "0", "20", "80.0"],
        ])
    }

    @Test func perAgentWithTimePerCategoryFromRecordedPresence() throws {
        let r = report()
        let a = try #require(r.agents.first { $0.agent == "005A" })
        #expect(a.inbound == 3 && a.outbound == 0 && a.answered == 3 && a.talkSeconds == 420 && a.holdSeconds == 60)
        #expect(a.wrapUpSeconds == 80)
        #expect(a.averageHandleSeconds == Double(420 + 60 + 80) / 3)
        // Ready from the range start (held since the day before) to 09:00:10, on call to 09:05:10 (Ready = Ready; On call).
        #expect(a.activitySeconds["Idle"] == 9 * 3600 + 10)
        #expect(a.activitySeconds["Ready"] == 9 * 3600 + 10 + 300)
        #expect(a.activitySeconds["Talk"] == 110 + 130 && a.activitySeconds["Hold"] == 60)
        #expect(a.activitySeconds["Wrap-up"] == 60 && a.activitySeconds["Admin"] == 60)
        #expect(a.activitySeconds["Not ready"] == 3600)
        let b = try #require(r.agents.first { $0.agent == "005B" })
        #expect(b.inbound == 2 && b.outbound == 1 && b.answered == 1 && b.averageHandleSeconds == 340 && b.activitySeconds.isEmpty)
    }

    @Test func dispositionsMostFirst() {
        #expect(report().dispositions.map { "\($0.disposition)=\($0.calls)" } == ["Resolved=3", "(none)=1", "Follow-up needed=1", "No answer=1"])
    }

    @Test func intervalsFromOwnInboundCalls() throws {
        let r = report()
        #expect(r.intervalSource == "calls" && r.intervalMinutes == 30)
        let nine = try #require(r.intervals.first)
        // c1 answered in 10 s (within), c2 in 30 s (not), c3 hung up after 3 s (short abandon).
        #expect(nine.start == F.at(9) && nine.offered == 3 && nine.answered == 2 && nine.answeredWithinThreshold == 1)
        #expect(nine.shortAbandoned == 1 && nine.abandoned == 0 && nine.serviceLevel == 50 && nine.abandonRate == 0 && nine.averageSpeedOfAnswer == 20)
        let half = try #require(r.intervals.first { $0.start == F.at(9, 30) })
        #expect(half.offered == 1 && half.abandoned == 1 && half.serviceLevel == nil && half.abandonRate == 100)
        let next = try #require(r.intervals.first { $0.start == F.at(8, day: 1) })
        #expect(next.answered == 1 && next.serviceLevel == 100)
        // Every interval of the range from the first call on: 09:00 on the 20th to 23:30 on the 21st.
        #expect(r.intervals.count == 30 + 48 && r.intervals.last?.start == F.at(23, 30, day: 1))
        // Overall: 2 of 3 answered within 20 s; 1 abandon of 3 answered + 1 abandoned.
        #expect(abs((r.serviceLevel ?? 0) - 200.0 / 3) < 1e-9 && r.abandonRate == 25)
        // Fifteen-minute intervals split 09:00–09:30.
        let fine = report(interval: 900)
        #expect(fine.intervals.prefix(3).map(\.offered) == [2, 1, 1])
    }

    @Test func intervalsFromARecordedQueueFeedWinOverOwnCalls() {
        let queue: [QueueEvent] = [
            .arrived(callId: "q1", at: F.at(10)), .answered(callId: "q1", at: F.at(10, 0, 20)),
            .arrived(callId: "q2", at: F.at(10, 1)), .abandoned(callId: "q2", at: F.at(10, 1, 6)),
        ]
        let r = report(queue: queue)
        #expect(r.intervalSource == "queue")
        #expect(r.intervals.first?.start == F.at(10) && r.intervals.first?.answeredWithinThreshold == 1 && r.intervals.first?.abandoned == 1)
        #expect(r.serviceLevel == 100 && r.abandonRate == 50)
    }

    @Test func csvIsTheWFMIntervalShapeAndSafe() {
        let csv = report().csv(.intervals)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "interval_start,interval_minutes,offered,answered,answered_within_20s,abandoned,short_abandoned_within_5s,service_level_pct,abandon_rate_pct,asa_seconds")
        #expect(lines[1] == "2024-06-20T09:00:00Z,30,3,2,1,0,1,50.0,0.0,20")
        #expect(lines[2] == "2024-06-20T09:30:00Z,30,1,0,0,1,0,,100.0,")
        var hostile = F.calls
        hostile[1].disposition = "=HYPERLINK(\"x\"),\nnext"
        let r = CallReport.build(calls: hostile, options: CallReportOptions(since: F.day, until: F.at(0, day: 2), timeZone: utc, now: F.at(0, day: 2)))
        #expect(r.csv(.dispositions).contains("\"'=HYPERLINK(\"\"x\"\"),\nnext\""))
    }

    @Test func emptyRangeIsEmpty() {
        let r = CallReport.build(calls: F.calls, options: CallReportOptions(since: F.at(0, day: 5), until: F.at(0, day: 6), timeZone: utc, now: F.at(0, day: 6)))
        #expect(r.calls == 0 && r.days.isEmpty && r.intervals.isEmpty && r.serviceLevel == nil && r.averageHandleSeconds == nil)
    }
}
