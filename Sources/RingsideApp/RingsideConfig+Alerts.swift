import RingsideUI

/// `[alerts]`: how a ringing call gets the agent's attention (issue 18).
extension RingsideConfig {
    static let alertKeys: [Key] = [
        flag("bell", "Ring the terminal bell when a call rings (true/false)", \.bell),
        flag("title", "Show \"Ringing: <caller>\" as the window title while a call rings, then restore it (true/false)", \.title),
        Key(section: "alerts", name: "notify", secret: false,
            help: "Desktop notification (OSC 9/777) when a call rings: true, false or auto (only terminals known to show them)",
            apply: { config, value throws(ConfigError) in
                switch value {
                case .bool(let on): config.alerts.notify = on ? .on : .off
                case .string(let s):
                    switch s.lowercased() {
                    case "true", "on": config.alerts.notify = .on
                    case "false", "off": config.alerts.notify = .off
                    case "auto": config.alerts.notify = .auto
                    default: throw ConfigError(message: "alerts.notify = \"\(s)\": use true, false or \"auto\"")
                    }
                case .integer, .float, .array, .dateTime, .table:
                    throw ConfigError(message: "alerts.notify must be true, false or \"auto\", not \(value.typeName)")
                }
            }, show: { config in
                switch config.alerts.notify {
                case .on: "true"
                case .off: "false"
                case .auto: "auto"
                }
            }, toml: { config in
                switch config.alerts.notify {
                case .on: .bool(true)
                case .off: .bool(false)
                case .auto: .string("auto")
                }
            }),
    ]

    private static func flag(_ name: String, _ help: String, _ kp: WritableKeyPath<AlertSettings, Bool> & Sendable) -> Key {
        Key(section: "alerts", name: name, secret: false, help: help, apply: { config, value throws(ConfigError) in
            switch value {
            case .bool(let on): config.alerts[keyPath: kp] = on
            case .string(let s) where ["true", "false"].contains(s.lowercased()):
                config.alerts[keyPath: kp] = s.lowercased() == "true"
            case .string, .integer, .float, .array, .dateTime, .table:
                throw ConfigError(message: "alerts.\(name) must be true or false, not \(value.typeName)")
            }
        }, show: { config in config.alerts[keyPath: kp] ? "true" : "false" }, toml: { config in .bool(config.alerts[keyPath: kp]) })
    }
}
