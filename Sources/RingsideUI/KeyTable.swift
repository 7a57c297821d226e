/// One row of the key table: the keys that run a command, and which help section it belongs to.
public struct KeyBinding: Hashable, Sendable {
    public enum Section: String, Hashable, Sendable, CaseIterable {
        case call = "Call"
        case agent = "Agent"
        case navigation = "Navigation"
        case demo = "Demo (ringside demo only)"
    }

    public var keys: [Key]
    public var command: ConsoleCommand
    public var section: Section

    public init(_ keys: [Key], _ command: ConsoleCommand, _ section: Section) {
        self.keys = keys
        self.command = command
        self.section = section
    }

    /// `a`, `j / ↓` … as shown in help.
    public var keyLabel: String { keys.map(\.description).joined(separator: " / ") }
}

/// The single table that maps keys to commands; dispatch, the key bar and the help overlay all read it.
public struct KeyTable: Sendable {
    public let bindings: [KeyBinding]

    public init(bindings: [KeyBinding]) {
        self.bindings = bindings
    }

    /// Ringside's key map.
    public static let standard = KeyTable(bindings: [
        KeyBinding([.char("a")], .answer, .call),
        KeyBinding([.char("h")], .holdResume, .call),
        KeyBinding([.char("t")], .transfer, .call),
        KeyBinding([.char("x")], .hangUp, .call),
        KeyBinding([.char("p")], .pop, .call),
        KeyBinding([.char("s")], .search, .call),
        KeyBinding([.char("n")], .new, .call),
        KeyBinding([.char("l")], .relatedTo, .call),
        KeyBinding([.char("g")], .quickFind, .call),
        KeyBinding([.char("f")], .nextCall, .call),
        KeyBinding([.char("w")], .notes, .call),
        KeyBinding([.char("d")], .dial, .call),
        KeyBinding([.char("o")], .openRecord, .call),
        KeyBinding([.char("y")], .copyNumber, .call),
        KeyBinding([.char("Y")], .copyLink, .call),
        KeyBinding([.char("r")], .toggleReady, .agent),
        KeyBinding([.char("/")], .filter, .navigation),
        KeyBinding([.tab], .nextPane, .navigation),
        KeyBinding([.backTab], .previousPane, .navigation),
        KeyBinding([.char("c")], .focusCall, .navigation),
        KeyBinding([.char("N")], .focusNumbers, .navigation),
        KeyBinding([.char("H")], .focusHistory, .navigation),
        KeyBinding([.up, .char("k")], .moveUp, .navigation),
        KeyBinding([.down, .char("j")], .moveDown, .navigation),
        KeyBinding([.pageUp], .pageUp, .navigation),
        KeyBinding([.pageDown], .pageDown, .navigation),
        KeyBinding([.home], .moveFirst, .navigation),
        KeyBinding([.end], .moveLast, .navigation),
        KeyBinding([.enter], .activate, .navigation),
        KeyBinding([.escape], .back, .navigation),
        KeyBinding([.char("?"), .function(1)], .help, .agent),
        KeyBinding([.ctrl("l")], .redraw, .agent),
        KeyBinding([.char("m")], .toggleMouse, .agent),
        KeyBinding([.char("q")], .quit, .agent),
        KeyBinding([.char("i")], .demoRandom, .demo),
        KeyBinding([.char("1")], .demoSingle, .demo),
        KeyBinding([.char("2")], .demoMultiple, .demo),
        KeyBinding([.char("3")], .demoNoMatch, .demo),
        KeyBinding([.char("4")], .demoInternal, .demo),
        KeyBinding([.char("5")], .demoJapanese, .demo),
        KeyBinding([.char("6")], .demoHostile, .demo),
    ])

    /// The command bound to `key`, if any.
    public func command(for key: Key) -> ConsoleCommand? {
        bindings.first { $0.keys.contains(key) }?.command
    }

    /// The binding of `command`.
    public func binding(for command: ConsoleCommand) -> KeyBinding? {
        bindings.first { $0.command == command }
    }

    /// The first key of `command`, as shown on its button.
    public func keyLabel(for command: ConsoleCommand) -> String {
        binding(for: command)?.keys.first?.description ?? ""
    }

    /// Keys bound to more than one command (must be empty).
    public var duplicateKeys: [Key] {
        var seen = Set<Key>()
        var dupes: [Key] = []
        for key in bindings.flatMap(\.keys) where !seen.insert(key).inserted { dupes.append(key) }
        return dupes
    }

    /// Keys of text fields (not commands), listed in help after the table.
    public static let textFieldHelp: [(String, String)] = [
        ("Enter", "Dial field: dial · Filter: done · Notes: save wrap-up"),
        ("Esc", "Leave the field (Filter: clear it)"),
        ("← / →, Home / End", "Move by character / to the line's start or end (also Ctrl-B/F, Ctrl-A/E)"),
        ("Ctrl-← / Ctrl-→", "Move by word (also Alt-← / Alt-→, Alt-b / Alt-f)"),
        ("Bksp / Delete", "Delete the character before / under the cursor (Ctrl-D too)"),
        ("Ctrl-W, Ctrl-K, Ctrl-U", "Delete the word before / to the line's end / to its start"),
        ("Ctrl-_", "Undo the last edit (Ctrl-/ in most terminals)"),
        ("Alt-Enter", "Notes: start a new line (pasted text keeps its lines)"),
        ("↑ / ↓", "Filter: move in the list · Transfer: pick a number"),
    ]
}
