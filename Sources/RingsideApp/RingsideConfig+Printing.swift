import Foundation
import RingsideCurl

extension RingsideConfig {
    /// The effective configuration as valid TOML (it parses back to the same settings): each key with its help and
    /// environment variable; secrets only as comments (`# password = "[REDACTED]"`); passwords in URLs redacted.
    public func printable() -> String {
        let origin = sources.isEmpty ? "defaults" : (["defaults"] + sources).joined(separator: ", ")
        var lines = ["# Effective configuration (sources: \(Self.commentSafe(origin))); secrets are hidden."]
        for (section, keys) in Self.keysBySection {
            lines.append("\n[\(section.split(separator: ".").map { TOMLWriter.key(String($0)) }.joined(separator: "."))]")
            for key in keys {
            lines.append("# \(Self.commentSafe(key.help)) (env \(key.environmentName))")
            let value = key.tomlValue(self)
            if key.secret {
                let set = if case .string(let s) = value { !s.isEmpty } else { true }
                lines.append("# \(TOMLWriter.key(key.name)) = \(set ? "\"\(Redactor.placeholder)\"" : "\"\"  (unset)")")
            } else {
                lines.append("\(TOMLWriter.key(key.name)) = \(TOMLWriter.value(Self.redactingURLs(value)))")
            }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A commented config file documenting every setting with its default (`config --example`).
    public static func example() -> String {
        let defaults = RingsideConfig()
        var lines = [
            "# Ringside configuration: save as $XDG_CONFIG_HOME/ringside/config.toml (usually ~/.config/ringside/config.toml).",
            "# The file is TOML 1.0 (https://toml.io). Every setting is shown with its default, commented out: remove the",
            "# leading # to change one. Every setting can also be given as an environment variable: [section] key ->",
            "# RINGSIDE_SECTION_KEY (shown on each line), e.g. RINGSIDE_AGENT_REGION=US. Secrets belong in the",
            "# environment, or in this file with mode 0600. `ringside config --print` shows the effective settings.",
        ]
        for (section, keys) in keysBySection {
            lines.append("\n[\(section)]")
            for key in keys {
                lines.append("# \(commentSafe(key.help)) (env \(key.environmentName))")
                let value: TOMLValue = key.secret ? .string("") : key.tomlValue(defaults)
                lines.append("# \(TOMLWriter.key(key.name)) = \(TOMLWriter.value(value))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Keys grouped by section, sections in order of first appearance (a TOML table may be opened only once).
    static var keysBySection: [(String, [Key])] {
        sections.map { section in (section, keys.filter { $0.section == section }) }
    }

    /// Every secret value currently set (secret keys, and passwords inside URLs), for scrubbing text before it is
    /// shown or logged.
    public var secrets: [String] {
        let values = Self.keys.filter(\.secret).map { $0.show(self) }
        let urlPasswords = Self.keys.filter { !$0.secret }.compactMap { Self.urlPassword(in: $0.show(self)) }
        return (values + urlPasswords).filter { $0.count >= 4 }
    }

    /// The password in `scheme://user:password@host…`, if any.
    static func urlPassword(in text: String) -> String? {
        guard let scheme = text.range(of: "://") else { return nil }
        let authority = text[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        let password = String(authority[authority.index(after: colon)..<at])
        return password.isEmpty ? nil : password
    }

    static func redactingURLs(_ value: TOMLValue) -> TOMLValue {
        switch value {
        case .string(let text): return text.contains("://") ? .string(Redactor.url(text)) : value
        case .array(let items): return .array(items.map(redactingURLs))
        case .integer, .float, .bool, .dateTime, .table: return value
        }
    }

    /// Text for a `#` comment: one line, no control characters.
    static func commentSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
