import Foundation
import RingsideCore

extension ConsoleRenderer {
    func renderTitle(_ screen: inout Screen, _ layout: ConsoleLayout, _ ctx: inout RenderContext) {
        let w = screen.width
        screen.fill(Rect(x: 0, y: layout.title, width: w, height: 1), style: CellStyle(role: .title, reverse: true))
        var title = " Ringside · Agent console"
        if ctx.snapshot.isDemo { title += " · DEMO" }
        let user = ctx.session.user.name.isEmpty ? "" : "\(ctx.session.user.name) "
        let userWidth = min(DisplayWidth.of(user), w / 3)
        screen.put(title, x: 0, y: layout.title, style: CellStyle(role: .title, bold: true, reverse: true), maxWidth: w - userWidth - 1)
        screen.put(user, x: w - userWidth, y: layout.title, style: CellStyle(role: .title, reverse: true), maxWidth: userWidth)
    }

    func renderBanner(_ screen: inout Screen, _ layout: ConsoleLayout, _ ctx: inout RenderContext) {
        let message: (Banner.Level, String)?
        switch (ctx.state.message, ctx.session.banner) {
        case (let m?, let b?): message = m.at >= b.at ? (m.level, m.text) : (b.level, b.text)
        case (let m?, nil): message = (m.level, m.text)
        case (nil, let b?): message = (b.level, b.text)
        case (nil, nil): message = nil
        }
        guard let (level, text) = message else { return }
        let style: CellStyle
        let mark: String
        switch level {
        case .info:
            style = .normal
            mark = " i "
        case .warning:
            style = .warning
            mark = " ! "
        case .error:
            style = CellStyle(role: .error, bold: true, reverse: true)
            mark = " ✗ "
        }
        screen.put(mark, x: 0, y: layout.banner, style: style)
        screen.put(text, x: 3, y: layout.banner, style: style, maxWidth: screen.width - 3)
    }

    /// The main buttons (always the same place) and a context row (the call's action, demo keys).
    func renderKeyBar(_ screen: inout Screen, _ layout: ConsoleLayout, _ ctx: inout RenderContext) {
        let call = ctx.session.focusedCall
        let holdLabel = call?.state == .held ? "Resume" : "Hold"
        let readyLabel: String
        switch ctx.session.availability {
        case .ready: readyLabel = "Not ready"
        case .notReady: readyLabel = "Ready"
        }
        let main: [(ConsoleCommand, String)] = [
            (.answer, "Answer"), (.holdResume, holdLabel), (.transfer, "Transfer"), (.hangUp, "Hang up"),
            (.dial, "Dial"), (.toggleReady, readyLabel), (.help, "Help"), (.quit, "Quit"),
        ]
        drawButtons(main, y: layout.keyBar, &screen, ctx)

        var context: [(ConsoleCommand, String)] = []
        if let call {
            switch call.match {
            case .finished(.pop, _): context.append((.pop, "Pop"))
            case .finished(.search, _): context.append((.search, "Search"))
            case .finished(.new(let type), _) where !call.isInternal: context.append((.new, "New \(type.rawValue)"))
            case .finished(.new, _), .notStarted, .skippedInternal, .searching, .failed: break
            }
            if call.state == .wrapUp { context.append((.notes, "Notes")) }
        }
        if ctx.session.calls.count > 1 { context.append((.nextCall, "Next call")) }
        context.append((.filter, "Filter"))
        context.append((.nextPane, "Pane"))
        let used = drawButtons(context, y: layout.contextBar, &screen, ctx)
        if ctx.snapshot.isDemo {
            let demo: [(ConsoleCommand, String)] = [
                (.demoRandom, "Random"), (.demoSingle, "One"), (.demoMultiple, "Many"),
                (.demoNoMatch, "None"), (.demoInternal, "Ext"), (.demoJapanese, "日本"), (.demoHostile, "Evil"),
            ]
            var x = used + 2
            screen.put("Demo:", x: x, y: layout.contextBar, style: .muted)
            x += 6
            for (command, label) in demo {
                let key = keyTable.keyLabel(for: command)
                // Whole items only: a key without its label means nothing, so items that don't fit are left
                // out (every key is in ? help).
                let w = DisplayWidth.of(key) + 1 + DisplayWidth.of(label)
                guard x + w <= screen.width else { break }
                screen.put(key, x: x, y: layout.contextBar, style: .accent)
                screen.put(" \(label)", x: x + DisplayWidth.of(key), y: layout.contextBar, style: .muted)
                screen.addRegion(Rect(x: x, y: layout.contextBar, width: w, height: 1), .command(command))
                x += w + 2
            }
        }
    }

    /// Draws `key Label` buttons left to right; unavailable ones dimmed. Returns the end column.
    @discardableResult
    func drawButtons(_ buttons: [(ConsoleCommand, String)], y: Int, _ screen: inout Screen, _ ctx: RenderContext) -> Int {
        let totalWidth = buttons.reduce(0) { $0 + DisplayWidth.of(keyTable.keyLabel(for: $1.0)) + 1 + DisplayWidth.of($1.1) }
        let gap = totalWidth + (buttons.count - 1) * 2 + 2 <= screen.width ? 2 : 1
        var x = 1
        for (command, label) in buttons {
            let key = keyTable.keyLabel(for: command)
            let w = DisplayWidth.of(key) + 1 + DisplayWidth.of(label)
            guard x + w <= screen.width else { break }
            let available = ctx.available(command)
            screen.put(key, x: x, y: y, style: available ? CellStyle(role: .accent, bold: true, reverse: true) : CellStyle.accent.dimmed)
            screen.put(" " + label, x: x + DisplayWidth.of(key), y: y, style: available ? .normal : CellStyle.normal.dimmed)
            screen.addRegion(Rect(x: x, y: y, width: w, height: 1), .command(command))
            x += w + gap
        }
        return x - gap
    }

    func renderStatusBar(_ screen: inout Screen, _ layout: ConsoleLayout, _ ctx: inout RenderContext) {
        let y = layout.status
        let w = screen.width
        let bar = CellStyle(reverse: true)
        screen.fill(Rect(x: 0, y: y, width: w, height: 1), style: bar)
        let session = ctx.session
        let time = ctx.clock.time(ctx.now)
        let candidates = ["\(ctx.clock.day(ctx.now)) \(time) \(session.user.timeZone) ", "\(time) \(session.user.timeZone) ", "\(time) "]
        let clock = candidates.first { DisplayWidth.of($0) <= w / 3 } ?? "\(time) "
        let clockWidth = DisplayWidth.of(clock)
        screen.put(clock, x: w - clockWidth, y: y, style: bar, maxWidth: clockWidth)
        let wide = w >= 120

        let activity = session.activity
        let activityStyle: CellStyle
        switch activity {
        case .ready: activityStyle = CellStyle(role: .good, bold: true, reverse: true)
        case .notReady, .wrapUp: activityStyle = CellStyle(role: .warning, bold: true, reverse: true)
        case .onCall: activityStyle = CellStyle(role: .accent, bold: true, reverse: true)
        case .offline: activityStyle = CellStyle(role: .error, bold: true, reverse: true)
        }
        var status = session.statusLabel
        if case .notReady = session.availability, session.calls.allSatisfy({ !$0.isLive }), let since = ctx.state.notReadySince {
            // How long the agent has been Not ready (supervisors see the same on the wallboard).
            status += " \(NumberDisplay.duration(max(0, Int(ctx.now.timeIntervalSince(since)))))"
        }
        var parts: [(String, CellStyle)] = [(" \(status) ", activityStyle)]
        let phone: String
        switch session.phoneLink {
        case .connecting: phone = "connecting"
        case .connected: phone = "connected"
        case .disconnected(let reason): phone = "DOWN: \(reason)"
        }
        let phoneText = wide ? " Phone: \(ctx.snapshot.phoneLabel) (\(phone)) " : " Phone \(phone) "
        parts.append((phoneText, session.phoneLink == .connected ? bar : CellStyle(role: .error, bold: true, reverse: true)))
        let crm: String
        var crmStyle = bar
        switch session.crm {
        case .local: crm = "local"
        case .connected: crm = "connected"
        case .unavailable(let why):
            crm = "unavailable: \(why)"
            crmStyle = CellStyle(role: .error, bold: true, reverse: true)
        }
        let crmText: String
        switch session.crm {
        case .local, .connected: crmText = wide ? " CRM: \(ctx.snapshot.crmLabel) (\(crm)) " : " \(ctx.snapshot.crmLabel) "
        case .unavailable: crmText = " \(ctx.snapshot.crmLabel): \(crm) "
        }
        parts.append((crmText, crmStyle))
        var outbox = " Queued \(session.queued)"
        if session.parked > 0 { outbox += " · Parked \(session.parked)" }
        parts.append((outbox + " ", session.parked > 0 ? CellStyle(role: .error, bold: true, reverse: true) : bar))
        var x = 0
        let limit = w - clockWidth - 1
        for (index, (text, style)) in parts.enumerated() {
            if index > 0 {
                guard x < limit else { break }
                x += screen.put("│", x: x, y: y, style: bar, maxWidth: limit - x)
            }
            guard x < limit else { break }
            x += screen.put(text, x: x, y: y, style: style, maxWidth: limit - x)
        }
    }
}
