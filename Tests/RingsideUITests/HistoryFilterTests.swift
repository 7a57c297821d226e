import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

@Suite struct HistoryFilterTests {
    @Test func slashInHistoryFiltersByNameNumberDispositionAndNotes() throws {
        var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        h.keys(.char("H"), .char("/"))
        #expect(h.state.editing == .historyFilter)
        _ = h.type("follow")
        #expect(h.state.historyRecords(h.snapshot).count == 1)
        #expect(h.screen().text.contains("History (1 of 3) filter: follow"))
        // Digits match the number whatever its punctuation.
        h.keys(.ctrl("u"))
        _ = h.type("01614960000")
        let byNumber = h.state.historyRecords(h.snapshot)
        #expect(byNumber.count == 1)
        #expect(byNumber.first?.remote == "0161 496 0000")
        // Enter keeps the filter; Enter on the row opens the filtered row's record.
        h.keys(.enter, .enter)
        guard case .historyDetail(let index, _) = h.state.modal else {
            Issue.record("no detail opened")
            return
        }
        #expect(h.state.historyRecords(h.snapshot)[index].remote == "0161 496 0000")
        h.keys(.escape)
        // Esc in the filter clears it.
        h.keys(.char("/"), .escape)
        #expect(h.state.historyRecords(h.snapshot).count == 3)
    }

    @Test func matchingIsCaseAndAccentInsensitiveAndNeedsEveryWord() {
        let record = ConsoleFixtures.history()[1]
        #expect(HistoryFilter.matches(record, "FOLLOW-UP"))
        #expect(HistoryFilter.matches(record, "follow 7946"))
        #expect(!HistoryFilter.matches(record, "follow nobody"))
        #expect(HistoryFilter.matches(record, ""))
    }
}

@Suite struct HelpBoxSizeTests {
    @Test func helpUsesTheWidthOfAWideScreenAndFitsANarrowOne() {
        var h = Harness(ConsoleFixtures.connected(popped: true))
        h.keys(.char("?"))
        let wide = h.screen(TermSize(width: 200, height: 50))
        // On a wide screen no explanation is cut.
        #expect(!wide.text.split(separator: "\n").contains { $0.contains("│") && $0.contains("…") && $0.contains(":") && $0.contains("Open") })
        #expect(wide.text.contains("Open the record in the browser (Salesforce mode; $BROWSER or xdg-open)"))
        let narrow = h.screen(TermSize(width: 80, height: 24))
        #expect(narrow.text.split(separator: "\n").allSatisfy { DisplayWidth.of($0) <= 80 })
    }
}
