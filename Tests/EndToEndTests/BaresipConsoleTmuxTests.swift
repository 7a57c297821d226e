import Foundation
import RingsideTestSupport
import Testing

/// `ringside agent --phone baresip://…` in tmux, attached to a real headless baresip (the agent's phone); a second
/// baresip plays the caller. One whole call: it rings in the console, the agent answers and hangs up with keys,
/// saves the wrap-up, and the history shows the record.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available && BaresipHarness.available),
                             "needs tmux, baresip (baresip-core) and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct BaresipConsoleTmuxTests {
    @Test func callFromBaresipAnsweredAndHungUpInTheConsole() async throws {
        let sip = try BaresipHarness()
        defer { sip.killAll() }
        let phone = try await sip.launch("agent", user: "2001")
        // The caller's number is in its SIP URI (sip:+447814256404@127.0.0.1): Fred Bloggs, the demo directory's single match.
        let caller = try await sip.launch("caller", user: "+447814256404")
        let control = try RawBaresipClient(port: caller.ctrlPort)
        defer { control.close() }

        let t = try Tmux("sip-console", width: 130, height: 34, args: ["agent", "--phone", phone.linkURL])
        defer { t.kill() }
        try t.waitFor("Ringside · Agent console")
        try t.waitFor("Phone: \(phone.linkURL) (connected)")

        try await control.command("dial", phone.uri)
        let incoming = try await control.waitForEvent("CALL_RINGING")
        let callID = try #require(incoming.callID)
        try t.waitFor("Ringing")
        try t.waitFor("Fred Bloggs · Contact")

        try t.keys("a")
        try t.waitFor("Connected 0:0")
        try await control.waitForEvent("CALL_ESTABLISHED", id: callID)

        try t.keys("x")
        try t.waitFor("saves by itself in")
        let closed = try await control.waitForEvent("CALL_CLOSED", id: callID)
        #expect(closed.param == "Connection reset by peer")

        try t.keys("Down")
        try t.waitFor("▸ Resolved")
        try t.keys("Enter")
        try t.waitFor("History (1)")
        try t.keys("H")
        let history = try t.waitFor("Fred Bloggs (Contact)")
        #expect(history.contains("local"))
        try t.keys("Enter")
        let detail = try t.waitFor("CallDisposition")
        #expect(detail.contains("Resolved"))
        #expect(detail.contains("Inbound"))
        #expect(detail.contains("hung up by agent"))

        try t.keys("Escape")
        try t.keys("q")
        try t.waitFor("EXIT=0")
    }
}
