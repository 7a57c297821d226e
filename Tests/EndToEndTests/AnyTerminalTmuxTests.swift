import Foundation
import RingsideTestSupport
import Testing

/// Issue 18: the console in any terminal. `LANG=C` shows ASCII stand-ins instead of blanks;
/// `TERM=dumb` is refused with a hint, a non-zero exit and no blank screen.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct AnyTerminalTmuxTests {
    @Test func cLocaleDrawsASCIIBordersSymbolsAndNames() throws {
        let t = try Tmux("lang-c", width: 80, height: 24, environment: ["LANG": "C", "LC_ALL": "C"])
        defer { t.kill() }
        try t.waitFor("- Call ---")
        try t.waitFor("Phone connected")
        try t.keys("5")
        try t.waitFor("Ringing")
        let screen = try t.waitFor("(Contact)")
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII reached a C-locale terminal:\n\(screen)")
        // The Japanese caller's name keeps its width as question marks rather than blanks.
        #expect(screen.contains("????"), "\(screen)")
        #expect(screen.contains("* Fred Bloggs"), "favourites keep their star as *:\n\(screen)")
        #expect(screen.contains("- Numbers ("), "borders are dashes:\n\(screen)")
    }

    @Test func dumbTerminalIsRefusedWithAHint() throws {
        let t = try Tmux("term-dumb", width: 80, height: 24, environment: ["TERM": "dumb"])
        defer { t.kill() }
        let screen = try t.waitFor("EXIT=")
        #expect(screen.contains("can't move the cursor"), "\(screen)")
        #expect(screen.contains("ringside history"), "\(screen)")
        #expect(screen.contains("ringside lookup"), "\(screen)")
        #expect(!screen.contains("EXIT=0"), "\(screen)")
    }
}
