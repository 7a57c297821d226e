/// Splits terminal input into characters and bracketed pastes (`ESC [200~ … ESC [201~`), so pasted text
/// reaches the field being edited as one piece and never runs as key commands. Pure; fed one character
/// code at a time by the terminal layer, flushed when no more input is waiting.
public struct PasteDecoder: Sendable {
    /// One decoded piece of input.
    public enum Item: Hashable, Sendable {
        case character(UInt32)
        case paste(String)
    }

    static let start: [UInt32] = [27, 91, 50, 48, 48, 126]
    static let end: [UInt32] = [27, 91, 50, 48, 49, 126]
    /// A paste longer than this is delivered in pieces of this size.
    public static let limit = 64 * 1024

    private var inPaste = false
    private var pending: [UInt32] = []
    private var text = ""

    public init() {}

    public mutating func feed(_ code: UInt32) -> [Item] {
        let marker = inPaste ? Self.end : Self.start
        if pending.isEmpty && code != 27 {
            return inPaste ? append([code]) : [.character(code)]
        }
        pending.append(code)
        if pending == marker {
            pending = []
            if inPaste {
                inPaste = false
                defer { text = "" }
                return [.paste(text)]
            }
            inPaste = true
            return []
        }
        if marker.starts(with: pending) { return [] }
        let spilled = pending
        pending = []
        return inPaste ? append(spilled) : spilled.map(Item.character)
    }

    /// No more input is waiting: a lone ESC (or ESC + keys) outside a paste is delivered as keys.
    public mutating func flush() -> [Item] {
        guard !inPaste, !pending.isEmpty else { return [] }
        defer { pending = [] }
        return pending.map(Item.character)
    }

    private mutating func append(_ codes: [UInt32]) -> [Item] {
        for code in codes {
            if let scalar = Unicode.Scalar(code) { text.unicodeScalars.append(scalar) }
        }
        guard text.unicodeScalars.count >= Self.limit else { return [] }
        defer { text = "" }
        return [.paste(text)]
    }
}
