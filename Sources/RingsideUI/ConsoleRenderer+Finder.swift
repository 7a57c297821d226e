import Foundation
import RingsideCore

/// The "Related to" picker and the quick-find box.
extension ConsoleRenderer {
    func renderFinder(_ finder: Finder, _ screen: inout Screen, _ ctx: RenderContext) {
        let title = finder.purpose == .relatedTo ? "Related to (WhatId)" : "Find a record"
        let hint = finder.purpose == .quickFind
            ? "Name, number, case number, 15/18-character ID or record URL · Enter searches, then picks · Esc closes"
            : "Open Cases and Opportunities of the caller's account · ↑/↓ and Enter pick · Esc closes"
        let width = max(76, DisplayWidth.of(hint) + 4)
        let hintLines = ConsoleRenderer.wrap(hint, width: boxInnerWidth(width, screen)).count
        let inner = box(width: width, height: max(16, finder.results.count + 5 + hintLines), title: title, &screen)
        var y = inner.y
        switch finder.purpose {
        case .quickFind:
            let prompt = "Find: "
            let fieldX = inner.x + DisplayWidth.of(prompt)
            let fieldWidth = inner.width - DisplayWidth.of(prompt)
            screen.put(prompt, x: inner.x, y: y, style: .bold)
            let window = finder.editor.window(width: fieldWidth)
            screen.put(TextFitting.pad(window.text, to: fieldWidth), x: fieldX, y: y, style: CellStyle(underline: true))
            screen.cursor = (min(fieldX + window.cursorColumn, fieldX + fieldWidth - 1), y)
            y += 1
            y += screen.putWrapped(hint, x: inner.x, y: y, width: inner.width, maxLines: 2, style: .muted) - 1
        case .relatedTo:
            y += screen.putWrapped(hint, x: inner.x, y: y, width: inner.width, maxLines: 2, style: .muted)
            let current = ctx.session.focusedCall?.association.relatedTo.map { "Now: \($0.type.rawValue) \(TextSanitizer.clean($0.name))" }
                ?? "Now: the account (default for a Contact)"
            screen.put(current, x: inner.x, y: y, style: .normal, maxWidth: inner.width)
        }
        y += 2
        if finder.searching {
            screen.put("Searching…", x: inner.x, y: y, style: .muted)
            return
        }
        if finder.results.isEmpty {
            let empty = finder.purpose == .relatedTo ? "No open Cases or Opportunities on this account"
                : (finder.query.isEmpty ? "" : "No record matches \"\(TextSanitizer.clean(finder.query))\"")
            screen.put(empty, x: inner.x, y: y, style: .muted, maxWidth: inner.width)
            return
        }
        let rows = inner.y + inner.height - y
        let first = max(0, min(finder.selection - rows + 1, finder.results.count - rows))
        for (offset, record) in finder.results.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let selected = index == finder.selection
            let type = TextFitting.pad(record.type.rawValue, to: 12)
            let modified = ctx.clock.dateTime(record.lastModified)
            let nameWidth = inner.width - 12 - DisplayWidth.of(modified) - 2
            let line = type + TextFitting.pad(TextFitting.truncate(record.name, to: nameWidth), to: nameWidth) + "  " + modified
            screen.put(line, x: inner.x, y: y + offset, style: selected ? CellStyle(reverse: true) : .normal, maxWidth: inner.width)
        }
    }
}
