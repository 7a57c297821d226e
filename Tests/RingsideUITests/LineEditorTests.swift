import RingsideUI
import RingsideTestSupport
import Testing

/// A small seeded generator so property runs are reproducible (the seed is in the failure message).
typealias EditorRNG = SeededRNG

@Suite struct LineEditorTests {
    static let pieces = ["a", "b", "Fred", " ", "  ", "山田", "e\u{301}", "👍", "\n", "x y z", "-", "\u{1b}[31m", "\t", "call back tomorrow"]
    static let edits: [LineEditor.Edit] = [.backspace, .deleteForward, .left, .right, .wordLeft, .wordRight, .home, .end,
                                           .killToEnd, .killToStart, .rubOutWord, .undo]

    static func randomEdit(_ rng: inout EditorRNG) -> LineEditor.Edit {
        if Int.random(in: 0..<3, using: &rng) == 0 { return .insert(pieces.randomElement(using: &rng)!) }
        return edits.randomElement(using: &rng)!
    }

    // MARK: Examples

    @Test func deleteDeletesForwardAndBackspaceBackward() {
        var e = LineEditor("abcd")
        e.apply(.home)
        e.apply(.right)
        e.apply(.deleteForward)
        #expect(e.text == "acd")
        #expect(e.cursor == 1)
        e.apply(.backspace)
        #expect(e.text == "cd")
        #expect(e.cursor == 0)
        let unchanged = e.apply(.backspace)
        #expect(!unchanged)
    }

    @Test func wordMovesStopAtWordEdges() {
        var e = LineEditor("Call back Fred, tomorrow")
        e.apply(.wordLeft)
        #expect(e.cursor == 16) // start of "tomorrow"
        e.apply(.wordLeft)
        #expect(e.cursor == 10) // start of "Fred"
        e.apply(.wordRight)
        #expect(e.cursor == 14) // end of "Fred"
        e.apply(.home)
        e.apply(.wordRight)
        #expect(e.cursor == 4)
    }

    @Test func killsAndRubOut() {
        var e = LineEditor("Call back Fred tomorrow")
        e.apply(.rubOutWord)
        #expect(e.text == "Call back Fred ")
        e.apply(.wordLeft)
        e.apply(.killToEnd)
        #expect(e.text == "Call back ")
        e.apply(.left)
        e.apply(.killToStart)
        #expect(e.text == " ")
        #expect(e.cursor == 0)
    }

    @Test func homeEndAndKillWorkOnTheCurrentLineOfNotes() {
        var e = LineEditor("first line\nsecond line", multiline: true)
        e.apply(.home)
        #expect(e.cursor == 11)
        e.apply(.left)
        e.apply(.home)
        #expect(e.cursor == 0)
        e.apply(.end)
        #expect(e.cursor == 10)
        e.apply(.killToEnd) // at the end of a line: joins the next one
        #expect(e.text == "first linesecond line")
    }

    @Test func undoRestoresAWordTypedAsOneStep() {
        var e = LineEditor()
        for c in "call back" { e.apply(.insert(String(c))) }
        // The second word goes with the space before it.
        e.apply(.undo)
        #expect(e.text == "call")
        e.apply(.undo)
        #expect(e.text == "")
        #expect(!e.canUndo)
        let unchanged = e.apply(.undo)
        #expect(!unchanged)
    }

    @Test func aRunOfDeletesIsOneUndoStep() {
        var e = LineEditor("Call back Fred")
        e.apply(.home)
        for _ in 0..<5 { e.apply(.deleteForward) }
        #expect(e.text == "back Fred")
        e.apply(.end)
        e.apply(.backspace)
        e.apply(.backspace)
        #expect(e.text == "back Fr")
        e.apply(.undo)
        #expect(e.text == "back Fred")
        e.apply(.undo)
        #expect(e.text == "Call back Fred")
    }

    @Test func oneLineFieldsTurnLineBreaksIntoSpacesAndDropControls() {
        var e = LineEditor(limit: 40)
        e.apply(.insert("07700\r\n900\u{1b}123\t4"))
        #expect(e.text == "07700 900123 4")
        #expect(!e.text.contains("\n"))
        #expect(!e.text.unicodeScalars.contains { $0.value < 0x20 })
        var notes = LineEditor(multiline: true)
        notes.apply(.insert("a\r\nb\rc"))
        #expect(notes.text == "a\nb\nc")
    }

    @Test func limitIsKept() {
        var e = LineEditor(limit: 5)
        e.apply(.insert("abcdefgh"))
        #expect(e.text == "abcde")
        let unchanged = e.apply(.insert("x"))
        #expect(!unchanged)
    }

    @Test func wrapBreaksAtSpacesAndFollowsTheCursor() {
        var e = LineEditor("the quick brown fox jumps", multiline: true)
        let w = e.wrapped(width: 10)
        #expect(w.lines == ["the quick", "brown fox", "jumps"])
        #expect(w.cursorRow == 2 && w.cursorColumn == 5)
        e.apply(.home)
        #expect(e.wrapped(width: 10).cursorRow == 0)
        #expect(e.wrapped(width: 10).window(height: 1).lines == ["the quick"])
        for _ in 0..<2 { e.apply(.wordRight) }
        e.apply(.right) // on "b" of brown
        let moved = e.wrapped(width: 10)
        #expect(moved.cursorRow == 1 && moved.cursorColumn == 0)
    }

    @Test func cursorAfterAFullLastLineGoesToANewLine() {
        let e = LineEditor("abcde", multiline: true)
        let w = e.wrapped(width: 5)
        #expect(w.lines == ["abcde", ""])
        #expect(w.cursorRow == 1 && w.cursorColumn == 0)
    }

    @Test func windowScrollsToKeepTheCursorVisible() {
        var e = LineEditor("0123456789abcdefghij", limit: 40)
        let end = e.window(width: 8)
        #expect(end.text == "defghij")
        #expect(end.cursorColumn == 7)
        e.apply(.home)
        let start = e.window(width: 8)
        #expect(start.text == "01234567")
        #expect(start.cursorColumn == 0)
    }

    // MARK: Properties (seeded random edit sequences)

    @Test(arguments: 0..<40)
    func invariantsHoldAfterEveryEdit(seed: UInt64) {
        var rng = EditorRNG(state: seed)
        let multiline = seed % 2 == 0
        var e = LineEditor(limit: 60, multiline: multiline)
        for step in 0..<200 {
            let edit = Self.randomEdit(&rng)
            let before = e
            let changed = e.apply(edit)
            let context = "seed \(seed) step \(step) \(edit)"
            #expect(e.cursor >= 0 && e.cursor <= e.count, "\(context)")
            #expect(e.count <= 60, "\(context)")
            #expect(changed == (e.text != before.text), "\(context)")
            #expect(!e.text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }, "\(context)")
            if !multiline { #expect(!e.text.contains("\n"), "\(context)") }
            switch edit {
            case .left, .right, .wordLeft, .wordRight, .home, .end:
                #expect(e.text == before.text, "moves never edit: \(context)")
            case .deleteForward:
                #expect(e.cursor == before.cursor, "Delete keeps the cursor: \(context)")
                if before.cursor < before.count { #expect(e.count == before.count - 1, "\(context)") }
            case .backspace:
                if before.cursor > 0 { #expect(e.cursor == before.cursor - 1 && e.count == before.count - 1, "\(context)") }
            case .insert, .killToEnd, .killToStart, .rubOutWord, .undo:
                break
            }
        }
    }

    @Test(arguments: 0..<40)
    func undoingEveryStepRestoresTheStart(seed: UInt64) {
        var rng = EditorRNG(state: seed &+ 1000)
        let start = "Fred called about the boiler"
        var e = LineEditor(start, limit: 80, multiline: true)
        var texts = [e.text]
        for _ in 0..<60 {
            let edit = Self.randomEdit(&rng)
            if edit == .undo { continue }
            if e.apply(edit) { texts.append(e.text) }
        }
        // Each undo goes back to an earlier text, in order; all of them lead back to the start.
        var undos = 0
        while e.canUndo {
            e.apply(.undo)
            undos += 1
            #expect(texts.contains(e.text), "seed \(seed): undo produced a text never seen")
        }
        #expect(e.text == start, "seed \(seed)")
        #expect(undos <= texts.count - 1 || texts.count == 1)
    }

    @Test(arguments: 0..<40)
    func wrappingLosesNothingAndKeepsTheCursorOnScreen(seed: UInt64) {
        var rng = EditorRNG(state: seed &+ 5000)
        var e = LineEditor(limit: 300, multiline: true)
        for _ in 0..<80 { e.apply(Self.randomEdit(&rng)) }
        for width in [1, 2, 3, 7, 12, 40] {
            let w = e.wrapped(width: width)
            let context = "seed \(seed) width \(width) text \(e.text.debugDescription) cursor \(e.cursor)"
            for line in w.lines { #expect(DisplayWidth.of(line) <= max(width, 2), "\(context)") }
            #expect(w.cursorRow >= 0 && w.cursorRow < w.lines.count, "\(context)")
            #expect(w.cursorColumn >= 0 && w.cursorColumn < width, "\(context)")
            // Every character except the spaces lines were broken at and the line breaks is shown, in order.
            let shown = w.lines.joined().filter { $0 != " " }
            let kept = e.text.filter { $0 != " " && $0 != "\n" }.map { String($0).displaySafe }.joined()
            #expect(shown == kept, "\(context)")
            // Visible: the window of any height ≥ 1 contains the cursor's row.
            let window = w.window(height: 3)
            #expect(window.cursorRow >= 0 && window.cursorRow < window.lines.count, "\(context)")
        }
    }

    @Test(arguments: 0..<40)
    func cursorMovesForwardOnScreenAsItMovesRight(seed: UInt64) {
        var rng = EditorRNG(state: seed &+ 9000)
        var e = LineEditor(limit: 200, multiline: true)
        for _ in 0..<60 { e.apply(.insert(Self.pieces.randomElement(using: &rng)!)) }
        e.apply(.home)
        while e.cursor > 0 { e.apply(.left) }
        var last = (row: -1, column: -1)
        for _ in 0...e.count {
            let w = e.wrapped(width: 9)
            let here = (row: w.cursorRow, column: w.cursorColumn)
            #expect(here.row > last.row || (here.row == last.row && here.column >= last.column),
                    "seed \(seed) cursor \(e.cursor) at \(here) after \(last) in \(e.text.debugDescription)")
            last = here
            e.apply(.right)
        }
    }

    @Test(arguments: 0..<40)
    func oneLineWindowFitsAndShowsTheCursor(seed: UInt64) {
        var rng = EditorRNG(state: seed &+ 13000)
        var e = LineEditor(limit: 200, multiline: seed % 2 == 0)
        for _ in 0..<80 { e.apply(Self.randomEdit(&rng)) }
        for width in [1, 4, 10, 24] {
            let window = e.window(width: width)
            #expect(DisplayWidth.of(window.text) <= width, "seed \(seed) width \(width)")
            #expect(window.cursorColumn >= 0 && window.cursorColumn < max(width, 2), "seed \(seed) width \(width)")
        }
    }
}

@Suite struct KeyDecoderTests {
    static func codes(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    @Test func altLettersAndModifiedArrows() {
        #expect(KeyDecoder.keys(Self.codes("\u{1b}b\u{1b}f")) == [.alt("b"), .alt("f")])
        #expect(KeyDecoder.keys(Self.codes("\u{1b}[1;5D\u{1b}[1;5C\u{1b}[1;3D")) == [.wordLeft, .wordRight, .wordLeft])
        #expect(KeyDecoder.keys(Self.codes("\u{1b}\r")) == [.alt("\n")])
        #expect(KeyDecoder.keys([31]) == [.ctrl("_")])
        #expect(KeyDecoder.keys([1, 5, 11, 21, 23]) == [.ctrl("a"), .ctrl("e"), .ctrl("k"), .ctrl("u"), .ctrl("w")])
    }

    @Test func sgrMouseReportsBeyondColumn223() {
        #expect(KeyDecoder.decode(Self.codes("\u{1b}[<0;250;12M\u{1b}[<0;250;12m\u{1b}[<65;3;4M")) == [
            .mouse(.init(x: 249, y: 11, button: 0, press: true)), .mouse(.init(x: 249, y: 11, button: 0, press: false)),
            .mouse(.init(x: 2, y: 3, button: 65, press: true)),
        ])
    }

    @Test func unknownSequencesAreDroppedNotTyped() {
        #expect(KeyDecoder.keys(Self.codes("\u{1b}[1;5Ax")) == [.char("x")])
    }

    @Test func loneEscapeAndPlainTextStayAsTheyAre() {
        #expect(KeyDecoder.keys([27]) == [.escape])
        #expect(KeyDecoder.keys(Self.codes("ab\r")) == [.char("a"), .char("b"), .enter])
        #expect(KeyDecoder.keys([27, 27]) == [.escape, .escape])
        // Esc then another key in one read (a fast typist, tmux send-keys) stays Esc and that key.
        #expect(KeyDecoder.keys(Self.codes("\u{1b}/")) == [.escape, .char("/")])
        #expect(KeyDecoder.keys(Self.codes("\u{1b}q")) == [.escape, .char("q")])
    }
}
