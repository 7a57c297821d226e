import Foundation
import RingsideTestSupport
import Testing

/// `ringside supervisor --demo-team N` (simulated team on the in-memory bus) driven through tmux:
/// headline figures, sort/filter/find keys, scrolling, resize, mono, idle CPU and a clean exit.
/// Uses the console engineer's `Tmux` helper; skipped when the binary or tmux is missing.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct WallboardTmuxTests {
    static let title = "Ringside wallboard"

    func start(_ name: String, team: Int = 20, width: Int = 110, height: Int = 30, extra: [String] = [], environment: [String: String] = [:]) throws -> Tmux {
        let t = try Tmux(name, width: width, height: height, args: ["supervisor", "--demo-team", "\(team)", "--tenant", "e2e"] + extra,
                         environment: environment)
        try t.waitFor(Self.title, timeout: 30)
        try t.waitFor("Agents \(team) ", timeout: 30)
        return t
    }

    @Test func showsTheSimulatedTeamWithHeadlineFigures() throws {
        let t = try start("wb-team")
        defer { t.kill() }
        let screen = try t.waitFor("in-memory demo bus connected")
        #expect(screen.contains("tenant e2e"))
        #expect(screen.contains("Waiting"))
        #expect(screen.contains("Service level") || screen.contains("SL "))
        #expect(screen.contains("Abandoned"))
        #expect(screen.contains("Short abandons (≤5 s)"))
        #expect(screen.contains("Avg handle") || screen.contains("AHT"))
        // Issue 17: talk/hold/wrap-up beside the WFM categories, with units, and the day's service level per interval.
        #expect(screen.contains("Handling  Talk ") && screen.contains("  Hold ") && screen.contains("  Wrap-up "))
        #expect(screen.contains("SL per 30 min"))
        #expect(screen.contains("Time  Ready"))
        #expect(screen.range(of: #"Ready \d+(h \d\dm|m \d\ds|s)"#, options: .regularExpression) != nil)
        #expect(screen.contains("Name") && screen.contains("In state") && screen.contains("Call"))
        #expect(screen.contains("山田 太郎"))
        #expect(screen.contains("1–20 of 20"))
        // Fifteen minutes of warm-up: someone is on a call, with a number and a duration.
        #expect(screen.contains(" In ") || screen.contains(" Out "))
    }

    @Test func sortFilterAndFindKeys() throws {
        let t = try start("wb-keys")
        defer { t.kill() }
        try t.keys("s")
        try t.waitFor("sorted by name")
        try t.keys("s")
        try t.waitFor("sorted by time in state")
        try t.keys("r")
        try t.waitFor("(reversed)")
        try t.keys("f")
        try t.waitFor("logged in")
        try t.keys("f")
        try t.waitFor("· on call")
        try t.keys("Escape")
        try t.waitFor("all 20 agents")
        try t.keys("/")
        try t.waitFor("Find:")
        try t.type("山田")
        try t.waitFor("matching “山田”")
        try t.keys("Enter")
        try t.waitUntil("find kept") { !$0.contains("Find:") && $0.contains("1–1 of 1 (20 total)") }
        try t.keys("?")
        try t.waitFor("Wallboard keys and legend")
        try t.waitFor("hung up within 5 s")
        try t.keys("x")
        try t.waitUntil("help closed") { !$0.contains("Wallboard keys") }
        // `g` finds, as in the console (issue 18); `i` switches the sparkline to 15-minute intervals.
        try t.keys("Escape")
        // Wait for the Escape to land: an ESC followed at once by `g` reads as Alt-g.
        try t.waitFor("all 20 agents")
        try t.keys("g")
        try t.waitFor("Find:")
        try t.keys("Escape")
        try t.waitUntil("find closed") { !$0.contains("Find:") }
        try t.keys("i")
        try t.waitFor("SL per 15 min")
    }

    @Test func scrollsAThousandAgentsAndSurvivesResize() throws {
        let t = try start("wb-1000", team: 1000, width: 100, height: 30)
        defer { t.kill() }
        try t.waitFor("1–22 of 1000")
        try t.keys("PageDown")
        try t.waitFor("23–44 of 1000")
        try t.keys("End")
        try t.waitFor("979–1000 of 1000")
        try t.keys("Home")
        try t.waitFor("1–22 of 1000")
        try t.resize(width: 50, height: 10)
        try t.waitFor("Wallboard needs 60×12")
        try t.resize(width: 120, height: 40)
        try t.waitFor("of 1000")
        try t.keys("q")
        try t.waitFor("EXIT=0")
    }

    @Test func monochromeAndQuit() throws {
        let t = try start("wb-mono", extra: ["--no-color"])
        defer { t.kill() }
        try t.waitFor("On call")
        try t.keys("q")
        let end = try t.waitFor("EXIT=0")
        #expect(!end.contains(Self.title)) // the terminal was restored
    }
}
