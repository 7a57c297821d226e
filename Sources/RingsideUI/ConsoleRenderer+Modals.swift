import Foundation
import RingsideCore

extension ConsoleRenderer {
    func renderModal(_ modal: Modal, _ screen: inout Screen, _ ctx: inout RenderContext) {
        switch modal {
        case .help(let offset): renderHelp(offset, &screen, ctx)
        case .quitConfirm: renderQuitConfirm(&screen, ctx)
        case .notReadyPicker(let selection): renderNotReady(selection, &screen, ctx)
        case .transfer(let prompt): renderTransfer(prompt, &screen, ctx)
        case .historyDetail(let index): renderHistoryDetail(index, &screen, ctx)
        case .find(let finder): renderFinder(finder, &screen, ctx)
        }
    }

    /// Draws a bordered box centred on the screen and returns its inner rectangle.
    func box(width: Int, height: Int, title: String, _ screen: inout Screen) -> Rect {
        let w = min(width, screen.width - 2)
        let h = min(height, screen.height - 2)
        let x = (screen.width - w) / 2
        let y = (screen.height - h) / 2
        screen.fill(Rect(x: x, y: y, width: w, height: h))
        screen.put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x, y: y, style: .title, ellipsis: false)
        for row in 1..<(h - 1) {
            screen.put("│", x: x, y: y + row, style: .title)
            screen.put("│", x: x + w - 1, y: y + row, style: .title)
        }
        screen.put("└" + String(repeating: "─", count: w - 2) + "┘", x: x, y: y + h - 1, style: .title, ellipsis: false)
        screen.put(" \(title) ", x: x + 2, y: y, style: CellStyle(role: .title, bold: true, reverse: true), maxWidth: w - 4)
        let close = "[Esc]"
        screen.put(close, x: x + w - 2 - DisplayWidth.of(close), y: y, style: .accent)
        screen.addRegion(Rect(x: x + w - 2 - DisplayWidth.of(close), y: y, width: DisplayWidth.of(close), height: 1), .key(.escape))
        return Rect(x: x + 2, y: y + 1, width: w - 4, height: h - 2)
    }

    /// Help lines generated from the key table (demo commands only in demo mode).
    func helpLines(_ ctx: RenderContext) -> [(key: String, text: String, style: CellStyle)] {
        var lines: [(String, String, CellStyle)] = []
        for section in KeyBinding.Section.allCases {
            if section == .demo && !ctx.snapshot.isDemo { continue }
            let bindings = keyTable.bindings.filter { $0.section == section }
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append(("", "", .normal)) }
            lines.append((section.rawValue, "", .title))
            for binding in bindings {
                let reason = binding.command.unavailableReason(ctx.snapshot, ctx.state)
                var text = "\(binding.command.title): \(binding.command.help)"
                if let reason { text += " (now: \(reason))" }
                lines.append((binding.keyLabel, text, reason == nil ? .normal : CellStyle.normal.dimmed))
            }
        }
        lines.append(("", "", .normal))
        lines.append(("Text fields", "", .title))
        for (key, text) in KeyTable.textFieldHelp { lines.append((key, text, .normal)) }
        lines.append(("", "", .normal))
        lines.append(("Number list", "", .title))
        lines.append(("★", "Favourite", .normal))
        lines.append(("↺", "Recent call (newest first)", .normal))
        lines.append(("·", "Directory record", .normal))
        lines.append(("", "", .normal))
        lines.append(("Mouse", "Click a button, a list row, a tab or a pane title (m: let the terminal select text)", .normal))
        return lines
    }

    private func renderHelp(_ offset: Int, _ screen: inout Screen, _ ctx: RenderContext) {
        let lines = helpLines(ctx)
        // As wide as the longest line (so wide terminals show whole explanations), within the screen.
        let longest = lines.map { $0.text.isEmpty ? DisplayWidth.of($0.key) : 14 + DisplayWidth.of($0.text) }.max() ?? 0
        let inner = box(width: max(100, longest + 4), height: screen.height - 2,
                        title: "Help: every key (dimmed = not now) · ↑/↓ scroll · Esc closes", &screen)
        let start = min(offset, max(0, lines.count - inner.height))
        for (row, line) in lines.dropFirst(start).prefix(inner.height).enumerated() {
            let y = inner.y + row
            if line.text.isEmpty {
                screen.put(line.key, x: inner.x, y: y, style: line.style, maxWidth: inner.width)
            } else {
                screen.put(line.key, x: inner.x, y: y, style: line.style.dim ? CellStyle.accent.dimmed : .accent, maxWidth: 13)
                screen.put(line.text, x: inner.x + 14, y: y, style: line.style, maxWidth: inner.width - 14)
            }
        }
        if lines.count > inner.height {
            let more = "\(start + 1)–\(min(lines.count, start + inner.height)) of \(lines.count)"
            screen.put(more, x: inner.x + inner.width - DisplayWidth.of(more), y: inner.y + inner.height, style: .muted)
        }
    }

    private func renderQuitConfirm(_ screen: inout Screen, _ ctx: RenderContext) {
        let inner = box(width: 64, height: 8, title: "Quit Ringside?", &screen)
        let consequence = ctx.session.quitConsequence(callsOutliveRingside: ctx.snapshot.callsOutliveRingside) ?? ""
        let lines = Self.wrap(consequence, width: inner.width)
        for (row, line) in lines.prefix(3).enumerated() {
            screen.put(line, x: inner.x, y: inner.y + row, style: .warning, maxWidth: inner.width)
        }
        screen.put("Quit anyway?", x: inner.x, y: inner.y + min(lines.count, 3), maxWidth: inner.width)
        let yes = " y Quit "
        let no = " n Stay "
        let buttons = inner.y + inner.height - 1
        screen.put(yes, x: inner.x, y: buttons, style: CellStyle(role: .error, bold: true, reverse: true))
        screen.addRegion(Rect(x: inner.x, y: buttons, width: DisplayWidth.of(yes), height: 1), .key(.char("y")))
        screen.put(no, x: inner.x + 12, y: buttons, style: CellStyle(role: .accent, bold: true, reverse: true))
        screen.addRegion(Rect(x: inner.x + 12, y: buttons, width: DisplayWidth.of(no), height: 1), .key(.char("n")))
    }

    private func renderNotReady(_ selection: Int, _ screen: inout Screen, _ ctx: RenderContext) {
        let reasons = ctx.session.settings.notReadyReasons
        let inner = box(width: 44, height: min(reasons.count, 9) + 4, title: "Not ready: why?", &screen)
        screen.put("↑/↓ and Enter, or the number · Esc stays Ready", x: inner.x, y: inner.y, style: .muted, maxWidth: inner.width)
        for (index, reason) in reasons.prefix(inner.height - 1).enumerated() {
            let y = inner.y + 1 + index
            let style: CellStyle = index == selection ? .selected : .normal
            screen.put(TextFitting.pad("\(index + 1)  \(reason)", to: inner.width), x: inner.x, y: y, style: style)
            screen.addRegion(Rect(x: inner.x, y: y, width: inner.width, height: 1), .row(.notReadyReasons, index))
        }
    }

    private func renderTransfer(_ prompt: TransferPrompt, _ screen: inout Screen, _ ctx: RenderContext) {
        let text = prompt.text
        let inner = box(width: 72, height: 14, title: "Transfer (blind)", &screen)
        let label = "Transfer to: "
        screen.put(label, x: inner.x, y: inner.y, style: .bold)
        let fieldX = inner.x + DisplayWidth.of(label)
        let fieldWidth = inner.width - DisplayWidth.of(label)
        let window = prompt.editor.window(width: fieldWidth)
        screen.put(TextFitting.pad(window.text, to: fieldWidth), x: fieldX, y: inner.y, style: CellStyle(underline: true))
        if !text.trimmingCharacters(in: .whitespaces).isEmpty {
            switch NumberDisplay.parse(text, ctx.session) {
            case .success(let number):
                screen.put("→ \(number.e164)\(number.isInternal ? " (internal extension)" : "")", x: fieldX, y: inner.y + 1, style: .good, maxWidth: fieldWidth)
            case .failure:
                screen.put("(sent to the phone as typed)", x: fieldX, y: inner.y + 1, style: .muted, maxWidth: fieldWidth)
            }
        }
        screen.put("Enter transfers · Esc cancels · ↑/↓ or click picks from the number list", x: inner.x, y: inner.y + 2, style: .muted, maxWidth: inner.width)
        let listArea = Rect(x: inner.x - 1, y: inner.y + 4, width: inner.width + 2, height: inner.height - 4)
        var pickState = ctx.state
        pickState.numberSelection = max(0, prompt.pick)
        pickState.focus = prompt.pick >= 0 ? .numbers : .call
        pickState.modal = nil
        var pickCtx = ctx
        pickCtx.state = pickState
        renderNumbers(&screen, listArea, pickCtx)
        screen.cursor = (min(fieldX + window.cursorColumn, fieldX + fieldWidth - 1), inner.y)
    }

    private func renderHistoryDetail(_ index: Int, _ screen: inout Screen, _ ctx: RenderContext) {
        let history = ctx.state.historyRecords(ctx.snapshot)
        guard history.indices.contains(index) else { return }
        let record = history[index]
        let inner = box(width: 110, height: screen.height - 2, title: "Call record \(index + 1) of \(history.count) · Task fields as sent · ↑/↓ other calls", &screen)
        var rows: [(String, String, CellStyle)] = []
        var delivery = record.delivery.rawValue
        if let crmId = record.crmId { delivery += " as \(crmId)" }
        rows.append(("Delivery", delivery, record.delivery == .parked ? .error : .bold))
        if let error = record.lastError { rows.append(("Last error", error, .error)) }
        let who = record.who.map { "\($0.name.isEmpty ? $0.id : $0.name) (\($0.type.rawValue) \($0.id))" } ?? "—"
        var call = "\(record.callType.rawValue) · \(NumberDisplay.formatted(raw: record.e164 ?? record.remote, ctx.session))"
        call += " · talked \(NumberDisplay.duration(record.durationSeconds))"
        if record.holdSeconds > 0 { call += " · on hold \(NumberDisplay.duration(record.holdSeconds))" }
        call += " · \(record.endReason)"
        rows.append(("Call", call, .normal))
        rows.append(("Association", "\(who) · \(record.associationRule)", .good))
        if let note = record.associationNote { rows.append(("", note, .muted)) }
        rows.append(("", "", .normal))
        for (name, value) in record.taskFields {
            let text: String
            switch value {
            case .string(let s): text = s
            case .int(let n): text = String(n)
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, line) in lines.enumerated() { rows.append((i == 0 ? name : "", line, .normal)) }
        }
        for (row, item) in rows.prefix(inner.height).enumerated() {
            let y = inner.y + row
            screen.put(item.0, x: inner.x, y: y, style: .muted, maxWidth: 22)
            screen.put(item.1, x: inner.x + 23, y: y, style: item.2, maxWidth: inner.width - 23)
        }
    }
}
