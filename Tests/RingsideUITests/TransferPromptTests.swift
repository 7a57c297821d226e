import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

/// Issue 18: the transfer prompt edits like the dial and find fields (LineEditor).
@Suite("Transfer prompt: a real line editor")
struct TransferPromptTests {
    func prompt(_ typed: String) -> Harness {
        var h = Harness(ConsoleFixtures.connected())
        h.keys(.char("t"))
        _ = h.type(typed)
        return h
    }

    func text(_ h: Harness) -> String? {
        if case .transfer(let prompt) = h.state.modal { return prompt.text }
        return nil
    }

    @Test func cursorMovesAndInsertsInTheMiddle() {
        var h = prompt("2001")
        h.keys(.left, .left)
        _ = h.type("5")
        #expect(text(h) == "20501")
        h.keys(.home)
        _ = h.type("9")
        #expect(text(h) == "920501")
        h.keys(.end)
        _ = h.type("7")
        #expect(text(h) == "9205017")
    }

    @Test func deleteRemovesUnderTheCursorNotBefore() {
        var h = prompt("2001")
        h.keys(.home, .delete)
        #expect(text(h) == "001")
        h.keys(.end, .backspace)
        #expect(text(h) == "00")
    }

    @Test func killLineAndUndo() {
        var h = prompt("07700 900123")
        h.keys(.home, .wordRight, .ctrl("k"))
        #expect(text(h) == "07700")
        h.keys(.ctrl("_"))
        #expect(text(h) == "07700 900123")
        h.keys(.end, .ctrl("u"))
        #expect(text(h) == "")
    }

    @Test func thePromptShowsTheCursorWhereItIs() {
        var h = prompt("2001")
        let end = h.screen().cursor
        h.keys(.left, .left)
        let moved = h.screen().cursor
        #expect(end != nil && moved != nil)
        #expect(moved?.x == (end?.x ?? 0) - 2)
        #expect(moved?.y == end?.y)
    }

    @Test func enterTransfersToTheEditedText() {
        var h = prompt("2091")
        h.keys(.left, .backspace)
        _ = h.type("0")
        #expect(h.keys(.enter) == [.agent(.transfer(to: "2001"))])
    }

    @Test func pickingFromTheListReplacesTheTextAndEditingKeepsIt() {
        var h = prompt("")
        h.keys(.down)
        let entry = ConsoleFixtures.numberEntries()[0]
        #expect(text(h) == entry.raw)
        h.keys(.end, .backspace)
        #expect(text(h) == String(entry.raw.dropLast()))
        if case .transfer(let prompt) = h.state.modal { #expect(prompt.pick == -1) }
    }

    @Test func pasteGoesInAtTheCursor() {
        var h = prompt("2001")
        h.keys(.home)
        h.send(.paste("+44 \u{1B}[31m"))
        #expect(text(h) == "+44 [31m2001")
    }
}
