/// The text of one input field and where the cursor is in it: a pure value type used by the notes,
/// dial, filter and find fields. Positions count characters (grapheme clusters), so the cursor never
/// lands inside a character. Every change can be undone (typing a word is one step).
public struct LineEditor: Hashable, Sendable {
    /// One editing action (decoded from keys by `LineEditor.edit(for:)`).
    public enum Edit: Hashable, Sendable {
        case insert(String)
        /// Delete the character before the cursor.
        case backspace
        /// Delete the character under the cursor.
        case deleteForward
        case left, right
        /// To the start of the previous word / the end of the next word.
        case wordLeft, wordRight
        /// To the start / end of the current line.
        case home, end
        /// Delete from the cursor to the end of the line (at the end of a line: the line break).
        case killToEnd
        /// Delete from the start of the line to the cursor.
        case killToStart
        /// Delete the blank-separated word before the cursor.
        case rubOutWord
        case undo
    }

    private struct State: Hashable, Sendable {
        var characters: [Character]
        var cursor: Int
    }

    private var state: State
    private var undoStack: [State] = []
    /// Consecutive edits of one kind (typing a word, a run of Backspace or Delete) are one undo step.
    private enum Group: Hashable, Sendable { case typing, backspace, deleteForward }
    private var group: Group?
    /// At most this many characters are kept.
    public let limit: Int
    /// Whether the text may hold line breaks (notes).
    public let multiline: Bool
    /// Undo steps kept.
    public static let undoDepth = 100

    public init(_ text: String = "", limit: Int = 4000, multiline: Bool = false) {
        self.limit = limit
        self.multiline = multiline
        let characters = Array(Self.accepted(text, multiline: multiline).prefix(limit))
        state = State(characters: characters, cursor: characters.count)
    }

    public var text: String { String(state.characters) }
    /// The cursor's position in characters, `0...count`.
    public var cursor: Int { state.cursor }
    public var count: Int { state.characters.count }
    public var isEmpty: Bool { state.characters.isEmpty }
    public var canUndo: Bool { !undoStack.isEmpty }
    var characters: [Character] { state.characters }

    /// Applies `edit`; returns whether the text changed (cursor moves alone return false).
    @discardableResult
    public mutating func apply(_ edit: Edit) -> Bool {
        let before = state
        switch edit {
        case .insert(let raw):
            let room = limit - state.characters.count
            let inserted = Array(Self.accepted(raw, multiline: multiline).prefix(max(0, room)))
            guard !inserted.isEmpty else { return false }
            // A typed word is one undo step; a space, a paste or any other edit starts a new one.
            let continues = group == .typing && inserted.count == 1 && inserted[0] != " " && inserted[0] != "\n"
            if !continues { remember(before) }
            group = inserted.count == 1 ? .typing : nil
            state.characters.insert(contentsOf: inserted, at: state.cursor)
            state.cursor += inserted.count
            return true
        case .undo:
            group = nil
            guard let last = undoStack.popLast() else { return false }
            state = last
            return true
        case .left:
            state.cursor = max(0, state.cursor - 1)
        case .right:
            state.cursor = min(state.characters.count, state.cursor + 1)
        case .wordLeft:
            state.cursor = wordStart(before: state.cursor)
        case .wordRight:
            state.cursor = wordEnd(after: state.cursor)
        case .home:
            state.cursor = lineStart(state.cursor)
        case .end:
            state.cursor = lineEnd(state.cursor)
        case .backspace:
            guard state.cursor > 0 else { return false }
            delete(state.cursor - 1..<state.cursor, keeping: before, as: .backspace)
        case .deleteForward:
            guard state.cursor < state.characters.count else { return false }
            delete(state.cursor..<state.cursor + 1, keeping: before, as: .deleteForward)
        case .killToEnd:
            let end = lineEnd(state.cursor)
            let stop = end == state.cursor && end < state.characters.count ? end + 1 : end
            guard stop > state.cursor else { return false }
            delete(state.cursor..<stop, keeping: before)
        case .killToStart:
            let start = lineStart(state.cursor)
            guard start < state.cursor else { return false }
            delete(start..<state.cursor, keeping: before)
        case .rubOutWord:
            var start = state.cursor
            while start > 0, state.characters[start - 1].isWhitespace { start -= 1 }
            while start > 0, !state.characters[start - 1].isWhitespace { start -= 1 }
            guard start < state.cursor else { return false }
            delete(start..<state.cursor, keeping: before)
        }
        if state.characters == before.characters {
            group = nil
            return false
        }
        return true
    }

    /// Replaces the whole text (cursor at the end) as one undoable step.
    public mutating func replace(with text: String) {
        let new = Array(Self.accepted(text, multiline: multiline).prefix(limit))
        guard new != state.characters else { return }
        remember(state)
        group = nil
        state = State(characters: new, cursor: new.count)
    }

    private mutating func delete(_ range: Range<Int>, keeping before: State, as kind: Group? = nil) {
        if kind == nil || group != kind { remember(before) }
        group = kind
        state.characters.removeSubrange(range)
        state.cursor = range.lowerBound
    }

    private mutating func remember(_ previous: State) {
        undoStack.append(previous)
        if undoStack.count > Self.undoDepth { undoStack.removeFirst(undoStack.count - Self.undoDepth) }
    }

    /// Text as the field keeps it: no control characters; line breaks only in a multi-line field
    /// (CR LF and CR become LF; elsewhere a line break becomes a space).
    static func accepted(_ raw: String, multiline: Bool) -> [Character] {
        var out: [Character] = []
        var previousCR = false
        for character in raw {
            defer { previousCR = character == "\r" }
            if character == "\r\n" || character == "\r" || character == "\n" {
                if character == "\n", previousCR { continue }
                out.append(multiline ? "\n" : " ")
                continue
            }
            if character == "\t" {
                out.append(" ")
                continue
            }
            let control = character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
            if !control { out.append(character) }
        }
        return out
    }

    // MARK: Positions

    private static func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    private func wordStart(before position: Int) -> Int {
        var i = position
        while i > 0, !Self.isWord(state.characters[i - 1]) { i -= 1 }
        while i > 0, Self.isWord(state.characters[i - 1]) { i -= 1 }
        return i
    }

    private func wordEnd(after position: Int) -> Int {
        var i = position
        let n = state.characters.count
        while i < n, !Self.isWord(state.characters[i]) { i += 1 }
        while i < n, Self.isWord(state.characters[i]) { i += 1 }
        return i
    }

    func lineStart(_ position: Int) -> Int {
        var i = position
        while i > 0, state.characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    func lineEnd(_ position: Int) -> Int {
        var i = position
        while i < state.characters.count, state.characters[i] != "\n" { i += 1 }
        return i
    }
}

extension LineEditor {
    /// The editing action of a key in a text field, or nil when the key is not an editing key there.
    /// Emacs/readline keys: Ctrl-A/E line start/end, Ctrl-B/F and Alt-b/f by character and word,
    /// Ctrl-D delete forward, Ctrl-K/U kill to end/start of line, Ctrl-W rub out a word, Ctrl-_ undo.
    public static func edit(for key: Key) -> Edit? {
        switch key {
        case .left, .ctrl("b"): .left
        case .right, .ctrl("f"): .right
        case .wordLeft, .alt("b"): .wordLeft
        case .wordRight, .alt("f"): .wordRight
        case .home, .ctrl("a"): .home
        case .end, .ctrl("e"): .end
        case .backspace: .backspace
        case .delete, .ctrl("d"): .deleteForward
        case .ctrl("k"): .killToEnd
        case .ctrl("u"): .killToStart
        case .ctrl("w"), .alt("\u{7F}"): .rubOutWord
        case .ctrl("_"), .ctrl("z"): .undo
        case .char, .ctrl, .alt, .enter, .escape, .tab, .backTab, .up, .down, .pageUp, .pageDown, .function: nil
        }
    }
}
