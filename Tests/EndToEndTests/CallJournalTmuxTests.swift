import Foundation
import RingsideTestSupport
import Testing

/// Issue 13 as a user meets it: `ringside demo` in tmux with a live call, stopped every way a terminal
/// program can stop — `q`, Ctrl-C, SIGTERM, SIGHUP (terminal closed), `kill -9` — then started again: the
/// call is in `ringside history` exactly once, logged against the record the agent chose.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct CallJournalTmuxTests {
    static let title = "Ringside · Agent console"

    func start(_ name: String, home: URL? = nil, environment: [String: String] = [:]) throws -> Tmux {
        let tmux = try Tmux(name, environment: environment, home: home)
        try tmux.waitFor(Self.title)
        try tmux.waitFor("Phone connected")
        return tmux
    }

    /// Rings from Fred Bloggs, pops his record (rule 3) and answers.
    func liveCall(_ t: Tmux) throws {
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("p")
        try t.waitFor("rule 3: chosen by the agent")
        try t.keys("a")
        try t.waitFor("Connected 0:0")
    }


    /// The call is in history exactly once, against Fred Bloggs by the agent's choice.
    func expectFredOnce(_ home: URL, _ how: String) async throws {
        let rows = try await Tmux.savedCalls(home: home)
        #expect(rows.count == 1, "\(how): \(rows.count) records in history: \(rows)")
        guard let row = rows.first else { return }
        let who = row["who"] as? [String: Any]
        #expect(who?["name"] as? String == "Fred Bloggs", "\(how): logged against \(String(describing: who))")
        #expect(row["associationRule"] as? Int == 3, "\(how): rule \(String(describing: row["associationRule"]))")
    }

    /// Starts the console again on the same data, waits for it and quits (nothing open: no question).
    func restart(_ home: URL, _ name: String) throws {
        let again = try start(name, home: home)
        defer { again.kill() }
        try again.keys("q")
        try again.waitFor("EXIT=0")
    }

    @Test func quitWithALiveCallSavesItOnce() async throws {
        let t = try start("journal-quit")
        defer { t.kill() }
        try liveCall(t)
        try t.keys("q")
        try t.waitFor("will be ended and saved")
        try t.keys("y")
        let screen = try t.waitFor("EXIT=0")
        #expect(screen.contains("1 call record saved"), "no summary after quitting:\n\(screen)")
        try await expectFredOnce(t.home, "quit")
        try restart(t.home, "journal-quit-again")
        try await expectFredOnce(t.home, "quit, then restart")
    }

    @Test(arguments: [("C-c", 130), ("TERM", 143), ("HUP", 129), ("KILL", 137)])
    func stoppedMidCallThenRestartedLogsTheCallOnce(signal: String, status: Int) async throws {
        let t = try start("journal-\(signal)")
        defer { t.kill() }
        try liveCall(t)
        if signal == "C-c" {
            try t.keys("C-c")
        } else {
            let pid = try #require(try t.programPID())
            let number: Int32 = switch signal {
            case "TERM": SIGTERM
            case "HUP": SIGHUP
            default: SIGKILL
            }
            #expect(Glibc.kill(pid, number) == 0)
        }
        let screen = try t.waitFor("EXIT=\(status)")
        #expect(!screen.contains(Self.title), "the terminal was not restored:\n\(screen)")
        if signal != "KILL" {
            // An orderly stop saves the call before exiting.
            try await expectFredOnce(t.home, signal)
        }
        try restart(t.home, "journal-\(signal)-again")
        try await expectFredOnce(t.home, "\(signal), then restart")
    }

    @Test func notesTypedWhileTheWrapUpTimerRunsAreKept() async throws {
        let t = try start("journal-wrapup", environment: ["RINGSIDE_WRAPUP_SECONDS": "2"])
        defer { t.kill() }
        try liveCall(t)
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("w")
        // Typed slowly, past the 2 s countdown: typing pauses it, and letters are text, not commands.
        for word in ["quick ", "fax ", "query ", "answered"] {
            try t.type(word)
            usleep(900_000)
        }
        try t.waitUntil("the wrap-up saved by itself", timeout: 30) { !$0.contains("Wrap-up") }
        let rows = try await Tmux.savedCalls(home: t.home)
        #expect(rows.count == 1)
        #expect(rows.first?["notes"] as? String == "quick fax query answered", "\(rows)")
        #expect(rows.first?["delivery"] as? String != "wrap-up", "\(rows)")
        #expect(!(try t.capture()).contains("Quit anyway?"))
    }

    @Test func aMultiLinePasteLandsInTheNotesIntact() async throws {
        let t = try start("journal-paste")
        defer { t.kill() }
        try liveCall(t)
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("w")
        try t.paste("first line: q x a\nsecond line")
        try t.waitFor("second line")
        try t.keys("Enter")
        try t.waitUntil("the wrap-up saved") { !$0.contains("Wrap-up") }
        let rows = try await Tmux.savedCalls(home: t.home)
        #expect(rows.first?["notes"] as? String == "first line: q x a\nsecond line", "\(rows)")
    }
}
