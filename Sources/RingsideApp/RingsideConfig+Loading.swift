import Foundation
import RingsideCore
import RingsideCurl

extension RingsideConfig {
    /// `RINGSIDE_*` variables that are not settings: read by the CLI, scripts or tests. Any other `RINGSIDE_*`
    /// variable that is not a setting's is a mistake (a typo would otherwise be silently ignored).
    public static let otherEnvironmentVariables: Set<String> = [
        "RINGSIDE_CONFIG",          // the config file to read
        "RINGSIDE_RESOURCES",       // where Resources/ is (ResourceLocator)
        "RINGSIDE_MQTT_PASSWORD",   // `ringside supervise` broker password
        "RINGSIDE_BIN",             // tests: the binary under test
        "RINGSIDE_UPDATE_GOLDEN",   // tests: rewrite golden screens
        "RINGSIDE_TARGET_TIMEOUT",  // scripts/test: per-target timeout
        "RINGSIDE_SKIP_EXTRAS",     // scripts/setup: don't install the man page and completions
        "RINGSIDE_TOKEN_KEYRING",   // "off": keep the refresh token in a plain 0600 file (no kernel keyring)
        "RINGSIDE_BENCH_EXIT_AFTER_FIRST_PAINT",  // `ringside bench`: quit after the first paint and print start-up times
    ]

    /// Loads defaults, then `path` (if it exists), then the environment. Unknown keys and unknown `RINGSIDE_*`
    /// variables are errors naming the nearest known one.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> RingsideConfig {
        var config = RingsideConfig()
        config.dataDirectory = defaultDataDirectory(environment: environment)
        let file = path ?? environment["RINGSIDE_CONFIG"] ?? defaultConfigPath(environment: environment)
        if FileManager.default.fileExists(atPath: file) {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw ConfigError(message: "\(file): cannot read it as UTF-8 text: \(error.localizedDescription)")
            }
            try config.apply(text, file: file)
            config.sources.append(file)
        } else if path != nil {
            throw ConfigError(message: "\(file): no such config file (run `ringside config --example > \(file)` to start one)")
        }
        try config.applyEnvironment(environment)
        return config
    }

    /// Applies a TOML document's settings; errors name `file:line` and the key.
    mutating func apply(_ text: String, file: String) throws(ConfigError) {
        let document: TOMLDocument
        do { document = try TOMLParser.parse(text, file: file) } catch { throw ConfigError(message: error.description) }
        try apply(document.root, prefix: [], document: document, file: file)
    }

    private mutating func apply(_ table: TOMLTable, prefix: [String], document: TOMLDocument, file: String) throws(ConfigError) {
        for (name, value) in table.entries {
            let path = prefix + [name]
            let line = document.line(of: path).map { ":\($0)" } ?? ""
            if let key = Self.keys.first(where: { $0.components == path }) {
                do { try key.apply(&self, value) } catch { throw ConfigError(message: "\(file)\(line): \(error.message)") }
                continue
            }
            if case .table(let inner) = value, Self.keys.contains(where: { $0.components.starts(with: path) }) {
                try apply(inner, prefix: path, document: document, file: file)
                continue
            }
            let shown = TOMLParser.dotted(path)
            let section = prefix.joined(separator: ".")
            let known = Self.keys.filter { $0.section == section }.map(\.name)
            var hint = known.isEmpty
                ? "known sections: \(Self.sections.joined(separator: ", "))"
                : "known keys in [\(section)]: \(known.joined(separator: ", "))"
            if let nearest = Self.nearest(shown, among: Self.keys.map(\.path)) { hint = "did you mean \(nearest)? " + hint }
            throw ConfigError(message: "\(file)\(line): unknown setting \(shown) (\(hint))")
        }
    }

    private mutating func applyEnvironment(_ environment: [String: String]) throws(ConfigError) {
        let byName = Dictionary(Self.keys.map { ($0.environmentName, $0) }, uniquingKeysWith: { first, _ in first })
        for name in environment.keys.sorted() where name.hasPrefix("RINGSIDE_") && byName[name] == nil {
            guard !Self.otherEnvironmentVariables.contains(name) else { continue }
            let known = Array(byName.keys) + Self.otherEnvironmentVariables
            let hint = Self.nearest(name, among: known).map { "did you mean \($0)?" } ?? "`ringside config --example` lists every setting"
            throw ConfigError(message: "\(name) is not a Ringside setting (\(hint)); unset it or correct the name")
        }
        for key in Self.keys {
            guard let raw = environment[key.environmentName] else { continue }
            let value: TOMLValue
            switch key.kind {
            case .string, .list: value = .string(raw)
            case .integer:
                guard let n = Int(raw.trimmingCharacters(in: .whitespaces)) else {
                    throw ConfigError(message: "\(key.environmentName)=\(raw): must be a whole number")
                }
                value = .integer(n)
            }
            do { try key.apply(&self, value) } catch { throw ConfigError(message: "\(key.environmentName): \(error.message)") }
            if !sources.contains("environment") { sources.append("environment") }
        }
    }

    /// Section names in key-table order.
    static var sections: [String] {
        var seen = Set<String>()
        return keys.map(\.section).filter { seen.insert($0).inserted }
    }

    /// The closest name by edit distance, if it is close enough to be a likely typo.
    static func nearest(_ name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        return best.1 <= max(2, name.count / 4) ? best.0 : nil
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var row = [i + 1]
            for (j, cb) in b.enumerated() { row.append(min(previous[j + 1] + 1, row[j] + 1, previous[j] + (ca == cb ? 0 : 1))) }
            previous = row
        }
        return previous[b.count]
    }

    /// "Key=Value" entries from an inline/standard table, a list of "Key=Value" strings, or a "K=V; K2=V2" string.
    static func mapEntries(_ value: TOMLValue, _ path: String) throws(ConfigError) -> [String] {
        guard case .table(let table) = value else { return try strings(value, path) }
        var out: [String] = []
        for (key, item) in table.entries {
            guard case .string(let text) = item else {
                throw ConfigError(message: "\(path).\(TOMLWriter.key(key)) must be a string in quotes, not \(item.typeName)")
            }
            out.append("\(key)=\(text)")
        }
        return out
    }

    /// The inline table for "Key=Value" entries.
    static func mapValue(_ entries: [String]) -> TOMLValue {
        var table = TOMLTable()
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { table[parts[0]] = .string(parts[1]) }
        }
        return .table(table)
    }
}

extension RingsideConfig.Key {
    /// The path as components (`["agent", "name"]`), so a quoted key holding a dot never matches by accident.
    var components: [String] { section.split(separator: ".").map(String.init) + [name] }

    /// The current value as TOML.
    func tomlValue(_ config: RingsideConfig) -> TOMLValue {
        if let toml { return toml(config) }
        let text = show(config)
        switch kind {
        case .string: return .string(text)
        case .integer: return Int(text).map(TOMLValue.integer) ?? .string(text)
        case .list: return .array(text.split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) })
        }
    }
}
