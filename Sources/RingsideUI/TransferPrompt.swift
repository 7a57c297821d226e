/// The blind-transfer prompt: the target being typed (a `LineEditor`, like the dial and find fields) and
/// the number-list row it was picked from (-1: typed, or edited since the pick).
public struct TransferPrompt: Hashable, Sendable {
    /// Characters a transfer target may hold.
    public static let limit = 60

    public var editor = LineEditor(limit: TransferPrompt.limit)
    public var pick = -1

    public init(_ text: String = "", pick: Int = -1) {
        editor = LineEditor(text, limit: Self.limit)
        self.pick = pick
    }

    /// The typed target.
    public var text: String { editor.text }

    /// Applies an edit; a change of text forgets the pick (the target is now what was typed).
    mutating func apply(_ edit: LineEditor.Edit) {
        if editor.apply(edit) { pick = -1 }
    }

    /// Replaces the text with a number-list entry (one undoable step).
    mutating func choose(_ raw: String, at index: Int) {
        editor.replace(with: raw)
        pick = index
    }
}
