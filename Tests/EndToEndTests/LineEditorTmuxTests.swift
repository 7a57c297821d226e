import Foundation
import RingsideTestSupport
import Testing

/// Issue 18: notes edit like a line editor in a real terminal (tmux sends the keys a terminal sends:
/// `Left`, `Home`, `DC` for Delete, `C-Left`/`M-b` for words, `C-k`, `C-w`, `C-_` for undo).
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct LineEditorTmuxTests {
    func wrapUp(_ name: String, width: Int = 80, height: Int = 24) throws -> Tmux {
        let t = try Tmux(name, width: width, height: height)
        try t.waitFor("Ringside · Agent console")
        try t.waitFor("Phone connected")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("a")
        try t.waitFor("Connected 0:0")
        try t.keys("x")
        try t.waitFor("Wrap-up")
        try t.keys("w")
        try t.waitFor("typing")
        return t
    }


    @Test func typingAndEditingNotesWithTerminalKeys() async throws {
        let t = try wrapUp("editor-keys")
        defer { t.kill() }
        try t.type("Call back tomorow re invoice")
        try t.waitFor("tomorow re invoice")
        // Fix the typo in the middle: two words left (Ctrl-←, Alt-b), one character left, insert.
        try t.keys("C-Left", "M-b", "Left", "Left", "Left")
        try t.type("r")
        try t.waitFor("Call back tomorrow re invoice")
        // Delete deletes forward (not backward): at the start, remove "Call ".
        try t.keys("Home", "DC", "DC", "DC", "DC", "DC")
        try t.waitUntil("Delete removed the first word") { $0.contains("back tomorrow re invoice") && !$0.contains("Call back") }
        // Undo brings the run of deletes back.
        try t.keys("C-_")
        try t.waitFor("Call back tomorrow re invoice")
        // End, rub out the last word (Ctrl-W), kill from "re" to the end (Ctrl-K).
        try t.keys("End", "C-w")
        try t.waitUntil("Ctrl-W rubbed out a word") { $0.contains("tomorrow re") && !$0.contains("invoice") }
        try t.keys("M-b", "C-k")
        try t.waitUntil("Ctrl-K killed to the end") { $0.contains("Call back tomorrow") && !$0.contains("tomorrow re") }
        // A second line (Alt-Enter), then save.
        try t.keys("M-Enter")
        try t.type("ref 42")
        try t.waitFor("ref 42")
        try t.keys("Enter")
        try t.waitUntil("the wrap-up saved") { !$0.contains("Wrap-up") }
        let rows = try await Tmux.savedCalls(home: t.home)
        // Ctrl-K kept the space before "re"; the saved notes trim only the ends of the whole text.
        #expect(rows.first?["notes"] as? String == "Call back tomorrow \nref 42", "\(rows)")
    }

    @Test func longNotesWrapAtWordsAndKeepTheCursorInView() throws {
        let t = try wrapUp("editor-wrap")
        defer { t.kill() }
        let words = (1...70).map { "word\($0)" }
        try t.type(words.joined(separator: " "))
        let end = try t.waitFor("word70")
        // Every word is whole on the screen (none broken across lines) among the lines that show notes.
        let shown = end.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init)
        for token in shown where token.hasPrefix("word") {
            #expect(words.contains(token), "a word was cut at a line end: \(token)\n\(end)")
        }
        #expect(!end.contains("word1 "), "the start scrolled out while the cursor is at the end")
        // Ctrl-A goes to the start of the text: the first words come back into view.
        try t.keys("C-a")
        let start = try t.waitFor("word1 word2")
        #expect(!start.contains("word70"))
    }
}

/// Issue 18: `/` in the console's History view finds calls by name, number, disposition and notes.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct HistorySearchTmuxTests {
    func call(_ t: Tmux, key: String, name: String, notes: String) throws {
        try t.keys(key)
        try t.waitFor(name)
        try t.keys("a")
        try t.waitFor("Connected 0:0")
        try t.keys("x")
        try t.waitFor("Wrap-up")
        try t.keys("w")
        try t.type(notes)
        try t.keys("Enter")
        try t.waitUntil("the wrap-up saved") { !$0.contains("Wrap-up ·") }
    }

    @Test func slashFiltersTheHistory() throws {
        let t = try Tmux("history-search", width: 100, height: 30)
        defer { t.kill() }
        try t.waitFor("Phone connected")
        try call(t, key: "1", name: "Fred Bloggs · Contact", notes: "boiler broken")
        try call(t, key: "3", name: "No match for this number", notes: "wrong number really")
        try t.waitFor("History (2)")
        try t.keys("H", "/")
        try t.type("boiler")
        let filtered = try t.waitFor("History (1 of 2) filter: boiler")
        #expect(filtered.contains("Fred Bloggs"), "\(filtered)")
        try t.keys("C-u")
        try t.type("07814256404")
        try t.waitFor("History (1 of 2) filter: 07814256404")
        try t.keys("Escape")
        try t.waitFor("History (2)")
    }
}
