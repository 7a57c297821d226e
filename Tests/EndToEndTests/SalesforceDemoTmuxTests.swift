import Foundation
import RingsideTestSupport
import Testing

/// `ringside demo --salesforce-emulator`: the console against the built-in emulator through real libcurl —
/// the pop comes from Salesforce, and the finished call is delivered as a Task.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct SalesforceDemoTmuxTests {
    @Test func popFromTheEmulatorAndDeliverTheTask() throws {
        let t = try Tmux("sfdemo", width: 100, height: 30, args: ["demo", "--salesforce-emulator"])
        defer { t.kill() }
        try t.waitFor("Salesforce", timeout: 30)
        try t.waitFor("Phone connected")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact", timeout: 20)
        try t.keys("a")
        try t.waitFor("Connected")
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("Enter")
        try t.waitFor("History (1)")
        try t.keys("H")
        // Delivered to the emulator by the outbox worker: the history row turns "delivered".
        let screen = try t.waitFor("delivered", timeout: 30)
        #expect(screen.contains("Fred Bloggs"))
    }
}
