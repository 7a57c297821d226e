import Foundation
import RingsideTestSupport
import Testing

/// `ringside demo` driven through tmux: keys, mouse, resize, exit. Each test has its own session
/// and XDG folders. Skipped when the binary or tmux is missing.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct ConsoleTmuxTests {
    static let title = "Ringside · Agent console"

    func start(_ name: String, width: Int = 100, height: Int = 30) throws -> Tmux {
        let tmux = try Tmux(name, width: width, height: height)
        try tmux.waitFor(Self.title)
        try tmux.waitFor("Phone connected")
        return tmux
    }

    @Test func singleMatchPopAnswerHoldResumeHangUpWrapUpHistory() throws {
        let t = try start("single")
        defer { t.kill() }
        try t.keys("1")
        try t.waitFor("Ringing")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("p")
        try t.waitFor("Owner")
        try t.waitFor("rule 3: chosen by the agent")
        try t.keys("a")
        try t.waitFor("Connected 0:0")
        try t.keys("h")
        try t.waitFor("On hold")
        try t.keys("h")
        try t.waitFor("Connected")
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("Down")
        try t.waitFor("▸ Resolved")
        try t.keys("Enter")
        try t.waitFor("History (1)")
        try t.keys("H")
        let history = try t.waitFor("Fred Bloggs (Contact)")
        #expect(history.contains("queued") || history.contains("local") || history.contains("delivered"))
        try t.keys("Enter")
        let detail = try t.waitFor("CallDisposition")
        #expect(detail.contains("Resolved"))
        #expect(detail.contains("WhoId"))
        #expect(detail.contains("rule 3: chosen by the agent"))
    }

    @Test func multipleMatchSearchAndPick() throws {
        let t = try start("multiple")
        defer { t.kill() }
        try t.keys("2")
        try t.waitFor("matching records: choose the caller")
        try t.keys("Down", "Enter")
        let screen = try t.waitFor("rule 3: chosen by the agent")
        #expect(screen.contains("✓"))
    }

    /// Issue 15: New asks for a name (pre-filled with the number); the record gets it and the call is logged against it.
    @Test func noMatchNewAsksForANameAndLogsTheCallAgainstTheRecord() throws {
        let t = try start("nomatch")
        defer { t.kill() }
        try t.keys("3")
        try t.waitFor("No match for this number")
        try t.keys("n")
        let form = try t.waitFor("Type to replace the number")
        #expect(form.contains("New Lead"))
        try t.type("Grace Hopper")
        try t.waitFor("Name: Grace Hopper")
        try t.keys("Enter")
        try t.waitFor("Created Lead: Grace Hopper")
        let logged = try t.waitFor("rule 5: record created with New")
        #expect(logged.contains("Grace Hopper (Lead)"))
        #expect(!logged.contains("Caller "))
        // Hang up and save: the history row names the new record.
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("Enter")
        try t.waitFor("✓ Saved · Grace Hopper")
        try t.keys("H")
        try t.waitFor("Grace Hopper (Lead)")
    }

    @Test func dialFromTheField() throws {
        let t = try start("dial")
        defer { t.kill() }
        try t.keys("d")
        try t.type("07700 9001x")
        try t.waitFor("not part of a phone number")
        try t.type("23")
        try t.waitFor("→ +447700900123")
        try t.keys("Enter")
        try t.waitFor("→ Outbound")
        try t.waitFor("Fred Bloggs")
    }

    @Test func clickToDialWithTheKeyboard() throws {
        let t = try start("c2d-keys")
        defer { t.kill() }
        try t.keys("N", "Enter")
        try t.waitFor("→ Outbound")
        try t.waitFor("rule 1: dialled from this record")
    }

    @Test func clickToDialWithTheMouse() async throws {
        let t = try start("c2d-mouse")
        defer { t.kill() }
        let screen = try t.capture()
        let lines = screen.components(separatedBy: "\n")
        guard let header = lines.firstIndex(where: { $0.contains("Numbers (") }) else {
            Issue.record("no number list on screen:\n\(screen)")
            return
        }
        // The third row of the number list: one click selects it and dials nothing; Enter dials it.
        let row = lines[header + 3]
        let name = String(row.dropFirst(4).prefix(24)).trimmingCharacters(in: .whitespaces)
        try t.click(x: 4, y: header + 3)
        try t.keys("Enter")
        let call = try t.waitFor("→ Outbound")
        #expect(call.contains(name), "Enter dialled another row than the one clicked (\(name)):\n\(call)")
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("Escape")
        try t.waitFor("History (1)")
        // A double-click dials at once.
        try t.click(x: 4, y: header + 2)
        try t.click(x: 4, y: header + 2)
        try t.waitFor("→ Outbound")
        try t.waitFor("rule 1: dialled from this record")
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("Escape")
        try t.waitFor("History (2)")
        try t.keys("q")
        try t.waitFor("EXIT=0")
        // Once the console has quit every call is saved: a single click that had dialled would be a third record
        // (a count after the fact, not a wait for something not to happen).
        let saved = try await Tmux.savedCalls(home: t.home)
        #expect(saved.count == 2, "a single click dialled: \(saved.count) calls saved")
    }

    @Test func mouseClickOnAnswerButton() throws {
        let t = try start("mouse-answer")
        defer { t.kill() }
        try t.keys("1")
        try t.waitFor("Ringing")
        guard let button = try t.locate(" a Answer") else {
            Issue.record("no Answer button")
            return
        }
        try t.click(x: button.x + 1, y: button.y)
        try t.waitFor("Connected")
    }

    @Test func blindTransfer() throws {
        let t = try start("transfer")
        defer { t.kill() }
        try t.keys("1")
        try t.waitFor("Ringing")
        try t.keys("a")
        try t.waitFor("Connected")
        try t.keys("t")
        try t.waitFor("Transfer to:")
        try t.type("2001")
        try t.waitFor("→ 2001")
        try t.keys("Enter")
        try t.waitUntil("the call to leave the transferring state") { screen in
            screen.contains("Wrap-up") || screen.contains("History (1)")
        }
    }

    @Test func resizeMidCallAndTooSmall() throws {
        let t = try start("resize")
        defer { t.kill() }
        try t.keys("1")
        try t.waitFor("Ringing")
        try t.keys("a")
        try t.waitFor("Connected")
        try t.resize(width: 80, height: 24)
        try t.waitUntil("an 80×24 layout with the call") { screen in
            let rows = screen.components(separatedBy: "\n").dropLast()
            return rows.count == 24 && screen.contains("Connected") && rows.last?.hasPrefix(" On call") == true
        }
        try t.resize(width: 60, height: 20)
        try t.waitFor("Terminal too small (need 80×24, have 60×20)")
        try t.resize(width: 120, height: 40)
        let wide = try t.waitFor("Connected")
        #expect(wide.contains("History (0)"))
    }

    @Test func tooSmallAtStart() throws {
        let t = try Tmux("small", width: 70, height: 20)
        defer { t.kill() }
        try t.waitFor("Terminal too small (need 80×24, have 70×20)")
        try t.keys("q")
        try t.waitFor("EXIT=0")
    }

    @Test func quitRestoresTheTerminal() throws {
        let t = try start("quit")
        defer { t.kill() }
        try t.keys("q")
        let screen = try t.waitFor("EXIT=0")
        #expect(!screen.contains(Self.title), "the console is still on screen:\n\(screen)")
    }

    @Test func quitWithALiveCallAsksFirst() throws {
        let t = try start("quit-call")
        defer { t.kill() }
        try t.keys("1")
        try t.waitFor("Ringing")
        try t.keys("q")
        try t.waitFor("Quit anyway?")
        try t.keys("n")
        try t.waitFor("Not quitting")
        try t.keys("q")
        try t.waitFor("Quit anyway?")
        try t.keys("y")
        let screen = try t.waitFor("EXIT=0")
        #expect(!screen.contains(Self.title))
    }

    @Test func ctrlCRestoresTheTerminal() throws {
        let t = try start("ctrl-c")
        defer { t.kill() }
        try t.keys("C-c")
        let screen = try t.waitFor("EXIT=130")
        #expect(!screen.contains(Self.title))
    }

    @Test func hostileNameIsNeutralised() throws {
        let t = try start("hostile")
        defer { t.kill() }
        try t.keys("6")
        let screen = try t.waitFor("Mallory")
        #expect(screen.contains("\u{FFFD}"))
        #expect(!screen.contains("\u{1b}"))
    }

    @Test func coloursAndNoColor() throws {
        let coloured = try start("colour")
        defer { coloured.kill() }
        let foregrounds = try Regex("\u{1b}\\[(?:[0-9;]*;)?3[0-7](?:;[0-9;]*)?m")
        let colouredScreen = try coloured.captureWithAttributes()
        #expect(colouredScreen.contains(foregrounds), "no colour codes: \(colouredScreen.prefix(300).debugDescription)")

        let mono = try Tmux("nocolor", environment: ["NO_COLOR": "1"])
        defer { mono.kill() }
        try mono.waitFor("Phone connected")
        let screen = try mono.captureWithAttributes()
        #expect(!screen.contains(foregrounds), "colour codes despite NO_COLOR")
        #expect(screen.contains("\u{1b}[7m") || screen.contains(";7m"), "no reverse video in monochrome")
    }
}
