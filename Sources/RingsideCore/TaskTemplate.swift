/// A call-record text template (`[record] subject` / `description`): literal text with placeholders such as
/// `{direction} call {number} ({name})`. Parsed once from the config, so a mistake is a config error naming
/// the key; rendering cannot fail. `{{` and `}}` stand for literal braces.
public struct TaskTemplate: Hashable, Sendable {
    /// What a placeholder stands for.
    public enum Placeholder: String, CaseIterable, Hashable, Sendable {
        /// `Inbound` / `Outbound`.
        case direction
        /// The start time, `16:11:36`, in the agent's time zone.
        case time
        /// The agent's time zone, `Europe/London`.
        case tz
        /// The caller's number as dialled at home (`07814256404`).
        case number
        /// The record's or single match's name (empty when none).
        case name
        /// The wrap-up disposition (empty when none).
        case disposition
        /// The agent's notes.
        case notes
        /// The call's id (`CallObject`).
        case callId = "call_id"
        /// Talk time in seconds.
        case duration
    }

    enum Part: Hashable, Sendable {
        case text(String)
        case value(Placeholder)
    }

    let parts: [Part]
    /// The template as written.
    public let source: String

    /// Why a template can't be used.
    public struct Error: Swift.Error, Hashable, Sendable, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String {
            "\(key): \(reason); placeholders are " + Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: " ")
                + " (write {{ and }} for literal braces)"
        }
    }

    /// Parses `text`; `key` (e.g. `record.subject`) names the setting in errors.
    public init(_ text: String, key: String) throws(TaskTemplate.Error) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if c == "{" {
                if next < text.endIndex, text[next] == "{" {
                    literal.append("{")
                    index = text.index(after: next)
                    continue
                }
                guard let close = text[next...].firstIndex(of: "}") else {
                    throw Error(key: key, reason: "\"{\" at character \(text.distance(from: text.startIndex, to: index) + 1) is never closed")
                }
                let name = String(text[next..<close])
                guard let placeholder = Placeholder(rawValue: name) else {
                    throw Error(key: key, reason: "unknown placeholder {\(name)}")
                }
                if !literal.isEmpty { parts.append(.text(literal)); literal = "" }
                parts.append(.value(placeholder))
                index = text.index(after: close)
            } else if c == "}" {
                guard next < text.endIndex, text[next] == "}" else {
                    throw Error(key: key, reason: "\"}\" at character \(text.distance(from: text.startIndex, to: index) + 1) has no \"{\"")
                }
                literal.append("}")
                index = text.index(after: next)
            } else {
                literal.append(c)
                index = next
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
        source = text
    }

    /// The text with every placeholder replaced (missing values are empty).
    public func render(_ values: [Placeholder: String]) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let s): out += s
            case .value(let p): out += values[p] ?? ""
            }
        }
        return out
    }
}
