import RingsideUI

/// `[display]`: how the console draws (issue 18).
extension RingsideConfig {
    static let displayKeys: [Key] = [
        Key(section: "display", name: "hyperlinks", secret: false,
            help: "The record's name and link as OSC 8 hyperlinks: true, false or auto (iTerm2, WezTerm, Ghostty, kitty, foot, VTE, "
                + "Konsole, Windows Terminal, tmux >= 3.4); never under LANG=C or TERM=dumb",
            apply: { config, value throws(ConfigError) in
                switch value {
                case .bool(let on): config.hyperlinks = on ? .on : .off
                case .string(let s):
                    switch s.lowercased() {
                    case "true", "on": config.hyperlinks = .on
                    case "false", "off": config.hyperlinks = .off
                    case "auto": config.hyperlinks = .auto
                    default: throw ConfigError(message: "display.hyperlinks = \"\(s)\": use true, false or \"auto\"")
                    }
                case .integer, .float, .array, .dateTime, .table:
                    throw ConfigError(message: "display.hyperlinks must be true, false or \"auto\", not \(value.typeName)")
                }
            }, show: { config in
                switch config.hyperlinks {
                case .on: "true"
                case .off: "false"
                case .auto: "auto"
                }
            }, toml: { config in
                switch config.hyperlinks {
                case .on: .bool(true)
                case .off: .bool(false)
                case .auto: .string("auto")
                }
            }),
    ]
}
