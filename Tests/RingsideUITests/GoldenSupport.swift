import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

/// Golden screen files: `Golden/<name>.txt`. `RINGSIDE_UPDATE_GOLDEN=1` rewrites them; otherwise the
/// rendered text must equal the file, and a mismatch fails with a line diff.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["RINGSIDE_UPDATE_GOLDEN"] == "1" }

    static func check(_ screen: Screen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = screen.text + "\n"
        let url = directory.appendingPathComponent("\(name).txt")
        if updating {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            do { try text.write(to: url, atomically: true, encoding: .utf8) } catch {
                Issue.record("could not write \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(name).txt; run with RINGSIDE_UPDATE_GOLDEN=1 to record it.\n\(text)", sourceLocation: sourceLocation)
            return
        }
        if expected != text {
            Issue.record("screen differs from Golden/\(name).txt (RINGSIDE_UPDATE_GOLDEN=1 to accept):\n\(diff(expected, text))", sourceLocation: sourceLocation)
        }
    }

    static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.components(separatedBy: "\n")
        let b = actual.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(a.count, b.count) {
            let l = i < a.count ? a[i] : "<none>"
            let r = i < b.count ? b[i] : "<none>"
            if l != r {
                out.append(String(format: "%3d - %@", i, l))
                out.append(String(format: "%3d + %@", i, r))
            }
        }
        return out.joined(separator: "\n")
    }
}

/// Builds snapshots and drives the reducer + renderer like the loop does.
struct Harness {
    var driver: SessionDriver
    var history: [CallRecord] = []
    var isDemo = true
    /// Salesforce mode: the instance records open in.
    var linkBase: String?
    var state = ConsoleState()
    var size = TermSize(width: 80, height: 24)
    let reducer = ConsoleReducer()
    let renderer = ConsoleRenderer()

    init(_ driver: SessionDriver, history: [CallRecord] = [], isDemo: Bool = true, entries: [NumberListEntry] = ConsoleFixtures.numberEntries()) {
        self.driver = driver
        self.history = history
        self.isDemo = isDemo
        state.numbers = NumberListView(NumberListData(entries: entries))
        reducer.reconcile(&state, snapshot)
    }

    var snapshot: ConsoleSnapshot {
        ConsoleSnapshot(session: driver.session, history: history, isDemo: isDemo, crmLabel: "Local directory", phoneLabel: "Simulated phone",
                        recordLinkBase: linkBase)
    }

    func screen(_ size: TermSize? = nil) -> Screen {
        renderer.render(snapshot, state, size: size ?? self.size, now: driver.now)
    }

    /// Sends events; applies agent requests to the session like the runtime would; returns every request.
    @discardableResult
    mutating func send(_ events: ConsoleEvent...) -> [ConsoleRequest] {
        var all: [ConsoleRequest] = []
        for event in events {
            let requests = reducer.reduce(event, state: &state, snapshot: snapshot, now: driver.now)
            all += requests
            for request in requests {
                if case .agent(let command) = request { driver.agent(command) }
            }
            reducer.reconcile(&state, snapshot)
        }
        return all
    }

    @discardableResult
    mutating func keys(_ keys: Key...) -> [ConsoleRequest] {
        var all: [ConsoleRequest] = []
        for key in keys { all += send(.key(key)) }
        return all
    }

    @discardableResult
    mutating func type(_ text: String) -> [ConsoleRequest] {
        var all: [ConsoleRequest] = []
        for c in text { all += send(.key(.char(c))) }
        return all
    }

    /// Clicks the first region whose target satisfies `match` on the current screen.
    mutating func click(double: Bool = false, where match: (ClickTarget) -> Bool) -> [ConsoleRequest]? {
        let screen = self.screen()
        guard let region = screen.regions.last(where: { match($0.target) }) else { return nil }
        guard let target = screen.hitTest(x: region.rect.x, y: region.rect.y) else { return nil }
        return send(double ? .doubleClick(target) : .click(target))
    }
}
