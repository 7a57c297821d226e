import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

@Suite("History query")
struct HistoryQueryTests {
    let london = TimeZone(identifier: "Europe/London")!
    // 2024-06-20 15:11:36 UTC = 16:11:36 in London (BST).
    var now: Date { Fixtures.t0 }

    @Test func relativeAndNamedTimes() throws {
        #expect(try HistoryQuery.time("2h", now: now, timeZone: london) == now.addingTimeInterval(-7200))
        #expect(try HistoryQuery.time("15m ago", now: now, timeZone: london) == now.addingTimeInterval(-900))
        #expect(try HistoryQuery.time("1w", now: now, timeZone: london) == now.addingTimeInterval(-7 * 86400))
        #expect(try HistoryQuery.time("now", now: now, timeZone: london) == now)
        // Midnight in London (BST, UTC+1) is 23:00 UTC the day before.
        let today = try HistoryQuery.time("today", now: now, timeZone: london)
        #expect(ISO8601.string(today) == "2024-06-19T23:00:00Z")
        #expect(try HistoryQuery.time("Yesterday", now: now, timeZone: london) == today.addingTimeInterval(-86400))
        #expect(try HistoryQuery.time("today", now: now, timeZone: london, endOfDay: true) == today.addingTimeInterval(86400))
    }

    @Test func absoluteTimesAreInTheAgentsZone() throws {
        let day = try HistoryQuery.time("2024-06-01", now: now, timeZone: london)
        #expect(ISO8601.string(day) == "2024-05-31T23:00:00Z")
        #expect(try HistoryQuery.time("2024-06-01", now: now, timeZone: london, endOfDay: true) == day.addingTimeInterval(86400))
        #expect(ISO8601.string(try HistoryQuery.time("2024-06-01 14:30", now: now, timeZone: london)) == "2024-06-01T13:30:00Z")
        #expect(ISO8601.string(try HistoryQuery.time("2024-06-01T14:30:05Z", now: now, timeZone: london)) == "2024-06-01T14:30:05Z")
    }

    @Test func unreadableTimesSayWhatIsAccepted() {
        for junk in ["", "soon", "2h30", "-2h", "2024-13-45", "\u{1B}[31m2h"] {
            #expect(throws: HistoryQuery.ParseError.self) { try HistoryQuery.time(junk, now: now, timeZone: london) }
        }
        do {
            _ = try HistoryQuery.time("soon\u{1B}[2J", now: now, timeZone: london)
        } catch {
            #expect(error.description.contains("2026-12-01"))
            #expect(!error.description.contains("\u{1B}"))
        }
    }

    @Test func filtersCombine() {
        var record = ConsoleFixtures.finishedRecord(notes: "Wants a REFUND\nsecond line", at: now)
        #expect(HistoryQuery().matches(record))
        #expect(HistoryQuery(since: now.addingTimeInterval(-1), until: now.addingTimeInterval(1)).matches(record))
        #expect(!HistoryQuery(since: now.addingTimeInterval(1)).matches(record))
        #expect(!HistoryQuery(until: now).matches(record), "until is exclusive")
        #expect(HistoryQuery(e164: Fixtures.fredE164).matches(record))
        #expect(!HistoryQuery(e164: "+442079460018").matches(record))
        #expect(HistoryQuery(text: "refund").matches(record))
        #expect(HistoryQuery(text: "bloggs").matches(record), "the name is searched")
        #expect(HistoryQuery(text: "resolved").matches(record), "the disposition is searched")
        #expect(!HistoryQuery(text: "invoice").matches(record))
        record.remoteName = "Zoë"
        #expect(HistoryQuery(text: "zoe").matches(record))
        #expect(!HistoryQuery(e164: Fixtures.fredE164, text: "invoice").matches(record))
    }
}
