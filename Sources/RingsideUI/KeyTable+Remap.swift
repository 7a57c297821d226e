/// Remapping console commands to other keys (`[keys]` in the config file).
extension KeyTable {
    /// Why a remapping can't be applied.
    public struct RemapError: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// This table with `command` run by `keys` instead of its old keys. A key already bound to another
    /// command is a conflict (remap that command first, to free the key).
    public func remapped(_ command: ConsoleCommand, to keys: [Key]) throws(RemapError) -> KeyTable {
        guard !keys.isEmpty else { throw RemapError(description: "give at least one key") }
        for key in keys {
            if let other = bindings.first(where: { $0.command != command && $0.keys.contains(key) }) {
                throw RemapError(description: "\(key) is already \(other.command.title) (keys.\(other.command.configName)); give that command another key first")
            }
            if Self.reserved.contains(key) {
                throw RemapError(description: "\(key) is reserved (\(Self.reservedWhy))")
            }
        }
        var copy = bindings
        if let index = copy.firstIndex(where: { $0.command == command }) {
            copy[index].keys = keys
        } else {
            copy.append(KeyBinding(keys, command, .agent))
        }
        return KeyTable(bindings: copy)
    }

    /// Keys the console handles itself whatever the table says.
    static let reserved: Set<Key> = [.ctrl("c"), .ctrl("d"), .ctrl("z")]
    static let reservedWhy = "Ctrl-C, Ctrl-D and Ctrl-Z stop or suspend Ringside"
}

extension ConsoleCommand {
    /// The command's name in `[keys]`: `answer`, `hold_resume`, `copy_link`, …
    public var configName: String {
        var out = ""
        for c in String(describing: self) {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

extension Key {
    /// A key written as in help and the config file: `a`, `Space`, `Enter`, `Esc`, `Tab`, `Shift-Tab`,
    /// `Backspace`, `Delete`, `Up`/`↑`, `Down`, `Left`, `Right`, `Home`, `End`, `PgUp`, `PgDn`, `F1`…`F24`,
    /// `Ctrl-x`, `Alt-x`.
    public init?(name raw: String) {
        let name = raw.trimmingCharacters(in: .whitespaces)
        let lower = name.lowercased()
        let named: [String: Key] = [
            "space": .char(" "), "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab,
            "shift-tab": .backTab, "backspace": .backspace, "bksp": .backspace, "delete": .delete, "del": .delete,
            "up": .up, "↑": .up, "down": .down, "↓": .down, "left": .left, "←": .left, "right": .right, "→": .right,
            "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown,
        ]
        if let key = named[lower] {
            self = key
            return
        }
        if name.count == 1, let c = name.first, !c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            self = .char(c)
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) {
            self = .function(n)
            return
        }
        for (prefix, make) in [("ctrl-", { (c: Character) in Key.ctrl(c) }), ("alt-", { (c: Character) in Key.alt(c) })] {
            if lower.hasPrefix(prefix) {
                let rest = name.dropFirst(prefix.count)
                guard rest.count == 1, let c = rest.first, c.isASCII, c.isLetter || c == "_" || c == "/" else { return nil }
                self = make(prefix == "ctrl-" ? Character(c.lowercased()) : c)
                return
            }
        }
        return nil
    }
}
