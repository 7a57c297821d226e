import Foundation
import RingsideTestSupport
import Testing

/// Issue 18: the popped record's name and link are OSC 8 hyperlinks (`[display] hyperlinks`), written after
/// curses' refresh; checked on the raw bytes the program writes (`tmux pipe-pane`).
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct HyperlinkTmuxTests {
    static let lightning = #"https?://127\.0\.0\.1:\d+/lightning/r/Contact/003[A-Za-z0-9]{12}([A-Za-z0-9]{3})?/view"#

    /// Starts the Salesforce-emulator demo, pops Fred Bloggs and returns the session and the piped output.
    func popFred(_ name: String, hyperlinks: String, environment: [String: String] = [:]) throws -> (Tmux, URL) {
        let t = try Tmux.withConfig(name, "[display]\nhyperlinks = \(hyperlinks)\n", args: ["demo", "--salesforce-emulator"],
                                    environment: environment)
        let file = try t.pipeOutput()
        try t.waitFor("Phone connected", timeout: 30)
        try t.keys("1")
        // (· is . under LANG=C)
        _ = try t.waitUntil("Fred Bloggs's match line", timeout: 20) { $0.contains("Fred Bloggs") && $0.contains("p Pop") }
        try t.keys("p")
        try t.waitFor("rule 3: chosen by the agent")
        return (t, file)
    }

    @Test func thePoppedNameIsAHyperlinkToTheLightningPage() throws {
        let (t, file) = try popFred("osc8-on", hyperlinks: "\"on\"")
        defer {
            t.kill()
            t.removeHome()
            try? FileManager.default.removeItem(at: file)
        }
        let pattern = "\u{1B}\\]8;;(" + Self.lightning + ")\u{1B}\\\\Fred Bloggs\u{1B}\\]8;;\u{1B}\\\\"
        let output = Tmux.output(file, until: "an OSC 8 link around Fred Bloggs") { $0.range(of: pattern, options: .regularExpression) != nil }
        #expect(output.range(of: pattern, options: .regularExpression) != nil)
        // Every link opened is closed, and the cursor is saved before and restored after.
        #expect(output.components(separatedBy: "\u{1B}]8;;http").count == output.components(separatedBy: "\u{1B}]8;;\u{1B}\\").count)
        #expect(output.contains("\u{1B}7\u{1B}["))
        // The screen tmux shows is unchanged by the rewrite: the name sits where curses painted it.
        let screen = try t.capture()
        #expect(screen.contains("Name     Fred Bloggs (Contact)"), "\(screen)")
        // Every paint writes the links again (the call timer repaints each second; Ctrl-L repaints everything).
        let before = output.components(separatedBy: "\u{1B}]8;;http").count
        try t.keys("C-l")
        let after = Tmux.output(file, until: "the links again after Ctrl-L") { $0.components(separatedBy: "\u{1B}]8;;http").count > before }
        #expect(after.components(separatedBy: "\u{1B}]8;;http").count > before)
        #expect(try t.capture().contains("Name     Fred Bloggs (Contact)"))
    }

    @Test func offAndLangCWriteNoHyperlinks() throws {
        for (name, value, environment) in [("osc8-off", "\"off\"", [String: String]()), ("osc8-lang-c", "\"on\"", ["LANG": "C", "LC_ALL": "C"])] {
            let (t, file) = try popFred(name, hyperlinks: value, environment: environment)
            defer {
                t.kill()
                t.removeHome()
                try? FileManager.default.removeItem(at: file)
            }
            try t.keys("y")
            try t.waitFor("Copied")
            let output = Tmux.output(file, until: "the copy after the pop") { $0.contains("\u{1B}]52;c;") }
            #expect(!output.contains("\u{1B}]8;"), "\(name): no OSC 8")
        }
    }
}
