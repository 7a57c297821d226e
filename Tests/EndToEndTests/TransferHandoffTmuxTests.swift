import Foundation
import RingsideTestSupport
import Testing

/// Issue 18, "context travels with a transfer", as two agents meet it: two `ringside agent` processes in tmux,
/// each on its own real baresip, both on one real mosquitto; a third baresip is the caller. Agent A (Sam)
/// answers, picks one of several matching records, types notes and blind-transfers to agent B's phone.
/// baresip's transferee dials B afresh (a new SIP Call-ID), so B's Ringside matches the context by the
/// caller's number within the time window. B sees "Transferred by Sam Agent · about …", accepts with `p`, and
/// B's own record is logged against that record by rule 3 — with no search on B's side.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available && BaresipHarness.available && MosquittoBroker.binary != nil),
                             "needs tmux, baresip, mosquitto and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct TransferHandoffTmuxTests {
    @Test func theReceivingAgentSeesWhoTransferredAndAcceptsTheirRecord() async throws {
        let broker = try MosquittoBroker()
        defer { withExtendedLifetime(broker) { broker.stop() } }
        let sip = try BaresipHarness()
        defer { sip.killAll() }
        let phoneA = try await sip.launch("sam", user: "2001")
        let phoneB = try await sip.launch("bob", user: "2002")
        // +44 20 7946 0018: several records in the demo directory share it (Search, no automatic association).
        let caller = try await sip.launch("caller", user: "+442079460018")
        let control = try RawBaresipClient(port: caller.ctrlPort)
        defer { control.close() }

        func agent(_ name: String, _ phone: BaresipHarness.Instance) throws -> Tmux {
            let t = try Tmux("handoff-\(name.prefix(3).lowercased())", width: 130, height: 34, args: ["agent", "--phone", phone.linkURL],
                             environment: ["RINGSIDE_PRESENCE_BROKER": broker.url, "RINGSIDE_AGENT_NAME": name])
            try t.waitFor("Phone: \(phone.linkURL) (connected)")
            return t
        }
        let sam = try agent("Sam Agent", phoneA)
        defer { sam.kill() }
        let bob = try agent("Bob Agent", phoneB)
        defer { bob.kill() }

        try await control.command("dial", phoneA.uri)
        try sam.waitFor("matching records: choose the caller")
        try sam.keys("a")
        try sam.waitFor("Connected 0:0")
        // Sam picks the second record of the list and writes a note.
        try sam.keys("Down", "Enter")
        let chosenScreen = try sam.waitFor("rule 3: chosen by the agent")
        let chosen = try #require(Self.loggedAgainst(chosenScreen), "no 'Logged against' line:\n\(chosenScreen)")
        try sam.keys("w")
        try sam.type("Wants a refund for order 1234")
        try sam.keys("Enter")
        try sam.keys("t")
        try sam.waitFor("Transfer to:")
        try sam.type(phoneB.uri)
        try sam.keys("Enter")

        // baresip: the caller gets a TRANSFER (REFER) and dials Bob with a new Call-ID.
        let refer = try await control.waitForEvent("TRANSFER", timeout: .seconds(10))
        let ringing = try await control.waitForEvent("CALL_RINGING", peer: phoneB.uri, timeout: .seconds(10))
        #expect(refer.callID != ringing.callID, "a blind transfer gives the new leg a new Call-ID")

        let offered = try bob.waitFor("Transferred by Sam Agent · about \(chosen)")
        #expect(offered.contains("Wants a refund for order 1234"))
        #expect(offered.contains("p Accept Contact"))
        #expect(offered.contains("matching records: choose the caller"), "Bob's own lookup still ran (rule 7)")
        try bob.keys("a")
        try bob.waitFor("Connected 0:0")
        try bob.keys("p")
        try bob.waitFor("✓ accepted")
        try bob.waitFor("Logged against: \(chosen) · rule 3: chosen by the agent")
        try bob.keys("x")
        try bob.waitFor("saves by itself in")
        try bob.keys("Enter")
        try bob.waitUntil("Bob's wrap-up saved") { !$0.contains("saves by itself in") }

        let rows = try await Tmux.savedCalls(home: bob.home)
        #expect(rows.count == 1, "\(rows)")
        let who = rows.first?["who"] as? [String: Any]
        #expect(who.map { "\($0["name"] ?? "") (Contact)" } == chosen, "\(rows)")
        #expect(rows.first?["associationRule"] as? Int == 3, "\(rows)")
    }

    /// "Fiona Bloggs (Contact)" from "Logged against: Fiona Bloggs (Contact) · rule 3: …".
    static func loggedAgainst(_ screen: String) -> String? {
        guard let line = screen.components(separatedBy: "\n").first(where: { $0.contains("Logged against: ") }),
              let start = line.range(of: "Logged against: "), let end = line.range(of: " · rule") else { return nil }
        return String(line[start.upperBound..<end.lowerBound])
    }
}
