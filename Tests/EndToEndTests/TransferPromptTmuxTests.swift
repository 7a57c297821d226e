import Foundation
import RingsideTestSupport
import Testing

/// Issue 18: the transfer prompt edits like the other fields with the keys a terminal sends (tmux `Left`,
/// `Home`, `DC` for Delete, `C-k`, `C-_`), and Enter transfers to the edited text.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct TransferPromptTmuxTests {
    @Test func editTheTargetThenTransfer() throws {
        let t = try Tmux("transfer-editor", width: 100, height: 30)
        defer { t.kill() }
        try t.waitFor("Phone connected")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("a")
        try t.waitFor("Connected 0:0")
        try t.keys("t")
        try t.waitFor("Transfer to:")
        try t.type("2091")
        try t.waitFor("Transfer to: 2091")
        // One to the left, Backspace removes the 9, type 0: 2001.
        try t.keys("Left", "BSpace")
        try t.type("0")
        try t.waitFor("Transfer to: 2001")
        // Home, then Delete removes the 2 under the cursor; undo brings it back.
        try t.keys("Home", "DC")
        try t.waitFor("Transfer to: 001 ")
        try t.keys("C-_")
        try t.waitFor("Transfer to: 2001")
        // Kill to the end from after "20", undo, End.
        try t.keys("Right", "Right", "C-k")
        try t.waitUntil("Ctrl-K killed the end") { $0.contains("Transfer to: 20 ") && !$0.contains("Transfer to: 2001") }
        try t.keys("C-_", "End", "Enter")
        // The simulated phone transfers at once: wrap-up, then the saved record says where the call went.
        try t.waitFor("Wrap-up ·")
        try t.keys("Enter")
        try t.waitFor("History (1)")
        try t.keys("H", "Enter")
        try t.waitFor("Transferred to 2001")
    }
}
