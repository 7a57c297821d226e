/// Turns character codes that arrived together from the terminal into keys. Pure.
///
/// Curses decodes the keys its terminfo entry knows; what it passes through as characters is decoded here:
/// - `ESC x` (Alt/Meta + x) → `.alt(x)`; `ESC Enter` → `.alt("\n")`; `ESC DEL` → `.alt("\u{7F}")`.
/// - xterm modified arrows `ESC [ 1 ; m C/D` (m = 3 Alt, 5 Ctrl, …) → `.wordRight` / `.wordLeft`,
///   and `ESC [ 1 ; m H/F` → Home/End (terminals whose terminfo lacks these keys, e.g. `screen` in tmux).
/// - Control characters → `.ctrl`, with Enter, Tab, Backspace and Esc named; `Ctrl-_` (0x1F, also sent
///   for Ctrl-/) → `.ctrl("_")`.
/// - SGR (1006) mouse reports `ESC [ < b ; x ; y M/m` → `.mouse` (curses decodes them itself only when its
///   terminfo entry says so; the console asks for them everywhere so clicks beyond column 223 arrive).
public enum KeyDecoder {
    /// A mouse report: 0-based cell, SGR button number (0 left, 64/65 wheel), press or release.
    public struct MouseReport: Hashable, Sendable {
        public var x: Int
        public var y: Int
        public var button: Int
        public var press: Bool

        public init(x: Int, y: Int, button: Int, press: Bool) {
            self.x = x
            self.y = y
            self.button = button
            self.press = press
        }
    }

    public enum Item: Hashable, Sendable {
        case key(Key)
        case mouse(MouseReport)
    }

    public static func keys(_ codes: [UInt32]) -> [Key] {
        decode(codes).compactMap { if case .key(let key) = $0 { key } else { nil } }
    }

    public static func decode(_ codes: [UInt32]) -> [Item] {
        var items: [Item] = []
        var i = 0
        while i < codes.count {
            if codes[i] == 27, i + 1 < codes.count {
                if let (mouse, length) = sgrMouse(codes[i...]) {
                    items.append(.mouse(mouse))
                    i += length
                    continue
                }
                if let (key, length) = escapeSequence(codes[i...]) {
                    if let key { items.append(.key(key)) }
                    i += length
                    continue
                }
            }
            if let key = key(codes[i]) { items.append(.key(key)) }
            i += 1
        }
        return items
    }

    /// `ESC [ < b ; x ; y M` (press) or `… m` (release), coordinates 1-based.
    static func sgrMouse(_ codes: ArraySlice<UInt32>) -> (MouseReport, Int)? {
        let start = codes.startIndex
        guard codes.count >= 4, codes[start + 1] == 91, codes[start + 2] == 60 else { return nil }
        var j = start + 3
        while j < codes.endIndex, (0x30...0x3B).contains(codes[j]) { j += 1 }
        guard j < codes.endIndex, codes[j] == 77 || codes[j] == 109 else { return nil }
        let text = String(String.UnicodeScalarView(codes[(start + 3)..<j].compactMap(Unicode.Scalar.init)))
        let numbers = text.split(separator: ";").compactMap { Int($0) }
        guard numbers.count == 3, numbers[1] >= 1, numbers[2] >= 1 else { return nil }
        return (MouseReport(x: numbers[1] - 1, y: numbers[2] - 1, button: numbers[0], press: codes[j] == 77), j - start + 1)
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
