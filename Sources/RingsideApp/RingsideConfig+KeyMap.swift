import RingsideUI

/// `[keys]`: any console command on other keys, e.g. `answer = "A"` or `quit = ["q", "F10"]` (issue 18).
extension RingsideConfig {
    static let keyMapKeys: [Key] = ConsoleCommand.allCases.map { command in
        Key(kind: .list, section: "keys", name: command.configName, secret: false,
            help: "Keys for \(command.title) (default \(KeyTable.standard.binding(for: command)?.keyLabel ?? "none"))",
            apply: { config, value throws(ConfigError) in
                let path = "keys.\(command.configName)"
                var keys: [RingsideUI.Key] = []
                for name in try strings(value, path) {
                    guard let key = RingsideUI.Key(name: name) else {
                        throw ConfigError(message: "\(path): \"\(name)\" is not a key (write a character, Enter, Esc, Tab, F1…F24, Ctrl-x, Alt-x, PgUp, Home …)")
                    }
                    keys.append(key)
                }
                do { config.consoleKeys = try config.consoleKeys.remapped(command, to: keys) } catch {
                    throw ConfigError(message: "\(path): \(error)")
                }
            }, show: { config in config.consoleKeys.binding(for: command)?.keyLabel ?? "" },
            toml: { config in .array((config.consoleKeys.binding(for: command)?.keys ?? []).map { .string($0.description) }) })
    }
}
