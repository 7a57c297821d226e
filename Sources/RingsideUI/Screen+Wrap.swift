/// Word-wrapped text, so a hint or a value that doesn't fit keeps its words instead of ending in `…`.
extension Screen {
    /// Writes `text` word-wrapped to `width` columns from (x, y), at most `maxLines` lines (the last one ends
    /// with `…` when text remains). Returns the number of lines written.
    @discardableResult
    public mutating func putWrapped(_ text: String, x: Int, y: Int, width: Int, maxLines: Int, style: CellStyle = .normal) -> Int {
        guard maxLines > 0, width > 0 else { return 0 }
        let lines = ConsoleRenderer.wrap(TextSanitizer.clean(text), width: width)
        for (index, line) in lines.prefix(maxLines).enumerated() {
            let last = index == maxLines - 1 && lines.count > maxLines
            put(last ? lines[index...].joined(separator: " ") : line, x: x, y: y + index, style: style, maxWidth: width)
        }
        return min(lines.count, maxLines)
    }
}

extension ConsoleRenderer {
    /// The inner width of a `box(width:…)` on `screen` (the box is at most two columns narrower than the screen).
    func boxInnerWidth(_ width: Int, _ screen: Screen) -> Int {
        min(width, screen.width - 2) - 4
    }
}
