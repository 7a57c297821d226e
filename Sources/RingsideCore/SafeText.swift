/// THE sanitiser for text from outside (CRM, Salesforce errors, phone, MQTT, CSV, config values) before it reaches
/// a terminal: the console screen (through `RingsideUI.TextSanitizer`, an alias) and every CLI line
/// (`SafeText.line`). Use it for anything Ringside did not write itself.
///
/// - ESC sequences (CSI `ESC [ … final`, OSC/DCS/APC/PM/SOS `… BEL` or `… ESC \`, two-byte `ESC x`)
///   are removed whole and replaced by one visible `�`, so a name like `ESC]0;pwned BEL Mallory`
///   shows as `�Mallory` and can't retitle the window.
/// - Other C0/C1 controls and DEL become `�`; tab, newline and carriage return become a space.
/// - Bidi embeddings/overrides/isolates (U+202A–202E, U+2066–2069), the bidi marks (U+200E, U+200F, U+061C)
///   and the BOM are removed, so text can't reorder what follows it on the line; line/paragraph separators
///   (U+2028, U+2029) become a space.
public enum SafeText {
    /// The visible stand-in for a removed control or escape sequence.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// Safe, single-line text for a CLI line or a screen cell (the same as `clean`).
    public static func line(_ text: String) -> String { clean(text) }

    /// Safe multi-line text: each line cleaned, line breaks kept (for messages that span lines).
    public static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { clean(String($0)) }.joined(separator: "\n")
    }

    /// Safe, single-line display text.
    public static func clean(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            let v = scalar.value
            switch v {
            case 0x1B:
                skipEscape(&scalars)
                out.append(replacement)
            case 0x9B: // C1 CSI
                skipCSI(&scalars)
                out.append(replacement)
            case 0x90, 0x9D, 0x9E, 0x9F, 0x98: // C1 DCS, OSC, PM, APC, SOS
                skipString(&scalars)
                out.append(replacement)
            case 0x09, 0x0A, 0x0D, 0x2028, 0x2029:
                out.append(" ")
            case 0x00..<0x20, 0x7F...0x9F:
                out.append(replacement)
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0xFEFF:
                continue
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func skipEscape(_ s: inout ArraySlice<Unicode.Scalar>) {
        guard let next = s.first else { return }
        switch next.value {
        case 0x5B: // [
            s.removeFirst()
            skipCSI(&s)
        case 0x5D, 0x50, 0x5E, 0x5F, 0x58: // ] P ^ _ X
            s.removeFirst()
            skipString(&s)
        case 0x20...0x2F: // intermediate bytes then a final byte
            while let c = s.first, (0x20...0x2F).contains(c.value) { s.removeFirst() }
            if let c = s.first, (0x30...0x7E).contains(c.value) { s.removeFirst() }
        case 0x30...0x7E:
            s.removeFirst()
        default:
            return
        }
    }

    /// CSI: parameter/intermediate bytes 0x20–0x3F then one final byte 0x40–0x7E.
    private static func skipCSI(_ s: inout ArraySlice<Unicode.Scalar>) {
        while let c = s.first, (0x20...0x3F).contains(c.value) { s.removeFirst() }
        if let c = s.first, (0x40...0x7E).contains(c.value) { s.removeFirst() }
    }

    /// String sequences end at BEL, ST (ESC \) or C1 ST; unterminated ones run to the end of the text.
    private static func skipString(_ s: inout ArraySlice<Unicode.Scalar>) {
        while let c = s.popFirst() {
            if c.value == 0x07 || c.value == 0x9C { return }
            if c.value == 0x1B {
                if s.first == "\\" { s.removeFirst() }
                return
            }
        }
    }
}
