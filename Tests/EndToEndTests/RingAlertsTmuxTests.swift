import Foundation
import RingsideTestSupport
import Testing

/// Issue 18: a ringing call reaches an agent whose terminal is not in front — bell, window title
/// (restored after) and a desktop notification — checked on the raw bytes the program writes
/// (`tmux pipe-pane`) and on the title tmux keeps for the pane.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct RingAlertsTmuxTests {
    /// Starts the demo with `config` as its config file and the pane's output piped to a file.
    func start(_ name: String, config: String) throws -> (Tmux, URL) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-e2e-\(name)-\(UUID().uuidString.prefix(8))")
        let configDir = home.appendingPathComponent("config/ringside")
        try FileManager.default.createDirectory(at: configDir, withIntermediateDirectories: true)
        try config.write(to: configDir.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let t = try Tmux(name, width: 100, height: 30, home: home)
        let output = home.appendingPathComponent("pane-output.bin")
        try Tmux.run(["pipe-pane", "-o", "-t", t.name, "cat >> \(Tmux.quote(output.path))"])
        try t.waitFor("Ringside · Agent console")
        try t.waitFor("Phone connected")
        return (t, output)
    }

    func paneTitle(_ t: Tmux) throws -> String {
        try Tmux.run(["display-message", "-p", "-t", t.name, "#{pane_title}"]).trimmingCharacters(in: .newlines)
    }

    /// The captured bytes once `predicate` holds (the pipe is written asynchronously).
    func output(_ file: URL, until what: String, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(10)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOf: file, encoding: .isoLatin1)) ?? ""
            if predicate(text) { return text }
            usleep(50_000)
        }
        Issue.record("the pane output never had \(what): \(text.suffix(400).debugDescription)")
        return text
    }

    /// Output with every OSC sequence (ESC ] … BEL) removed: a BEL left over is a bell.
    func withoutOSC(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\][^\u{07}\u{1B}]*\u{07}", with: "", options: .regularExpression)
    }

    @Test func ringingBellsTitlesNotifiesAndRestoresTheTitle() throws {
        let (t, file) = try start("alerts-on", config: "[alerts]\nbell = true\ntitle = true\nnotify = true\n")
        defer {
            t.kill()
            t.removeHome()
        }
        let before = try output(file, until: "the first paint") { !$0.isEmpty }
        #expect(!withoutOSC(before).contains("\u{07}"), "no bell before a call rings")
        let original = try paneTitle(t)
        #expect(original != "Ringing: Fred Bloggs")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        let ringing = try output(file, until: "the title with the caller's name") { $0.contains("\u{1B}]2;Ringing: Fred Bloggs\u{07}") }
        #expect(ringing.contains("\u{1B}[22;0t"), "the old title is saved first")
        #expect(withoutOSC(ringing).contains("\u{07}"), "a bell")
        #expect(ringing.contains("\u{1B}]9;Ringside: call ringing: "), "an OSC 9 notification")
        _ = try t.waitUntil("tmux shows the new title") { _ in (try? paneTitle(t)) == "Ringing: Fred Bloggs" }
        try t.keys("a")
        try t.waitFor("Connected 0:0")
        let answered = try output(file, until: "the title put back") { $0.contains("\u{1B}]2;Ringside\u{07}\u{1B}[23;0t") }
        #expect(answered.components(separatedBy: "\u{1B}]9;").count == 2, "one notification per call")
        // tmux keeps a title stack (CSI 22/23 t): the title from before the ring comes back.
        _ = try t.waitUntil("tmux shows the title from before the ring (\(original))") { _ in (try? paneTitle(t)) == original }
    }

    @Test func alertsOffWritesNoBellTitleOrNotification() throws {
        let (t, file) = try start("alerts-off", config: "[alerts]\nbell = false\ntitle = false\nnotify = false\n")
        defer {
            t.kill()
            t.removeHome()
        }
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("a")
        try t.waitFor("Connected 0:0")
        // Everything up to the answered screen is in the file once it shows the connected timer.
        let text = try output(file, until: "the connected screen") { $0.contains("Connected") }
        #expect(!withoutOSC(text).contains("\u{07}"))
        #expect(!text.contains("\u{1B}]2;"))
        #expect(!text.contains("\u{1B}]9;"))
        #expect(!text.contains("\u{1B}]777;"))
    }
}
