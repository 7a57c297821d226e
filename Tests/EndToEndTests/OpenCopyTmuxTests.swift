import Foundation
import RingsideTestSupport
import Testing

/// Issue 18: open and copy records from the console. `y`/`Y` write OSC 52 (checked on the raw pane output
/// with `pipe-pane`), `o` starts `$BROWSER` with the Lightning URL (a fake browser records its argument),
/// `m` hands the mouse back to the terminal.
@Suite(.serialized, .enabled(if: RequiredComponent.runs(Tmux.available), "needs tmux and the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"))
struct OpenCopyTmuxTests {
    func pipe(_ t: Tmux) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-pane-\(t.name).bin")
        try Tmux.run(["pipe-pane", "-o", "-t", t.name, "cat >> \(Tmux.quote(file.path))"])
        return file
    }

    func wait(for what: String, in file: URL, timeout: TimeInterval = 10, _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOf: file, encoding: .isoLatin1)) ?? ""
            if predicate(text) { return text }
            usleep(50_000)
        }
        Issue.record("never saw \(what): \(text.suffix(300).debugDescription)")
        return text
    }

    /// The text of every OSC 52 clipboard write in `output`.
    func clipboardWrites(_ output: String) -> [String] {
        output.components(separatedBy: "\u{1B}]52;c;").dropFirst().compactMap { part in
            guard let end = part.firstIndex(of: "\u{07}") else { return nil }
            return Data(base64Encoded: String(part[..<end])).flatMap { String(data: $0, encoding: .utf8) }
        }
    }

    @Test func copyTheNumberLocalModeExplainsOpenAndMouseToggles() throws {
        let t = try Tmux("copy-local", width: 100, height: 30)
        defer { t.kill() }
        let file = try pipe(t)
        defer { try? FileManager.default.removeItem(at: file) }
        try t.waitFor("Phone connected")
        #expect(wait(for: "SGR 1006 mouse mode", in: file) { $0.contains("\u{1B}[?1006h") }.contains("\u{1B}[?1006h"))
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("y")
        try t.waitFor("Copied +447814256404")
        let output = wait(for: "an OSC 52 write", in: file) { !clipboardWrites($0).isEmpty }
        #expect(clipboardWrites(output) == ["+447814256404"])
        try t.keys("o")
        try t.waitFor("Local directory records have no web page")
        try t.keys("m")
        try t.waitFor("Mouse capture off")
        _ = wait(for: "mouse reporting switched off", in: file) { $0.contains("\u{1B}[?1006l") && $0.contains("\u{1B}[?1000l") }
    }

    @Test func openStartsTheBrowserWithTheLightningLinkAndCopyLinkMatches() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-browser-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = dir.appendingPathComponent("opened.txt")
        let browser = dir.appendingPathComponent("fake-browser")
        // Records each argument on its own line: a URL split by a shell would show up as several lines.
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> \(Tmux.quote(record.path))\n"
            .write(to: browser, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: browser.path)
        let t = try Tmux("open-sf", width: 100, height: 30, args: ["demo", "--salesforce-emulator"], environment: ["BROWSER": browser.path])
        defer { t.kill() }
        let file = try pipe(t)
        defer { try? FileManager.default.removeItem(at: file) }
        try t.waitFor("Salesforce", timeout: 30)
        try t.waitFor("Phone connected")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact", timeout: 20)
        try t.keys("p")
        try t.waitFor("rule 3: chosen by the agent")
        try t.keys("o")
        try t.waitFor("Opening Fred Bloggs in the browser")
        let deadline = Date().addingTimeInterval(10)
        var opened = ""
        while Date() < deadline {
            opened = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
            if !opened.isEmpty { break }
            usleep(50_000)
        }
        let lines = opened.split(separator: "\n").map(String.init)
        #expect(lines.count == 1, "one argument: \(lines)")
        let url = lines.first ?? ""
        #expect(url.range(of: #"^https?://127\.0\.0\.1:\d+/lightning/r/Contact/003[A-Za-z0-9]{12}([A-Za-z0-9]{3})?/view$"#, options: .regularExpression) != nil, "\(url)")
        try t.keys("Y")
        try t.waitFor("Copied the link to Fred Bloggs")
        let output = wait(for: "the link on the clipboard", in: file) { !clipboardWrites($0).isEmpty }
        #expect(clipboardWrites(output) == [url])
    }

    @Test func sgrClicksBeyondColumn223Work() throws {
        let t = try Tmux("sgr-click", width: 240, height: 30)
        defer { t.kill() }
        try t.waitFor("(connected)")
        try t.keys("1")
        try t.waitFor("Fred Bloggs · Contact")
        try t.keys("a")
        try t.waitFor("Connected 0:0")
        try t.keys("x")
        try t.waitFor("saves by itself in")
        try t.keys("Enter")
        try t.waitFor("History (1)")
        // The history row is on the right half of a 240-column screen; an X10 report can't name column 230.
        guard let row = try t.locate("Fred Bloggs (Contact)"), row.x > 120 else {
            Issue.record("the history row is not on the right half:\n\(try t.capture())")
            return
        }
        try t.type("\u{1b}[<0;231;\(row.y + 1)M")
        try t.type("\u{1b}[<0;231;\(row.y + 1)m")
        try t.type("\u{1b}[<0;231;\(row.y + 1)M")
        try t.type("\u{1b}[<0;231;\(row.y + 1)m")
        // A double click on the row opens its record.
        try t.waitFor("Call record 1 of 1")
    }
}
