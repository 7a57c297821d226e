import Foundation
import RingsideCore

extension ConsoleRenderer {
    /// The wrap-up form: disposition list, notes, countdown to the automatic save.
    func renderWrapUp(_ call: CallMachine, _ screen: inout Screen, _ area: Rect, _ ctx: inout RenderContext, focused: Bool) {
        let session = ctx.session
        let x = area.x + 1
        let width = area.width - 2
        var y = area.y
        if call.state == .ended {
            screen.put("Saving the call record…", x: x, y: y, style: .muted, maxWidth: width)
            return
        }
        // Whole phrases only: the longest form that fits, never a phrase cut mid-word.
        var clockLong: String?
        var clockShort: String?
        if let clock = session.wrapUpClocks[call.id] {
            let left = NumberDisplay.duration(clock.secondsLeft(at: ctx.now))
            clockLong = clock.isPaused(at: ctx.now) ? "paused while you type (\(left) left)" : "saves by itself in \(left)"
            clockShort = clock.isPaused(at: ctx.now) ? "paused (\(left))" : "saves in \(left)"
        }
        let forms: [[String?]] = [
            ["Wrap-up", clockLong, "Enter save", "Esc save without a disposition"],
            ["Wrap-up", clockLong, "Enter save", "Esc no disposition"],
            ["Wrap-up", clockShort, "Enter save", "Esc no disposition"],
            ["Wrap-up", clockShort, "Enter save"],
            ["Wrap-up", clockShort],
        ]
        let candidates = forms.map { $0.compactMap { $0 }.joined(separator: " · ") }
        let title = candidates.first { DisplayWidth.of($0) <= width } ?? candidates[candidates.count - 1]
        screen.put(title, x: x, y: y, style: .warning, maxWidth: width)
        y += 1
        let listWidth = min(30, width / 2 - 1)
        let notesX = x + listWidth + 2
        let notesWidth = x + width - notesX
        screen.put("Disposition (↑/↓)", x: x, y: y, style: .title, maxWidth: listWidth)
        let editingNotes = ctx.state.editing == .notes
        screen.put(editingNotes ? "Notes (typing: Enter saves)" : "Notes (w to type)", x: notesX, y: y,
                   style: editingNotes ? CellStyle(role: .accent, bold: true, reverse: true) : .title, maxWidth: notesWidth)
        screen.addRegion(Rect(x: notesX, y: y, width: notesWidth, height: area.y + area.height - y), .command(.notes))
        y += 1
        let options = ["(none)"] + session.settings.dispositions
        let visible = max(1, area.y + area.height - y)
        let selection = ctx.state.dispositionIndex
        let top = max(0, min(selection - visible + 1, options.count - visible))
        for row in 0..<visible {
            let index = top + row
            guard options.indices.contains(index) else { break }
            let pointer = index == selection ? "▸ " : "  "
            let style: CellStyle = index == selection ? (focused ? .selected : .bold) : .normal
            screen.put(TextFitting.pad(pointer + options[index], to: listWidth), x: x, y: y + row, style: style, maxWidth: listWidth)
            screen.addRegion(Rect(x: x, y: y + row, width: listWidth, height: 1), .row(.dispositions, index))
        }
        // Notes, word-wrapped to the column, scrolled so the cursor's line is visible.
        let wrapped = ctx.state.notesEditor.wrapped(width: notesWidth).window(height: visible)
        let empty = ctx.state.notes.isEmpty && !editingNotes
        for (row, line) in (empty ? ["—"] : wrapped.lines).enumerated() {
            screen.put(line, x: notesX, y: y + row, style: empty ? .muted : .normal, maxWidth: notesWidth)
        }
        if editingNotes {
            let column = ctx.state.notesEditor.wrapped(width: notesWidth).cursorColumn
            screen.cursor = (notesX + min(column, notesWidth - 1), y + wrapped.cursorRow)
        }
    }

    /// Breaks `text` into lines of at most `width` columns (on grapheme boundaries).
    /// Lines are broken at the last space that fits; a word longer than the line is cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width {
                if let space = current.lastIndex(of: " "), space != current.startIndex {
                    let rest = String(current[current.index(after: space)...])
                    lines.append(String(current[..<space]))
                    current = rest
                    used = DisplayWidth.of(rest)
                } else {
                    lines.append(current)
                    current = ""
                    used = 0
                }
            }
            current.append(character)
            used += w
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
