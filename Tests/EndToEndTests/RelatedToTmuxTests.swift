import Foundation
import RingsideTestSupport
import Testing

/// Issue 9 through the real console: during a call the agent finds the company with quick find (`g`),
/// picks one of its open Cases as "Related to" (`l`), and the saved Task carries that Case as WhatId;
/// the configured post-call update lands on the Case's Opportunity sibling only when related.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct RelatedToTmuxTests {
    @Test func pickACaseDuringACallAndTheTaskGetsItsWhatId() async throws {
        let t = try Tmux("related", width: 100, height: 30)
        defer { t.kill() }
        try t.waitFor("Phone connected")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("g")
        try t.waitFor("Find a record")
        try t.type("Cascade")
        try t.keys("Enter")
        try t.waitFor("Cascade Outdoor Gear")
        try t.keys("Enter")
        try t.waitFor("Logged against: Cascade Outdoor Gear (Account)")
        try t.keys("l")
        try t.waitFor("Billing error")
        try t.waitFor("Delivery delayed")
        // Newest first: "Billing error" (May) above "Delivery delayed" (April); pick the second.
        try t.keys("Down", "Enter")
        try t.waitFor("related to Case Delivery delayed")
        try t.keys("a")
        try t.waitFor("Connected")
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("Enter")
        try t.waitFor("History (1)")
        // Read the store while the console still runs (kill() removes the test's folders).
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RINGSIDE_") }
        environment["XDG_DATA_HOME"] = t.home.appendingPathComponent("data").path
        environment["XDG_CONFIG_HOME"] = t.home.appendingPathComponent("config").path
        let history = try await ProcessRunner.run(Tmux.binary, ["history", "--json"], environment: environment, timeout: 60)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.hasPrefix("{"), "history --json printed: \(history.stdout) \(history.stderr)")
        let record = try #require(history.stdout.split(separator: "\n").first.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        })
        let what = record["what"] as? [String: Any]
        #expect(what?["id"] as? String == "5008d0000ppYXVMAA4", "the Case picked as Related to is the WhatId")
        #expect(what?["type"] as? String == "Case")
        #expect(record["who"] == nil || record["who"] is NSNull, "an Account-level call has no WhoId")
        #expect(record["associationRule"] as? Int == 3)
    }
}
