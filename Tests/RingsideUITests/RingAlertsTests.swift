import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

@Suite struct RingAlertsTests {
    static func alerts(_ settings: AlertSettings = AlertSettings(), notify: NotificationProtocol? = nil) -> RingAlerts {
        RingAlerts(settings: settings, notification: notify)
    }

    @Test func ringingBellsOnceTitlesWithTheCallerAndRestoresAfter() {
        var alerts = Self.alerts(notify: .osc9)
        var driver = ConsoleFixtures.idle()
        #expect(alerts.update(driver.session).isEmpty)
        driver.phone(.incoming(ConsoleFixtures.line, remote: Fixtures.fredRaw))
        let first = alerts.update(driver.session)
        #expect(first.first == .bell)
        #expect(first.contains { if case .notify(_, _, .osc9) = $0 { true } else { false } })
        guard case .setTitle(let searching) = first.last else {
            Issue.record("no title while ringing: \(first)")
            return
        }
        #expect(searching.hasPrefix("Ringing: "))
        // The lookup finds Fred: the title follows, without another bell.
        let id = driver.issuedIDs.last ?? ""
        driver.send(.lookupFinished(id, LookupResult(candidates: [ConsoleFixtures.fred], source: .index(syncedAt: nil))))
        #expect(alerts.update(driver.session) == [.updateTitle("Ringing: Fred Bloggs")])
        #expect(alerts.update(driver.session).isEmpty)
        driver.agent(.answer)
        driver.phone(.established(ConsoleFixtures.line))
        #expect(alerts.update(driver.session) == [.restoreTitle])
        #expect(alerts.update(driver.session).isEmpty)
        #expect(alerts.finish().isEmpty)
    }

    @Test func eachSettingCanBeTurnedOff() {
        var quiet = Self.alerts(AlertSettings(bell: false, title: false, notify: .off))
        let driver = ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred])
        #expect(quiet.update(driver.session).isEmpty)
        var titleOnly = Self.alerts(AlertSettings(bell: false, title: true, notify: .off))
        #expect(titleOnly.update(driver.session) == [.setTitle("Ringing: Fred Bloggs")])
        // Quitting while it rings puts the title back.
        #expect(titleOnly.finish() == [.restoreTitle])
    }

    @Test func notificationProtocolFollowsTheTerminal() {
        #expect(NotificationProtocol.resolve(.auto, environment: ["TERM": "screen"]) == nil)
        #expect(NotificationProtocol.resolve(.auto, environment: ["TERM_PROGRAM": "iTerm.app"]) == .osc9)
        #expect(NotificationProtocol.resolve(.auto, environment: ["TERM": "xterm-256color", "VTE_VERSION": "7600"]) == .osc777)
        #expect(NotificationProtocol.resolve(.on, environment: ["TERM": "screen"]) == .osc9)
        #expect(NotificationProtocol.resolve(.off, environment: ["TERM_PROGRAM": "iTerm.app"]) == nil)
    }

    @Test func sequencesAreExactAndHostileNamesCantEscape() {
        #expect(TerminalSignal.bell.escapeSequence == "\u{07}")
        #expect(TerminalSignal.setTitle("Ringing: Fred").escapeSequence == "\u{1B}[22;0t\u{1B}]2;Ringing: Fred\u{07}")
        #expect(TerminalSignal.restoreTitle.escapeSequence == "\u{1B}]2;Ringside\u{07}\u{1B}[23;0t")
        #expect(TerminalSignal.notify(title: "Call", body: "Fred; Bloggs", .osc777).escapeSequence == "\u{1B}]777;notify;Call;Fred, Bloggs\u{07}")
        let hostile = TerminalSignal.updateTitle("Ringing: \u{1B}]2;pwned\u{07}\u{1B}[2JMallory").escapeSequence
        // Exactly one OSC start and one terminator: the name can't close the title or start a sequence.
        #expect(hostile.filter { $0 == "\u{1B}" }.count == 1)
        #expect(hostile.filter { $0 == "\u{07}" }.count == 1)
        #expect(hostile.hasSuffix("Mallory\u{07}"))
    }
}
