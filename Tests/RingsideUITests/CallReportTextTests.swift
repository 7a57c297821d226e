import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

private let utc = TimeZone(identifier: "UTC")!

@Suite("Report text")
struct CallReportTextTests {
    private var report: CallReport {
        var calls = ReportFixtures.calls
        calls[2].ownerId = "005A\u{1B}[2J"   // a hostile agent id must not reach the terminal
        return CallReport.build(calls: calls, presence: ReportFixtures.presence,
                                options: CallReportOptions(since: ReportFixtures.day, until: ReportFixtures.at(0, day: 2), timeZone: utc,
                                                           now: ReportFixtures.at(0, day: 2)))
    }

    @Test func aTerminalGetsBarsAndTheServiceLevelSparkline() {
        let text = CallReportText(timeZone: utc, charts: true).render(report)
        // The busiest row has the full 20-cell bar; "Resolved" (3 calls) is the top disposition.
        #expect(text.contains(String(repeating: "█", count: 20)))
        #expect(text.range(of: #"Resolved +3  █{20}"#, options: .regularExpression) != nil)
        // 09:00 50% → ▅ (rounded to level 4 of 0…7), 09:30 nothing answered → ·.
        #expect(text.contains("  SL ▅·"))
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("Ready") && text.contains("Wrap-up"))
    }

    @Test func plainTablesHaveNoCharts() {
        let text = CallReportText(timeZone: utc, charts: false).render(report)
        #expect(!text.contains("█") && !text.contains("▁ 0%"))
        #expect(text.contains("  20 Jun 2024 at 9:00        3         2      1   50%          0             1         0%  0:20"))
    }

    @Test func anEmptyRangeSaysWhatToDo() {
        let empty = CallReport.build(calls: [], options: CallReportOptions(since: ReportFixtures.day, until: ReportFixtures.at(1), timeZone: utc,
                                                                           now: ReportFixtures.at(1)))
        #expect(CallReportText(timeZone: utc, charts: true).render(empty).contains("No calls in this range. Widen it with --since/--until"))
    }
}
