import Foundation
import RingsideCore

/// The supervisor wallboard as a pure function `(TeamSnapshot, WallboardState, size, now) → Screen`.
///
/// Layout, top to bottom: title bar; agents per state; queue figures; talk/hold/wrap-up time with the day's
/// service level per interval (sparkline); time per WFM activity category; a rule naming the sort and filter; the column header; one row per agent (scrolling); the footer
/// with the position, keys and the malformed-message count (or the find field while typing).
public struct WallboardRenderer: Sendable {
    /// Below this the wallboard shows how big the terminal must be instead.
    public static let minimum = TermSize(width: 60, height: 12)
    /// Rows above the agent table.
    static let headerRows = 7

    public var timeZone: TimeZone

    public init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
    }

    /// How many agent rows fit at `size`.
    public static func pageSize(_ size: TermSize) -> Int { max(1, size.height - headerRows - 1) }

    public func render(_ snapshot: TeamSnapshot, _ state: WallboardState, size: TermSize, now: Date) -> Screen {
        var screen = Screen(width: size.width, height: size.height)
        guard size.width >= Self.minimum.width, size.height >= Self.minimum.height else {
            tooSmall(&screen, size)
            return screen
        }
        let team = snapshot.team
        let filter = state.filter
        let shown = team.rowCount(filter: filter)
        title(&screen, snapshot, now: now)
        agentCounts(&screen, team, y: 1)
        queueLine(&screen, snapshot, now: now, y: 2)
        handlingLine(&screen, snapshot, state, now: now, y: 3)
        activityLine(&screen, team, now: now, y: 4)
        let showing = state.stateFilter == .all && (state.editingFind ?? state.findText).isEmpty ? "all \(team.total) agents"
            : "\(state.stateFilter.label)\((state.editingFind ?? state.findText).isEmpty ? "" : " matching “\(state.editingFind ?? state.findText)”")"
        screen.hline(y: 5, x: 0, width: size.width,
                     title: "Agents · sorted by \(state.sort.label)\(state.descending ? " (reversed)" : "") · \(showing)")
        let columns = Columns(width: size.width)
        header(&screen, columns, y: 6)
        let page = Self.pageSize(size)
        let first = WallboardReducer.clamp(state.scroll, rows: shown, page: page)
        // Only the visible page is read from the (kept-sorted) team.
        let visible = team.page(sort: state.sort, descending: state.descending, filter: filter, first: first, count: page)
        for (offset, presence) in visible.enumerated() {
            row(&screen, presence, columns, y: Self.headerRows + offset, now: now)
        }
        if shown == 0 {
            screen.put(team.total == 0 ? "Waiting for agents… (none has published on this tenant yet)" : "No agent matches; press Esc to show everyone.",
                       x: 1, y: Self.headerRows, style: .muted)
        }
        footer(&screen, state, team, shown: shown, first: first, page: page, y: size.height - 1)
        if state.showHelp { help(&screen, team, state) }
        return screen
    }

    // MARK: Sections

    private func tooSmall(_ screen: inout Screen, _ size: TermSize) {
        let lines = ["Wallboard needs \(Self.minimum.width)×\(Self.minimum.height)", "this terminal is \(size.width)×\(size.height)",
                     "enlarge it, or press q to quit"]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let w = DisplayWidth.of(line)
            screen.put(line, x: max(0, (size.width - w) / 2), y: top + i, style: i == 0 ? .warning : .normal)
        }
    }

    private func title(_ screen: inout Screen, _ snapshot: TeamSnapshot, now: Date) {
        screen.fill(Rect(x: 0, y: 0, width: screen.width, height: 1), style: .reverse)
        var formatter = Date.FormatStyle(date: .omitted, time: .standard)
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "en_GB")
        let clock = now.formatted(formatter)
        let clockWidth = DisplayWidth.of(clock) + 1
        let link: String
        switch snapshot.team.link {
        case .connected: link = "connected"
        case .connecting: link = "connecting…"
        case .disconnected(let why): link = "DISCONNECTED: \(why)"
        case .closed: link = "closed"
        }
        let text = " Ringside wallboard · tenant \(snapshot.tenant) · \(snapshot.source) \(link)"
        var style = CellStyle.reverse
        style.bold = true
        if case .disconnected = snapshot.team.link { style.role = .error }
        screen.put(text, x: 0, y: 0, style: style, maxWidth: screen.width - clockWidth - 1)
        screen.put(clock, x: screen.width - clockWidth, y: 0, style: .reverse)
    }

    private func agentCounts(_ screen: inout Screen, _ team: TeamModel, y: Int) {
        var x = screen.put(" Agents \(team.total)", x: 0, y: y, style: .bold)
        for state in [PresenceState.onCall, .wrapUp, .ready, .notReady, .offline] {
            x += screen.put("  \(state.label) ", x: x, y: y, style: .normal)
            x += screen.put("\(team.counts[state] ?? 0)", x: x, y: y, style: WallboardFormat.style(state))
        }
    }

    private func queueLine(_ screen: inout Screen, _ snapshot: TeamSnapshot, now: Date, y: Int) {
        guard snapshot.hasQueueFeed else {
            screen.put(" Queue: no queue feed (an ACD bridge publishes to \(PresenceTopic.queueEvents(tenant: snapshot.tenant)))",
                       x: 0, y: y, style: .muted)
            return
        }
        let settings = snapshot.team.queue.settings
        let f = snapshot.team.queueFigures(at: now)
        let threshold = WallboardFormat.whole(settings.serviceLevelThreshold)
        let short = WallboardFormat.whole(settings.shortAbandonThreshold)
        let slLow = f.serviceLevel.map { $0 < settings.serviceLevelTarget } ?? false
        let abandonHigh = f.abandonRate.map { $0 > settings.abandonRateLimit } ?? false
        /// Level 0: every label in full; 1: short labels but "Short abandons"; 2: all short (narrow terminals).
        func parts(_ level: Int) -> [(String, CellStyle)] {
            let compact = level > 0
            return [
                (" Waiting ", .normal), ("\(f.waiting)", f.waiting > 0 ? .warning : .bold),
                (compact ? "  Longest " : "  Longest wait ", .normal),
                (f.longestWait.map(WallboardFormat.duration) ?? "–", (f.longestWait ?? 0) > settings.serviceLevelThreshold ? .error : .bold),
                (compact ? "  SL " : "  Service level ", .normal),
                (WallboardFormat.percent(f.serviceLevel), slLow ? .warning : CellStyle(role: .good, bold: true)),
                (" (≤\(threshold) s)", .muted),
                ("  Abandoned ", .normal), ("\(f.abandoned) (\(WallboardFormat.percent(f.abandonRate)))", abandonHigh ? .error : .bold),
                (level > 1 ? "  Short (≤\(short) s) " : "  Short abandons (≤\(short) s) ", .normal), ("\(f.shortAbandoned)", .bold),
                (compact ? "  AHT " : "  Avg handle ", .normal), (f.averageHandleTime.map(WallboardFormat.duration) ?? "–", .bold),
            ]
        }
        let chosen = [parts(0), parts(1)].first { $0.reduce(0) { $0 + DisplayWidth.of($1.0) } <= screen.width } ?? parts(2)
        var x = 0
        for (text, style) in chosen { x += screen.put(text, x: x, y: y, style: style, maxWidth: max(0, screen.width - x)) }
    }

    /// Talk, hold and wrap-up time, then the day's service level per interval as a sparkline.
    private func handlingLine(_ screen: inout Screen, _ snapshot: TeamSnapshot, _ state: WallboardState, now: Date, y: Int) {
        let team = snapshot.team
        let totals = team.callActivityTotals(at: now)
        var x = screen.put(" Handling", x: 0, y: y, style: .normal)
        for activity in CallActivity.allCases {
            x += screen.put("  \(activity.rawValue) ", x: x, y: y, style: .normal)
            x += screen.put(WallboardFormat.span(totals[activity] ?? 0), x: x, y: y, style: .bold)
        }
        guard snapshot.hasQueueFeed else { return }
        let label = "   SL per \(state.intervalMinutes) min "
        let room = screen.width - x - DisplayWidth.of(label) - 1
        guard room >= 4 else { return }
        x += screen.put(label, x: x, y: y, style: .muted)
        let series = team.intervals.series(through: now, length: TimeInterval(state.intervalMinutes * 60)).suffix(room)
        if series.isEmpty {
            screen.put("no calls yet", x: x, y: y, style: .muted)
            return
        }
        let target = team.queue.settings.serviceLevelTarget
        for interval in series {
            let cell = WallboardFormat.sparkCell(interval.serviceLevel)
            let low = interval.serviceLevel.map { $0 < target } ?? false
            x += screen.put(cell, x: x, y: y, style: interval.serviceLevel == nil ? .muted : (low ? .warning : CellStyle(role: .good)), ellipsis: false)
        }
    }

    private func activityLine(_ screen: inout Screen, _ team: TeamModel, now: Date, y: Int) {
        let totals = team.activityTotals(at: now)
        var x = screen.put(" Time", x: 0, y: y, style: .normal)
        for category in [ActivityCategory.ready, .idle, .notReady, .admin] {
            x += screen.put("  \(category.rawValue) ", x: x, y: y, style: .normal)
            x += screen.put(WallboardFormat.span(totals[category] ?? 0), x: x, y: y, style: .bold)
        }
        var formatter = Date.FormatStyle(date: .omitted, time: .shortened)
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "en_GB")
        screen.put("  since \(team.activity.trackingStart.formatted(formatter))", x: x, y: y, style: .muted, maxWidth: max(0, screen.width - x))
    }

    /// Column positions for a width.
    struct Columns {
        var name: Int, state: Int, reason: Int, time: Int, call: Int
        var nameWidth: Int, reasonWidth: Int, callWidth: Int
        static let stateWidth = 9
        static let timeWidth = 8

        init(width: Int) {
            nameWidth = min(28, max(14, width / 5))
            reasonWidth = width >= 100 ? 12 : 9
            name = 1
            state = name + nameWidth + 1
            reason = state + Self.stateWidth + 1
            time = reason + reasonWidth + 1
            call = time + Self.timeWidth + 1
            callWidth = max(0, width - call - 1)
        }
    }

    private func header(_ screen: inout Screen, _ c: Columns, y: Int) {
        let style = CellStyle(role: .title, bold: true, underline: false)
        screen.put("Name", x: c.name, y: y, style: style)
        screen.put("State", x: c.state, y: y, style: style)
        screen.put("Reason", x: c.reason, y: y, style: style)
        screen.put(TextFitting.padLeft("In state", to: Columns.timeWidth), x: c.time, y: y, style: style)
        screen.put("Call", x: c.call, y: y, style: style, maxWidth: c.callWidth)
    }

    private func row(_ screen: inout Screen, _ p: AgentPresence, _ c: Columns, y: Int, now: Date) {
        screen.put(p.name, x: c.name, y: y, maxWidth: c.nameWidth)
        screen.put(p.state.label, x: c.state, y: y, style: WallboardFormat.style(p.state), maxWidth: Columns.stateWidth)
        if p.state == .notReady, let reason = p.reason, !reason.isEmpty {
            screen.put(reason, x: c.reason, y: y, maxWidth: c.reasonWidth)
        }
        screen.put(TextFitting.padLeft(WallboardFormat.duration(now.timeIntervalSince(p.since)), to: Columns.timeWidth), x: c.time, y: y)
        guard let call = p.call, c.callWidth >= 12 else { return }
        let duration = WallboardFormat.duration(now.timeIntervalSince(call.answeredAt ?? call.startedAt))
        let durationWidth = DisplayWidth.of(duration)
        var x = c.call
        x += screen.put(WallboardFormat.direction(call.direction), x: x, y: y, style: .muted, maxWidth: 3)
        x = c.call + 4
        let end = c.call + c.callWidth - durationWidth - 1
        x += screen.put(call.number, x: x, y: y, maxWidth: max(0, min(16, end - x)))
        if let name = call.matchedName, !name.isEmpty, end - x > 3 {
            screen.put(name, x: x + 2, y: y, style: .bold, maxWidth: end - x - 2)
        }
        screen.put(duration, x: c.call + c.callWidth - durationWidth, y: y, style: call.answeredAt == nil ? .warning : .normal)
    }

    private func footer(_ screen: inout Screen, _ state: WallboardState, _ team: TeamModel, shown: Int, first: Int, page: Int, y: Int) {
        screen.fill(Rect(x: 0, y: y, width: screen.width, height: 1), style: .reverse)
        if let text = state.editingFind {
            let prompt = " Find: "
            let x = screen.put(prompt, x: 0, y: y, style: CellStyle(bold: true, reverse: true))
            let shownText = TextFitting.truncate(text, to: max(1, screen.width - x - 30))
            let w = screen.put(shownText, x: x, y: y, style: .reverse, ellipsis: false)
            screen.cursor = (x + w, y)
            screen.put("Enter keep · Esc clear", x: screen.width - 23, y: y, style: .reverse)
            return
        }
        let last = min(shown, first + page)
        let position = shown == 0 ? "0 of \(team.total)" : "\(first + 1)–\(last) of \(shown)\(shown != team.total ? " (\(team.total) total)" : "")"
        let malformed = team.malformed > 0 ? " malformed \(team.malformed) " : ""
        let keys = "  s sort  r reverse  f show  / find  ? help  q quit"
        var x = screen.put(" \(position)", x: 0, y: y, style: CellStyle(bold: true, reverse: true))
        x += screen.put(keys, x: x, y: y, style: .reverse, maxWidth: max(0, screen.width - x - DisplayWidth.of(malformed)))
        if !malformed.isEmpty {
            screen.put(malformed, x: screen.width - DisplayWidth.of(malformed), y: y, style: CellStyle(role: .warning, bold: true, reverse: true))
        }
    }

    private func help(_ screen: inout Screen, _ team: TeamModel, _ state: WallboardState) {
        let keys = WallboardReducer.help.map { ($0.keys, $0.text) }
        let legend = WallboardReducer.legend(settings: team.queue.settings, mapping: team.activity.mapping, intervalMinutes: state.intervalMinutes)
        var items = keys + [("", "")] + legend.map { ($0.keys, $0.text) }
        let keyWidth = items.map { DisplayWidth.of($0.0) }.max() ?? 0
        let width = min(screen.width - 4, 4 + keyWidth + 2 + (items.map { DisplayWidth.of($0.1) }.max() ?? 0))
        let height = min(screen.height - 2, items.count + 4)
        if items.count > height - 4 { items = Array(items.prefix(height - 4)) }
        let x = max(0, (screen.width - width) / 2), y = max(0, (screen.height - height) / 2)
        screen.fill(Rect(x: x, y: y, width: width, height: height))
        screen.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: y, style: .accent, ellipsis: false)
        screen.put(" Wallboard keys and legend ", x: x + 2, y: y, style: .title)
        for i in 1..<(height - 1) {
            screen.put("│", x: x, y: y + i, style: .accent)
            screen.put("│", x: x + width - 1, y: y + i, style: .accent)
        }
        screen.put("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: y + height - 1, style: .accent, ellipsis: false)
        for (i, item) in items.enumerated() {
            screen.put(item.0, x: x + 2, y: y + 2 + i, style: .accent, maxWidth: keyWidth)
            screen.put(item.1, x: x + 4 + keyWidth, y: y + 2 + i, maxWidth: width - keyWidth - 6)
        }
        screen.put("any key closes", x: x + width - 17, y: y + height - 1, style: .muted)
    }
}
