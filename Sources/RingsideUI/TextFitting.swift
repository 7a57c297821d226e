/// Fitting sanitised text into a number of terminal columns.
public enum TextFitting {
    public static let ellipsis: Character = "…"

    /// `text` cut to at most `width` columns on a grapheme boundary, ending in `…` when cut.
    /// A wide character that would straddle the limit is dropped rather than split.
    /// The text is sanitised first (see `TextSanitizer`), so widths are those of what is displayed.
    public static func truncate(_ raw: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        let text = TextSanitizer.clean(raw)
        if text.utf8.count <= width { return text } // width ≤ UTF-8 length for every string
        if DisplayWidth.of(text) <= width { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        out.append(ellipsis)
        return out
    }

    /// `text` truncated and padded with spaces to exactly `width` columns.
    public static func pad(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        let w = DisplayWidth.of(cut)
        return w >= width ? cut : cut + String(repeating: " ", count: width - w)
    }

    /// `text` truncated and right-aligned in `width` columns.
    public static func padLeft(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        let w = DisplayWidth.of(cut)
        return w >= width ? cut : String(repeating: " ", count: width - w) + cut
    }
}

extension String {
    /// Sanitised for display (see `TextSanitizer`).
    public var displaySafe: String { TextSanitizer.clean(self) }
}
