/// Turns character codes that arrived together from the terminal into keys. Pure.
///
/// Curses decodes the keys its terminfo entry knows; what it passes through as characters is decoded here:
/// - `ESC x` (Alt/Meta + x) → `.alt(x)`; `ESC Enter` → `.alt("\n")`; `ESC DEL` → `.alt("\u{7F}")`.
/// - xterm modified arrows `ESC [ 1 ; m C/D` (m = 3 Alt, 5 Ctrl, …) → `.wordRight` / `.wordLeft`,
///   and `ESC [ 1 ; m H/F` → Home/End (terminals whose terminfo lacks these keys, e.g. `screen` in tmux).
/// - Control characters → `.ctrl`, with Enter, Tab, Backspace and Esc named; `Ctrl-_` (0x1F, also sent
///   for Ctrl-/) → `.ctrl("_")`.
public enum KeyDecoder {
    public static func keys(_ codes: [UInt32]) -> [Key] {
        var keys: [Key] = []
        var i = 0
        while i < codes.count {
            if codes[i] == 27, i + 1 < codes.count {
                if let (key, length) = escapeSequence(codes[i...]) {
                    if let key { keys.append(key) }
                    i += length
                    continue
                }
            }
            if let key = key(codes[i]) { keys.append(key) }
            i += 1
        }
        return keys
    }

    /// One character on its own.
    public static func key(_ code: UInt32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26: return .ctrl(Character(Unicode.Scalar(code + 96) ?? "?"))
        case 31: return .ctrl("_")
        case 0, 28...30: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// The key an escape sequence starting at `codes.startIndex` stands for (nil: a complete sequence of a key
    /// the console doesn't use, dropped rather than typed), and its length; nil when it is not a sequence.
    static func escapeSequence(_ codes: ArraySlice<UInt32>) -> (Key?, Int)? {
        let start = codes.startIndex
        let next = codes[start + 1]
        if next == 91 || next == 79 { // ESC [ or ESC O
            // Parameters and a final byte (0x40–0x7E).
            var j = start + 2
            while j < codes.endIndex, (0x30...0x3F).contains(codes[j]) { j += 1 }
            guard j < codes.endIndex, (0x40...0x7E).contains(codes[j]) else { return nil }
            let parameters = String(String.UnicodeScalarView(codes[(start + 2)..<j].compactMap(Unicode.Scalar.init)))
            let modified = parameters.split(separator: ";").count == 2 && parameters.hasPrefix("1;") && parameters != "1;1"
            let length = j - start + 1
            switch (codes[j], modified) {
            case (68, true): return (.wordLeft, length) // D
            case (67, true): return (.wordRight, length) // C
            case (72, true): return (.home, length) // H
            case (70, true): return (.end, length) // F
            case (72, false): return (.home, length)
            case (70, false): return (.end, length)
            default: return (nil, length)
            }
        }
        switch next {
        case 10, 13: return (.alt("\n"), 2)
        case 127, 8: return (.alt("\u{7F}"), 2)
        case 27: return nil
        default:
            guard next >= 0x20, let scalar = Unicode.Scalar(next) else { return nil }
            return (.alt(Character(scalar)), 2)
        }
    }
}
