/// A run of cells that is an OSC 8 hyperlink: `width` columns from (`x`, `y`) link to `url`. Only made by
/// `Screen.addLink`, which keeps only safe URLs (see `Hyperlink.safeURL`).
public struct HyperlinkSpan: Hashable, Sendable {
    public let x: Int
    public let y: Int
    public let width: Int
    public let url: String
}

/// OSC 8 hyperlinks (`ESC ] 8 ; ; URL ESC \ text ESC ] 8 ; ; ESC \`): the record's name and link in the call
/// panel open in the browser on Ctrl/Cmd-click in terminals that support them (`[display] hyperlinks`).
///
/// Curses counts escape bytes as cells, so the links are not painted through curses: the renderer lists them
/// (`Screen.links`) and the terminal rewrites those cells with the link around them after each refresh
/// (`Screen.hyperlinkSequence`), saving and restoring the cursor.
public enum Hyperlink {
    /// `[display] hyperlinks`: always, never, or when the terminal is known to support them.
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        case on, off, auto
    }

    /// Longest URL written (VTE's limit is 2083 bytes).
    public static let maxURLLength = 2048

    /// `url` when it is an http(s) URL of printable ASCII without spaces (so it can't end the sequence, start
    /// another, or move the cursor), else nil.
    public static func safeURL(_ url: String) -> String? {
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.utf8.count <= maxURLLength,
              url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return nil }
        let rest = url.drop { $0 != "/" }.dropFirst(2)
        guard let host = rest.split(separator: "/", maxSplits: 1).first, !host.isEmpty else { return nil }
        return url
    }

    /// Whether to write hyperlinks. `auto`: terminals known to support OSC 8 — iTerm2, WezTerm, Ghostty,
    /// VS Code, kitty, foot, Windows Terminal, Konsole, VTE ≥ 0.50 (GNOME Terminal…), tmux ≥ 3.4. Never on
    /// `TERM=dumb` or in a locale that is not UTF-8 (the ASCII fallback).
    public static func enabled(_ mode: Mode, environment: [String: String]) -> Bool {
        let term = environment["TERM"] ?? ""
        if term == "dumb" { return false }
        let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]].compactMap { $0 }.first { !$0.isEmpty }
        if let locale, !locale.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8") { return false }
        switch mode {
        case .on: return true
        case .off: return false
        case .auto: return detected(environment)
        }
    }

    static func detected(_ environment: [String: String]) -> Bool {
        let program = environment["TERM_PROGRAM"] ?? ""
        let term = environment["TERM"] ?? ""
        if ["iTerm.app", "WezTerm", "ghostty", "vscode"].contains(program) { return true }
        if ["xterm-kitty", "xterm-ghostty", "wezterm", "foot", "foot-extra"].contains(term) { return true }
        if environment["WT_SESSION"] != nil || environment["KONSOLE_VERSION"] != nil { return true }
        if let vte = environment["VTE_VERSION"].flatMap(Int.init), vte >= 5000 { return true }
        if program == "tmux", let version = environment["TERM_PROGRAM_VERSION"] {
            let parts = version.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
            let major = parts.first ?? 0
            let minor = parts.count > 1 ? parts[1] : 0
            return major > 3 || (major == 3 && minor >= 4)
        }
        return false
    }

    /// The SGR sequence that draws `style` like the terminal does (colours, or attributes in monochrome).
    static func sgr(_ style: CellStyle, colors: Bool) -> String {
        var codes = [0]
        if style.bold { codes.append(1) }
        if style.dim { codes.append(2) }
        if style.underline { codes.append(4) }
        if style.reverse { codes.append(7) }
        if colors {
            switch style.role {
            case .normal: break
            case .title, .accent: codes.append(36)
            case .good: codes.append(32)
            case .warning: codes.append(33)
            case .error: codes.append(31)
            case .muted: codes.append(34)
            }
        } else {
            switch style.role {
            case .normal, .good: break
            case .title, .accent, .warning: codes.append(1)
            case .error: codes += [1, 4]
            case .muted: codes.append(2)
            }
        }
        var seen = Set<Int>()
        let unique = codes.filter { seen.insert($0).inserted }
        return "\u{1B}[" + unique.map(String.init).joined(separator: ";") + "m"
    }
}

extension Screen {
    /// Makes `width` columns from (x, y) a hyperlink to `url`; ignored when the URL is not safe
    /// (`Hyperlink.safeURL`) or the span is off the screen.
    public mutating func addLink(x: Int, y: Int, width: Int, url: String) {
        guard let safe = Hyperlink.safeURL(url), y >= 0, y < height, x >= 0, x < self.width else { return }
        let w = min(width, self.width - x)
        guard w > 0 else { return }
        links.append(HyperlinkSpan(x: x, y: y, width: w, url: safe))
    }

    /// The bytes that turn the painted link cells into hyperlinks: for each span, save the cursor, move to the
    /// span, set its style, open the link, write the cells' text (the same text curses painted), close it,
    /// restore the cursor. Empty without links.
    public func hyperlinkSequence(colors: Bool) -> String {
        var out = ""
        for span in links {
            guard let url = Hyperlink.safeURL(span.url) else { continue }
            var text = ""
            for x in span.x..<min(width, span.x + span.width) where !self[x, span.y].isContinuation {
                text += String(String.UnicodeScalarView(self[x, span.y].text.unicodeScalars.filter {
                    $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value)
                }))
            }
            guard !text.isEmpty else { continue }
            out += "\u{1B}7\u{1B}[\(span.y + 1);\(span.x + 1)H" + Hyperlink.sgr(self[span.x, span.y].style, colors: colors)
            out += "\u{1B}]8;;\(url)\u{1B}\\" + text + "\u{1B}]8;;\u{1B}\\" + "\u{1B}[0m\u{1B}8"
        }
        return out
    }
}
