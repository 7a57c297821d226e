import Foundation
import RingsideCore

extension ConsoleRenderer {
    func renderModal(_ modal: Modal, _ screen: inout Screen, _ ctx: inout RenderContext) {
        switch modal {
        case .help(let offset): renderHelp(offset, &screen, ctx)
        case .quitConfirm: renderQuitConfirm(&screen, ctx)
        case .notReadyPicker(let selection): renderNotReady(selection, &screen, ctx)
        case .transfer(let prompt): renderTransfer(prompt, &screen, ctx)
        case .historyDetail(let index, let offset): renderHistoryDetail(index, offset, &screen, ctx)
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
        // As wide as the longest line (so wide terminals show whole explanations), within the screen; what is
        // still too long wraps under its explanation column.
        let longest = lines.map { $0.text.isEmpty ? DisplayWidth.of($0.key) : 14 + DisplayWidth.of($0.text) }.max() ?? 0
        let inner = box(width: max(100, longest + 4), height: screen.height - 2,
                        title: "Help: every key (dimmed = not now) · ↑/↓ scroll · Esc closes", &screen)
        // The key column fits the longest key where there is room; a key wider than the column gets a row of its own.
        let longestKey = lines.filter { !$0.text.isEmpty }.map { DisplayWidth.of($0.key) }.max() ?? 0
        let keyColumn = inner.width >= 100 ? max(14, min(24, longestKey + 2)) : 14
        var rows: [(key: String, text: String, style: CellStyle, heading: Bool)] = []
        for line in lines {
            if line.text.isEmpty {
                rows.append((line.key, "", line.style, true))
                continue
            }
            var key = line.key
            if DisplayWidth.of(key) > keyColumn - 1 {
                rows.append((key, "", line.style, false))
                key = ""
            }
            for (index, part) in Self.wrap(line.text, width: max(1, inner.width - keyColumn)).enumerated() {
                rows.append((index == 0 ? key : "", part, line.style, false))
            }
        }
        let start = min(offset, max(0, rows.count - inner.height))
        for (row, line) in rows.dropFirst(start).prefix(inner.height).enumerated() {
            let y = inner.y + row
            if line.heading {
                screen.put(line.key, x: inner.x, y: y, style: line.style, maxWidth: inner.width)
            } else {
                let keyStyle = line.style.dim ? CellStyle.accent.dimmed : CellStyle.accent
                screen.put(line.key, x: inner.x, y: y, style: keyStyle, maxWidth: line.text.isEmpty ? inner.width : keyColumn - 1)
                screen.put(line.text, x: inner.x + keyColumn, y: y, style: line.style, maxWidth: inner.width - keyColumn)
            }
        }
        if rows.count > inner.height {
            let more = "\(start + 1)–\(min(rows.count, start + inner.height)) of \(rows.count)"
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
        let hint = "↑/↓ and Enter, or the number · Esc stays Ready"
        let inner = box(width: max(44, DisplayWidth.of(hint) + 4), height: min(reasons.count, 9) + 4, title: "Not ready: why?", &screen)
        screen.put(hint, x: inner.x, y: inner.y, style: .muted, maxWidth: inner.width)
        for (index, reason) in reasons.prefix(inner.height - 1).enumerated() {
            let y = inner.y + 1 + index
            let style: CellStyle = index == selection ? .selected : .normal
            screen.put(TextFitting.pad("\(index + 1)  \(reason)", to: inner.width), x: inner.x, y: y, style: style)
            screen.addRegion(Rect(x: inner.x, y: y, width: inner.width, height: 1), .row(.notReadyReasons, index))
        }
    }

    private func renderTransfer(_ prompt: TransferPrompt, _ screen: inout Screen, _ ctx: RenderContext) {
        let text = prompt.text
        let hint = "Enter transfers · Esc cancels · ↑/↓ or click picks from the number list"
        let inner = box(width: max(72, DisplayWidth.of(hint) + 4), height: max(14, ctx.state.numbers.count + 7), title: "Transfer (blind)", &screen)
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
        screen.put(hint, x: inner.x, y: inner.y + 2, style: .muted, maxWidth: inner.width)
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

    private func renderHistoryDetail(_ index: Int, _ offset: Int, _ screen: inout Screen, _ ctx: RenderContext) {
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
        // Values too long for the box wrap under their column.
        var shown: [(String, String, CellStyle)] = []
        for (name, value, style) in rows {
            let parts = value.isEmpty ? [""] : Self.wrap(TextSanitizer.clean(value), width: max(1, inner.width - 23))
            for (index, part) in parts.enumerated() { shown.append((index == 0 ? name : "", part, style)) }
        }
        let start = min(offset, max(0, shown.count - inner.height))
        for (row, item) in shown.dropFirst(start).prefix(inner.height).enumerated() {
            let y = inner.y + row
            screen.put(item.0, x: inner.x, y: y, style: .muted, maxWidth: 22)
            screen.put(item.1, x: inner.x + 23, y: y, style: item.2, maxWidth: inner.width - 23)
        }
        if shown.count > inner.height {
            let more = " rows \(start + 1)–\(min(shown.count, start + inner.height)) of \(shown.count) · PgUp/PgDn "
            screen.put(more, x: inner.x + inner.width - DisplayWidth.of(more), y: inner.y + inner.height, style: .muted)
        }
    }
}
