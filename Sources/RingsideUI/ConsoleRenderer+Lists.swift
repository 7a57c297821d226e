import Foundation
import RingsideCore

extension ConsoleRenderer {
    func renderDialField(_ screen: inout Screen, _ layout: ConsoleLayout, _ ctx: inout RenderContext) {
        let y = layout.dial
        let focused = ctx.state.focus == .dial && ctx.state.modal == nil
        let editing = ctx.state.editing == .dial
        let label = " Dial "
        screen.put(label, x: 0, y: y, style: focused ? CellStyle(role: .accent, bold: true, reverse: true) : .title)
        let fieldX = DisplayWidth.of(label) + 1
        let fieldWidth = 24
        let text = ctx.state.dialText
        let window = ctx.state.dialEditor.window(width: fieldWidth)
        let shown = text.isEmpty && !editing ? "press d to type a number" : window.text
        screen.put("[" + TextFitting.pad(shown, to: fieldWidth) + "]", x: fieldX, y: y,
                   style: text.isEmpty && !editing ? .muted : (editing ? CellStyle(underline: true) : .normal))
        screen.addRegion(Rect(x: 0, y: y, width: fieldX + fieldWidth + 2, height: 1), .command(.dial))
        if editing {
            screen.cursor = (fieldX + 1 + min(window.cursorColumn, fieldWidth - 1), y)
        }
        let infoX = fieldX + fieldWidth + 3
        let infoWidth = screen.width - infoX - 1
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            if editing { screen.put("Enter dials · Esc leaves the field", x: infoX, y: y, style: .muted, maxWidth: infoWidth) }
            return
        }
        switch NumberDisplay.parse(text, ctx.session) {
        case .success(let number):
            let kind = number.isInternal ? "internal extension" : number.formatted(relativeTo: ctx.session.settings.homeRegion)
            screen.put("→ \(number.e164) (\(kind)) · Enter dials", x: infoX, y: y, style: .good, maxWidth: infoWidth)
        case .failure(let error):
            screen.put("✗ \(error)", x: infoX, y: y, style: .error, maxWidth: infoWidth)
        }
    }

    func renderLower(_ screen: inout Screen, _ layout: ConsoleLayout, _ ctx: inout RenderContext) {
        if let split = layout.split {
            let half = split.numbers.width
            renderListHeader(.numbers, &screen, x: 0, y: layout.lowerHeader, width: half + 1, ctx)
            renderListHeader(.history, &screen, x: half + 1, y: layout.lowerHeader, width: screen.width - half - 1, ctx)
            for row in 0..<split.numbers.height {
                screen.put("│", x: half, y: split.numbers.y + row, style: .muted)
            }
            renderNumbers(&screen, split.numbers, ctx)
            renderHistory(&screen, split.history, ctx)
            placeFilterCursor(&screen, y: layout.lowerHeader, ctx)
            return
        }
        // Narrow: tabs; the shown pane is the focused one or the last list focused.
        let shown = ctx.state.focus == .history || ctx.state.focus == .numbers ? ctx.state.focus : ctx.state.lowerPane
        screen.hline(y: layout.lowerHeader, x: 0, width: screen.width)
        var x = 1
        for pane in [Pane.numbers, .history] {
            let title = " \(tabTitle(pane, ctx)) "
            let active = pane == shown
            let focused = active && ctx.state.focus == pane && ctx.state.modal == nil
            let style: CellStyle = focused ? CellStyle(role: .accent, bold: true, reverse: true) : (active ? .title : .muted)
            let w = screen.put(title, x: x, y: layout.lowerHeader, style: style)
            screen.addRegion(Rect(x: x, y: layout.lowerHeader, width: w, height: 1), .focus(pane))
            x += w + 1
        }
        let hint = shown == .numbers ? " N numbers · H history " : " H history · N numbers "
        let hw = DisplayWidth.of(hint)
        if x + hw < screen.width - 1 { screen.put(hint, x: screen.width - hw - 1, y: layout.lowerHeader, style: .muted) }
        if shown == .history {
            renderHistory(&screen, layout.lower, ctx)
        } else {
            renderNumbers(&screen, layout.lower, ctx)
        }
        placeFilterCursor(&screen, y: layout.lowerHeader, ctx)
    }


    static let filterLabel = " filter: "
    /// Columns the filter text takes in the list title (it scrolls with the cursor beyond that).
    static let filterWidth = 24

    /// The text cursor in the filter shown in the Numbers title (which starts at column 2 in both layouts).
    private func placeFilterCursor(_ screen: inout Screen, y: Int, _ ctx: RenderContext) {
        guard ctx.state.editing == .filter, ctx.state.modal == nil else { return }
        var plain = ctx
        plain.state.filterText = ""
        plain.state.editing = nil
        let x = 2 + DisplayWidth.of(tabTitle(.numbers, plain) + Self.filterLabel)
            + ctx.state.filterEditor.window(width: Self.filterWidth).cursorColumn
        screen.cursor = x < screen.width - 1 ? (x, y) : nil
    }

    private func tabTitle(_ pane: Pane, _ ctx: RenderContext) -> String {
        switch pane {
        case .numbers:
            let numbers = ctx.state.numbers
            var title = numbers.count == numbers.totalCount ? "Numbers (\(Self.grouped(numbers.count)))"
                : "Numbers (\(Self.grouped(numbers.count)) of \(Self.grouped(numbers.totalCount)))"
            if ctx.state.editing == .filter || !ctx.state.filterText.isEmpty {
                title += Self.filterLabel + ctx.state.filterEditor.window(width: Self.filterWidth).text
            }
            return title
        case .history:
            let shown = ctx.state.historyRecords(ctx.snapshot).count
            let total = ctx.snapshot.history.count
            var title = shown == total ? "History (\(Self.grouped(total)))" : "History (\(Self.grouped(shown)) of \(Self.grouped(total)))"
            if ctx.state.editing == .historyFilter || !ctx.state.historyFilterEditor.isEmpty {
                title += Self.filterLabel + ctx.state.historyFilterEditor.window(width: Self.filterWidth).text
            }
            return title
        case .call, .dial: return pane.rawValue
        }
    }

    private func renderListHeader(_ pane: Pane, _ screen: inout Screen, x: Int, y: Int, width: Int, _ ctx: RenderContext) {
        let focused = ctx.state.focus == pane && ctx.state.modal == nil
        screen.hline(y: y, x: x, width: width, title: tabTitle(pane, ctx),
                     titleStyle: focused ? CellStyle(role: .accent, bold: true, reverse: true) : .title)
        screen.addRegion(Rect(x: x, y: y, width: width, height: 1), .focus(pane))
    }

    func renderNumbers(_ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) {
        let entries = ctx.state.numbers
        let focused = (ctx.state.focus == .numbers || ctx.state.editing == .filter) && ctx.state.modal == nil
        let x = area.x + 1
        let width = area.width - 2
        if ctx.state.editing == .filter {
            screen.cursor = nil
        }
        guard entries.count > 0 else {
            let text = ctx.state.filterText.isEmpty ? "No numbers yet: favourites, recent calls and directory records appear here"
                : "Nothing matches “\(ctx.state.filterText)” (Esc clears the filter)"
            screen.put(text, x: x, y: area.y, style: .muted, maxWidth: width)
            return
        }
        let visible = max(1, area.height)
        let selection = ctx.state.numberSelection
        let top = max(0, min(selection - visible + 1, entries.count - visible))
        let typeWidth = width >= 60 ? 8 : 0
        // Numbers never lose digits before names lose letters: the number column is as wide as the widest
        // number shown (at least 16), and names take what is left (at least 8).
        let shownNumbers = (0..<visible).compactMap { row in
            top + row < entries.count ? NumberDisplay.formatted(raw: entries.entry(at: top + row).raw, ctx.session) : nil
        }
        let widest = shownNumbers.map { DisplayWidth.of($0) }.max() ?? 0
        let numberWidth = max(1, min(max(16, widest), width - 2 - 1 - (typeWidth > 0 ? typeWidth + 1 : 0) - 8))
        let nameWidth = max(8, width - 2 - numberWidth - 1 - (typeWidth > 0 ? typeWidth + 1 : 0))
        for row in 0..<visible {
            let index = top + row
            guard index < entries.count else { break }
            let entry = entries.entry(at: index)
            let marker: String
            switch entry.kind {
            case .favourite: marker = "★"
            case .recent: marker = "↺"
            case .directory: marker = "·"
            }
            var line = "\(marker) \(TextFitting.pad(entry.name.isEmpty ? "(no name)" : entry.name, to: nameWidth)) "
            line += TextFitting.pad(NumberDisplay.formatted(raw: entry.raw, ctx.session), to: numberWidth)
            if typeWidth > 0 { line += " " + TextFitting.pad(entry.entity?.type.rawValue ?? "Number", to: typeWidth) }
            let selected = index == selection
            let style: CellStyle = selected ? (focused ? .selected : .bold) : .normal
            screen.put(TextFitting.pad(line, to: width), x: x, y: area.y + row, style: style, maxWidth: width)
            screen.addRegion(Rect(x: x, y: area.y + row, width: width, height: 1), .row(.numbers, index))
        }
    }

    /// A count with thousands separators (1,000,000).
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    func renderHistory(_ screen: inout Screen, _ area: Rect, _ ctx: RenderContext) {
        let records = ctx.state.historyRecords(ctx.snapshot)
        let focused = ctx.state.focus == .history && ctx.state.modal == nil
        let x = area.x + 1
        let width = area.width - 2
        guard !records.isEmpty else {
            screen.putWrapped("No calls yet. Finished calls appear here with their delivery state.", x: x, y: area.y, width: width,
                              maxLines: max(1, area.height), style: .muted)
            return
        }
        let visible = max(1, area.height)
        let selection = ctx.state.historySelection
        let top = max(0, min(selection - visible + 1, records.count - visible))
        let stateWidth = 9
        let durationWidth = 7
        let numberWidth = 14
        let nameWidth = max(6, width - 6 - 2 - numberWidth - 1 - durationWidth - 1 - stateWidth - 1)
        for row in 0..<visible {
            let index = top + row
            guard records.indices.contains(index) else { break }
            let record = records[index]
            let arrow = record.callType == .internal ? "↔" : (record.direction == .inbound ? "←" : "→")
            let who = record.who ?? record.what
            let name = who.map { "\($0.name.isEmpty ? $0.id : $0.name) (\($0.type.rawValue))" } ?? "— no record"
            let number = NumberDisplay.formatted(raw: record.e164 ?? record.remote, ctx.session)
            var line = "\(ctx.clock.time(record.startedAt)) \(arrow) \(TextFitting.pad(number, to: numberWidth)) "
            line += TextFitting.pad(name, to: nameWidth) + " " + TextFitting.padLeft(NumberDisplay.duration(record.durationSeconds), to: durationWidth) + " "
            let selected = index == selection
            let style: CellStyle = selected ? (focused ? .selected : .bold) : .normal
            screen.put(TextFitting.pad(line, to: width - stateWidth), x: x, y: area.y + row, style: style, maxWidth: width - stateWidth)
            let stateStyle: CellStyle
            switch record.delivery {
            case .delivered: stateStyle = .good
            case .queued, .wrapUp: stateStyle = .warning
            case .parked: stateStyle = .error
            case .local: stateStyle = .muted
            }
            screen.put(TextFitting.pad(record.delivery.rawValue, to: stateWidth), x: x + width - stateWidth, y: area.y + row,
                       style: selected && focused ? .selected : stateStyle)
            screen.addRegion(Rect(x: x, y: area.y + row, width: width, height: 1), .row(.history, index))
        }
    }
}
