/// How a `LineEditor` is shown: word-wrapped lines (notes) or a one-line window (dial, filter, find),
/// both placed so the cursor is visible.
extension LineEditor {
    /// Text wrapped to a column: display lines and the cursor's row and column in them.
    public struct Wrapped: Hashable, Sendable {
        public var lines: [String]
        public var cursorRow: Int
        public var cursorColumn: Int

        /// At most `height` lines, scrolled so the cursor's row is shown (the last lines when it is at the end),
        /// and the cursor's row within them.
        public func window(height: Int) -> (lines: [String], cursorRow: Int) {
            guard height > 0 else { return ([], 0) }
            let top = max(0, min(cursorRow - height + 1, lines.count - height))
            let bottom = min(lines.count, top + height)
            return (Array(lines[top..<bottom]), cursorRow - top)
        }
    }

    /// The text broken into lines of at most `width` columns: at line breaks, and at the last space
    /// that fits (the space is not shown); a word longer than the line is cut. The cursor after a full
    /// line's last character goes to the start of the next line.
    public func wrapped(width: Int) -> Wrapped {
        let chars = characters
        let width = max(1, width)
        var lines: [String] = []
        var cursorRow = 0
        var cursorColumn = 0
        var lineStart = 0
        while true {
            var lineEnd = lineStart
            while lineEnd < chars.count, chars[lineEnd] != "\n" { lineEnd += 1 }
            // One logical line: [lineStart, lineEnd).
            var start = lineStart
            repeat {
                var end = start
                var used = 0
                while end < lineEnd, used + Self.width(chars[end]) <= width {
                    used += Self.width(chars[end])
                    end += 1
                }
                if end == start, end < lineEnd { end += 1 } // a character wider than the column
                var next = end
                if end < lineEnd {
                    // Break at the last space that fits (or the space right after the fitting part).
                    if chars[end] == " " {
                        next = end + 1
                    } else if let space = (start + 1..<end).last(where: { chars[$0] == " " }) {
                        end = space
                        next = space + 1
                    }
                }
                let row = lines.count
                lines.append(String(chars[start..<end]).displaySafe)
                let last = next >= lineEnd
                if cursor >= start && (cursor < next || (last && cursor == lineEnd)) {
                    cursorRow = row
                    let column = chars[start..<min(cursor, end)].reduce(0) { $0 + Self.width($1) }
                    if column < width {
                        cursorColumn = column
                    } else if lineEnd == chars.count && cursor == chars.count {
                        // After the last character of a full last line: the start of a new line.
                        cursorRow = row + 1
                        cursorColumn = 0
                    } else {
                        cursorColumn = width - 1
                    }
                }
                start = next
            } while start < lineEnd
            if lineEnd >= chars.count { break }
            lineStart = lineEnd + 1
            if lineStart == chars.count {
                // A trailing line break: an empty last line.
                if cursor == lineStart { cursorRow = lines.count }
                lines.append("")
                break
            }
        }
        if cursorRow == lines.count { lines.append("") }
        return Wrapped(lines: lines, cursorRow: cursorRow, cursorColumn: cursorColumn)
    }

    /// One line of at most `width` columns containing the cursor (line breaks shown as `⏎`), and the
    /// cursor's column in it. Text that fits is shown whole; otherwise the window scrolls with the cursor.
    public func window(width: Int) -> (text: String, cursorColumn: Int) {
        let chars = characters.map { $0 == "\n" ? "⏎" : $0 }
        let width = max(1, width)
        let widths = chars.map(Self.width)
        let total = widths.reduce(0, +)
        if total < width {
            return (String(chars).displaySafe, widths[..<cursor].reduce(0, +))
        }
        // Keep the cursor in the last column when scrolled; show as much text before it as fits.
        var start = cursor
        var used = 1
        while start > 0, used + widths[start - 1] <= width {
            start -= 1
            used += widths[start]
        }
        var end = cursor
        var shown = used - 1
        while end < chars.count, shown + widths[end] <= width {
            shown += widths[end]
            end += 1
        }
        let column = widths[start..<cursor].reduce(0, +)
        return (String(chars[start..<end]).displaySafe, column)
    }

    static func width(_ c: Character) -> Int {
        max(0, DisplayWidth.of(c))
    }
}
