import Foundation

/// The screen for terminals whose locale is not UTF-8 (`LANG=C`): curses can only show ASCII there, and
/// draws everything else as blanks. Borders and symbols get ASCII stand-ins; any other character becomes
/// `?` in each of its columns, so the layout (and every column count) stays the same.
public enum ASCIIFallback {
    static let table: [Character: Character] = [
        "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+",
        "┬": "+", "┴": "+", "┼": "+", "★": "*", "↺": "@", "·": ".", "•": "*", "→": ">", "←": "<", "↑": "^",
        "↓": "v", "↔": "=", "▸": ">", "▏": "|", "…": "~", "–": "-", "—": "-", "×": "x", "✓": "+", "✗": "x",
        "⏎": "/", "≤": "<", "≥": ">", "“": "\"", "”": "\"", "‘": "'", "’": "'", "\u{FFFD}": "?", "£": "L", "€": "E",
        "↪": ">", "÷": "/", "█": "#", "▁": "_", "▂": "_", "▃": "_", "▄": "=", "▅": "=", "▆": "#", "▇": "#",
        "▎": "|", "▍": "|", "▌": "|", "▋": "|", "▊": "|", "▉": "|",
    ]

    /// `text` (one cell's grapheme, `width` columns) as exactly `width` ASCII characters.
    public static func replace(_ text: String, width: Int) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        if width == 1, let first = text.first, let ascii = table[first] { return String(ascii) }
        // Latin letters with accents keep their base letter (Zoë → Zoe); anything else is "?" per column.
        if width == 1, let base = text.decomposedStringWithCanonicalMapping.unicodeScalars.first, base.isASCII, base.properties.isAlphabetic {
            return String(Character(base))
        }
        return String(repeating: "?", count: max(1, width))
    }

    /// True when the locale's character set (from `nl_langinfo(CODESET)` or `LC_ALL`/`LC_CTYPE`/`LANG`)
    /// is not UTF-8.
    public static func needed(codeset: String) -> Bool {
        let normalized = codeset.lowercased().replacingOccurrences(of: "-", with: "")
        return normalized != "utf8"
    }
}

extension Screen {
    /// This screen with only ASCII characters (see `ASCIIFallback`), same regions and cursor.
    public func asciiOnly() -> Screen {
        var out = Screen(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let cell = self[x, y]
                if cell.isContinuation { continue }
                let text = ASCIIFallback.replace(cell.text, width: cell.width)
                out.put(text, x: x, y: y, style: cell.style, maxWidth: DisplayWidth.of(text), ellipsis: false)
            }
        }
        for region in regions { out.addRegion(region.rect, region.target) }
        out.cursor = cursor
        return out
    }
}
