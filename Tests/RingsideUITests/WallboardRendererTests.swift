import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

private let t0 = Fixtures.t0
private func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }
private let utc = TimeZone(identifier: "UTC")!

/// A fixed team: every state, inbound/outbound/ringing calls, a hostile name, wide characters, a long name.
enum WallboardFixture {
    static func team(link: PresenceLink = .connected, queue: Bool = true) -> TeamModel {
        var m = TeamModel(trackingStart: at(-3600), timeZone: utc)
        m.apply(.link(link), at: at(-3600))
        let inbound = PresenceCall(direction: .inbound, number: "07814 256404", matchedName: "Fred Bloggs", startedAt: at(-200), answeredAt: at(-190))
        let outbound = PresenceCall(direction: .outbound, number: "020 7946 0000", matchedName: "佐藤 花子 Holdings", startedAt: at(-75), answeredAt: at(-70),
                                    heldSince: at(-30))
        let ringing = PresenceCall(direction: .inbound, number: "+1 212 555 0100", startedAt: at(-4))
        let agents = [
            AgentPresence(agentId: "a01", name: "Amelia Hughes", state: .onCall, since: at(-190), call: inbound),
            AgentPresence(agentId: "a02", name: "山田 太郎", state: .onCall, since: at(-70), call: outbound),
            AgentPresence(agentId: "a03", name: "Eve\u{1B}]0;pwned\u{07}\u{1B}[2J Mallory", state: .ready, since: at(-42)),
            AgentPresence(agentId: "a04", name: "Bartholomew Fitzwilliam-Smythe the Third", state: .notReady, reason: "Lunch", since: at(-1805)),
            AgentPresence(agentId: "a05", name: "Zoë Ångström", state: .wrapUp, since: at(-15), call: inbound),
            AgentPresence(agentId: "a06", name: "Oliver Patel", state: .offline, since: at(-7200)),
            AgentPresence(agentId: "a07", name: "Priya Nowak", state: .onCall, since: at(-4), call: ringing),
            AgentPresence(agentId: "a08", name: "Kwame Okafor", state: .notReady, reason: "Training with a very long reason", since: at(-600)),
            AgentPresence(agentId: "a09", name: "Chloé Dubois", state: .ready, since: at(-5)),
        ]
        for a in agents { m.apply(.presence(a), at: a.since) }
        if queue {
            let events: [QueueEvent] = [
                .arrived(callId: "q1", at: at(-400)), .answered(callId: "q1", at: at(-390)),
                .arrived(callId: "q2", at: at(-300)), .answered(callId: "q2", at: at(-250)),
                .arrived(callId: "q3", at: at(-200)), .abandoned(callId: "q3", at: at(-197)),
                .arrived(callId: "q4", at: at(-180)), .abandoned(callId: "q4", at: at(-120)),
                .arrived(callId: "q5", at: at(-100)), .answered(callId: "q5", at: at(-95)),
                .completed(callId: "q1", at: at(-100), handleSeconds: 290),
                .arrived(callId: "q6", at: at(-47)), .arrived(callId: "q7", at: at(-3)),
            ]
            for e in events { m.apply(.queue(e), at: e.at) }
        }
        m.apply(.malformed(topic: "ringside/acme/agents/x", reason: "not JSON"), at: at(-1))
        return m
    }

    static func snapshot(_ team: TeamModel = team(), queue: Bool = true) -> TeamSnapshot {
        TeamSnapshot(team: team, tenant: "acme", source: "mqtt://127.0.0.1:1883", hasQueueFeed: queue)
    }

    /// `count` agents spread over every state, for scale tests.
    static func crowd(_ count: Int) -> TeamModel {
        var m = TeamModel(trackingStart: at(-3600))
        m.apply(.link(.connected), at: t0)
        let states = PresenceState.allCases
        for i in 0..<count {
            let state = states[i % states.count]
            let call = state == .onCall ? PresenceCall(direction: i % 2 == 0 ? .inbound : .outbound, number: "07700 9\(String(format: "%05d", i))",
                                                       matchedName: i % 3 == 0 ? "Customer \(i)" : nil, startedAt: at(-Double(i % 600)), answeredAt: at(-Double(i % 600)))
                : nil
            m.apply(.presence(AgentPresence(agentId: String(format: "agent-%04d", i + 1), name: "Agent \(String(format: "%04d", i + 1))", state: state,
                                            reason: state == .notReady ? "Break" : nil, since: at(-Double((i * 37) % 3000)), call: call)), at: t0)
        }
        return m
    }
}

@Suite("Wallboard rendering")
struct WallboardRendererTests {
    let renderer = WallboardRenderer(timeZone: utc)

    private func render(_ snapshot: TeamSnapshot = WallboardFixture.snapshot(), _ state: WallboardState = WallboardState(),
                        _ width: Int = 100, _ height: Int = 24) -> Screen {
        renderer.render(snapshot, state, size: TermSize(width: width, height: height), now: t0)
    }

    @Test func golden100x24() { Golden.check(render(), "wallboard-100x24") }
    @Test func golden80x24() { Golden.check(render(WallboardFixture.snapshot(), WallboardState(), 80, 24), "wallboard-80x24") }
    @Test func golden132x30() { Golden.check(render(WallboardFixture.snapshot(), WallboardState(), 132, 30), "wallboard-132x30") }

    @Test func goldenSortedByNameReversed() {
        var state = WallboardState()
        state.sort = .name
        state.descending = true
        Golden.check(render(WallboardFixture.snapshot(), state), "wallboard-name-reversed")
    }

    @Test func goldenFilteredOnCallAndFinding() {
        var state = WallboardState()
        state.stateFilter = .onCall
        Golden.check(render(WallboardFixture.snapshot(), state), "wallboard-on-call")
        var find = WallboardState()
        find.editingFind = "fred"
        let screen = render(WallboardFixture.snapshot(), find)
        Golden.check(screen, "wallboard-finding")
        #expect(screen.cursor != nil)
    }

    @Test func goldenHelpAndTooSmall() {
        var state = WallboardState()
        state.showHelp = true
        Golden.check(render(WallboardFixture.snapshot(), state), "wallboard-help")
        Golden.check(render(WallboardFixture.snapshot(), WallboardState(), 59, 11), "wallboard-too-small")
    }

    @Test func goldenDisconnectedWithoutQueueFeed() {
        let snapshot = WallboardFixture.snapshot(WallboardFixture.team(link: .disconnected("lost the connection; reconnecting"), queue: false), queue: false)
        Golden.check(render(snapshot), "wallboard-disconnected")
    }

    @Test func goldenEmptyAndNoMatch() {
        Golden.check(render(WallboardFixture.snapshot(TeamModel(trackingStart: t0))), "wallboard-empty")
        var state = WallboardState()
        state.findText = "nobody"
        Golden.check(render(WallboardFixture.snapshot(), state), "wallboard-no-match")
    }

    @Test func goldenThousandAgentsScrolledToTheEnd() {
        var state = WallboardState()
        let snapshot = WallboardFixture.snapshot(WallboardFixture.crowd(1000))
        _ = WallboardReducer().reduce(.end, state: &state, rows: 1000, page: WallboardRenderer.pageSize(TermSize(width: 100, height: 30)))
        let screen = render(snapshot, state, 100, 30)
        Golden.check(screen, "wallboard-1000-end")
        #expect(screen.text.contains("979–1000 of 1000"))
        #expect(screen.text.contains("Agents 1000  On call 200  Wrap-up 200  Ready 200  Not ready 200  Offline 200"))
    }

    @Test func hostileNamesAreNeutralised() {
        let text = render().text
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{07}"))
        #expect(text.contains("Eve�� Mallory")) // each escape sequence became one visible �
    }

    @Test func stateCellsAreColouredAndTextualForMonochrome() {
        let screen = render()
        func style(ofRowContaining name: String, column: Int) -> CellStyle? {
            for y in 0..<screen.height where screen.line(y).contains(name) { return screen[column, y].style }
            return nil
        }
        let stateColumn = (0..<screen.width).first { screen.line(6).dropFirst($0).hasPrefix("State") }!
        #expect(style(ofRowContaining: "Amelia", column: stateColumn)?.role == .accent)
        #expect(style(ofRowContaining: "Chloé", column: stateColumn)?.role == .good)
        #expect(style(ofRowContaining: "Zoë", column: stateColumn)?.role == .warning)
        #expect(style(ofRowContaining: "Kwame", column: stateColumn)?.role == .error)
        #expect(style(ofRowContaining: "Oliver", column: stateColumn)?.role == .muted)
    }

    @Test func wideCharactersKeepColumnsAligned() {
        let screen = render()
        let header = screen.line(6)
        let wide = (0..<screen.height).map(screen.line).first { $0.contains("山田") }!
        // Display columns of the State column match the header's even with a double-width name.
        func column(of needle: String, in line: String) -> Int? {
            guard let r = line.range(of: needle) else { return nil }
            return DisplayWidth.of(line[..<r.lowerBound])
        }
        #expect(column(of: "On call", in: wide) == column(of: "State", in: header))
    }

    @Test func renderingAThousandAgentsIsFast() {
        let snapshot = WallboardFixture.snapshot(WallboardFixture.crowd(1000))
        let clock = ContinuousClock()
        _ = render(snapshot, WallboardState(), 160, 50)
        let elapsed = clock.measure {
            for _ in 0..<10 { _ = render(snapshot, WallboardState(), 160, 50) }
        }
        let ms = Double(elapsed.components.attoseconds) / 1e15 / 10 + Double(elapsed.components.seconds) * 100
        print("wallboard: full render of 1,000 agents at 160×50: \(String(format: "%.2f", ms)) ms (debug build)")
        #expect(ms < 250)
    }
}

@Suite("Wallboard keys")
struct WallboardReducerTests {
    let reducer = WallboardReducer()

    @Test func sortReverseAndStateFilterCycle() {
        var s = WallboardState()
        s.scroll = 5
        #expect(reducer.reduce(.char("s"), state: &s, rows: 100, page: 10) == nil)
        #expect(s.sort == .name && s.scroll == 0)
        _ = reducer.reduce(.char("r"), state: &s, rows: 100, page: 10)
        #expect(s.descending)
        var seen: [WallboardStateFilter] = []
        for _ in WallboardStateFilter.allCases {
            _ = reducer.reduce(.char("f"), state: &s, rows: 100, page: 10)
            seen.append(s.stateFilter)
        }
        #expect(seen == [.online, .onCall, .wrapUp, .ready, .notReady, .offline, .all])
        #expect(WallboardStateFilter.online.states == [.ready, .notReady, .onCall, .wrapUp])
    }

    @Test func findFieldEditing() {
        var s = WallboardState()
        _ = reducer.reduce(.char("/"), state: &s, rows: 10, page: 10)
        for c in "fredx" { _ = reducer.reduce(.char(c), state: &s, rows: 10, page: 10) }
        _ = reducer.reduce(.backspace, state: &s, rows: 10, page: 10)
        #expect(s.editingFind == "fred" && s.filter.text == "fred")
        #expect(reducer.reduce(.char("q"), state: &s, rows: 10, page: 10) == nil) // q is text while typing
        _ = reducer.reduce(.backspace, state: &s, rows: 10, page: 10)
        _ = reducer.reduce(.enter, state: &s, rows: 10, page: 10)
        #expect(s.editingFind == nil && s.findText == "fred")
        _ = reducer.reduce(.char("/"), state: &s, rows: 10, page: 10)
        #expect(s.editingFind == "fred")
        _ = reducer.reduce(.escape, state: &s, rows: 10, page: 10)
        #expect(s.editingFind == nil && s.findText == "")
    }

    @Test func escapeClearsFilters() {
        var s = WallboardState()
        s.findText = "x"
        s.stateFilter = .ready
        _ = reducer.reduce(.escape, state: &s, rows: 10, page: 10)
        #expect(s.findText == "" && s.stateFilter == .all)
    }

    @Test func scrollingIsClamped() {
        var s = WallboardState()
        _ = reducer.reduce(.up, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 0)
        _ = reducer.reduce(.down, state: &s, rows: 100, page: 10)
        _ = reducer.reduce(.char("j"), state: &s, rows: 100, page: 10)
        #expect(s.scroll == 2)
        _ = reducer.reduce(.pageDown, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 12)
        _ = reducer.reduce(.end, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 90)
        _ = reducer.reduce(.pageDown, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 90)
        _ = reducer.reduce(.home, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 0)
        reducer.scroll(3, state: &s, rows: 5, page: 10)
        #expect(s.scroll == 0) // everything fits
        reducer.scroll(-3, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 0)
    }

    /// Issue 18: a key means the same on the wallboard as in the console (`g` finds; Home/End first/last; `/` filters).
    @Test func sharedKeysMeanWhatTheyMeanInTheConsole() {
        #expect(KeyTable.standard.command(for: .char("g")) == .quickFind)
        var s = WallboardState()
        _ = reducer.reduce(.char("g"), state: &s, rows: 100, page: 10)
        #expect(s.editingFind == "" && s.scroll == 0)
        s = WallboardState()
        s.scroll = 40
        _ = reducer.reduce(.char("G"), state: &s, rows: 100, page: 10)
        #expect(s.scroll == 40)   // no longer "last": the console gives G no meaning either
        #expect(KeyTable.standard.command(for: .home) == .moveFirst && KeyTable.standard.command(for: .end) == .moveLast)
        _ = reducer.reduce(.home, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 0)
        _ = reducer.reduce(.end, state: &s, rows: 100, page: 10)
        #expect(s.scroll == 90)
        #expect(KeyTable.standard.command(for: .char("/")) == .filter)
        s = WallboardState()
        _ = reducer.reduce(.char("/"), state: &s, rows: 100, page: 10)
        #expect(s.editingFind == "")
        #expect(KeyTable.standard.command(for: .char("?")) == .help && KeyTable.standard.command(for: .char("q")) == .quit)
        s = WallboardState()
        _ = reducer.reduce(.char("i"), state: &s, rows: 0, page: 10)
        #expect(s.intervalMinutes == 15)
        _ = reducer.reduce(.char("i"), state: &s, rows: 0, page: 10)
        #expect(s.intervalMinutes == 30)
    }

    @Test func helpQuitAndRedraw() {
        var s = WallboardState()
        _ = reducer.reduce(.char("?"), state: &s, rows: 0, page: 10)
        #expect(s.showHelp)
        _ = reducer.reduce(.char("x"), state: &s, rows: 0, page: 10)
        #expect(!s.showHelp)
        #expect(reducer.reduce(.ctrl("l"), state: &s, rows: 0, page: 10) == .redraw)
        #expect(reducer.reduce(.char("q"), state: &s, rows: 0, page: 10) == .quit)
        #expect(reducer.reduce(.ctrl("d"), state: &s, rows: 0, page: 10) == .quit)
    }

    @Test func durationsAndPercentages() {
        #expect(WallboardFormat.duration(0) == "0:00")
        #expect(WallboardFormat.duration(59.9) == "0:59")
        #expect(WallboardFormat.duration(3599) == "59:59")
        #expect(WallboardFormat.duration(3600) == "1:00:00")
        #expect(WallboardFormat.duration(-5) == "0:00")
        #expect(WallboardFormat.duration(.nan) == "0:00")
        #expect(WallboardFormat.percent(nil) == "–")
        #expect(WallboardFormat.percent(66.6) == "67%")
    }

    @Test func spansHaveUnitsAndSparkCellsScale() {
        #expect(WallboardFormat.span(0) == "0s")
        #expect(WallboardFormat.span(45.9) == "45s")
        #expect(WallboardFormat.span(725) == "12m 05s")
        #expect(WallboardFormat.span(4 * 3600 + 33 * 60 + 59) == "4h 33m")
        #expect(WallboardFormat.span(.nan) == "0s" && WallboardFormat.span(1e300) == "≥10000h")
        #expect(WallboardFormat.sparkCell(nil) == "·")
        #expect(WallboardFormat.sparkCell(0) == "▁" && WallboardFormat.sparkCell(100) == "█" && WallboardFormat.sparkCell(50) == "▅")
        #expect(WallboardFormat.sparkCell(250) == "█" && WallboardFormat.sparkCell(.nan) == "·")
    }

    @Test func theDaysServiceLevelIsASparklinePerInterval() {
        // 09:00–10:30 UTC: 100% in the first half hour, 50% in the second, none answered in the third, 0% now.
        let day = Date(timeIntervalSince1970: 1_718_874_000)   // 2024-06-20 09:00 UTC
        var team = TeamModel(trackingStart: day, timeZone: utc)
        func call(_ id: String, arrive: TimeInterval, answer: TimeInterval?) {
            team.apply(.queue(.arrived(callId: id, at: day.addingTimeInterval(arrive))), at: day.addingTimeInterval(arrive))
            if let answer { team.apply(.queue(.answered(callId: id, at: day.addingTimeInterval(answer))), at: day.addingTimeInterval(answer)) }
        }
        call("a", arrive: 60, answer: 70)
        call("b", arrive: 1900, answer: 1910)
        call("c", arrive: 2000, answer: 2100)
        call("d", arrive: 5500, answer: 5560)
        let now = day.addingTimeInterval(5600)
        let screen = WallboardRenderer(timeZone: utc).render(TeamSnapshot(team: team, tenant: "t", source: "s", hasQueueFeed: true), WallboardState(),
                                                             size: TermSize(width: 100, height: 24), now: now)
        #expect(screen.line(3).contains("SL per 30 min █▅·▁"))
        var fifteen = WallboardState()
        fifteen.intervalMinutes = 15
        let fine = WallboardRenderer(timeZone: utc).render(TeamSnapshot(team: team, tenant: "t", source: "s", hasQueueFeed: true), fifteen,
                                                           size: TermSize(width: 100, height: 24), now: now)
        #expect(fine.line(3).contains("SL per 15 min █·▅···▁"))
    }

    /// Issue 17: `Int(1e300)` trapped and took every wallboard down. Any `Double` formats.
    @Test func anyDoubleFormatsWithoutTrapping() {
        for value in [1e300, -1e300, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, Double(Int.max), 9.3e18] {
            _ = WallboardFormat.duration(value)
            _ = WallboardFormat.percent(value)
            _ = WallboardFormat.whole(value)
        }
        #expect(WallboardFormat.duration(1e300) == "≥10000 h")
        #expect(WallboardFormat.duration(9_999 * 3600) == "9999:00:00")
        #expect(WallboardFormat.percent(1e300) == "999999%")
        #expect(WallboardFormat.whole(.nan) == 0)
    }

    @Test func aQueueFedOutOfRangeFiguresStillRenders() {
        // The in-memory bus hands events over without JSON; the model refuses them and the wallboard counts them.
        var team = WallboardFixture.team()
        team.apply(.queue(.completed(callId: "q5", at: at(0), handleSeconds: 1e300)), at: at(0))
        team.apply(.queue(.completed(callId: "q2", at: at(0), handleSeconds: .nan)), at: at(0))
        let text = WallboardRenderer(timeZone: utc).render(WallboardFixture.snapshot(team), WallboardState(), size: TermSize(width: 100, height: 24), now: t0).text
        #expect(text.contains("malformed 3"))
    }
}
