import Foundation

/// A TOML 1.0 value, as read by `TOMLParser`.
public enum TOMLValue: Hashable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case dateTime(TOMLDateTime)
    case array([TOMLValue])
    case table(TOMLTable)

    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "true/false"
        case .dateTime: "a date/time"
        case .array: "a list"
        case .table: "a table"
        }
    }
}

/// A TOML table: keys in the order they were written.
public struct TOMLTable: Hashable, Sendable {
    public private(set) var keys: [String] = []
    public private(set) var values: [String: TOMLValue] = [:]

    public init() {}

    public init(_ pairs: [(String, TOMLValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> TOMLValue? {
        get { values[key] }
        set {
            if newValue != nil, values[key] == nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    /// `(key, value)` pairs in document order.
    public var entries: [(key: String, value: TOMLValue)] { keys.map { ($0, values[$0]!) } }
}

/// A TOML offset date-time, local date-time, local date or local time.
public struct TOMLDateTime: Hashable, Sendable, CustomStringConvertible {
    public struct Date: Hashable, Sendable { public var year, month, day: Int }
    public struct Time: Hashable, Sendable { public var hour, minute, second, nanosecond: Int }

    public var date: Date?
    public var time: Time?
    /// Minutes east of UTC; nil for local (offset-less) values.
    public var offsetMinutes: Int?

    /// TOML text for the value (`1979-05-27T07:32:00.5-07:00`).
    public var description: String {
        var parts: [String] = []
        if let date { parts.append(String(format: "%04d-%02d-%02d", date.year, date.month, date.day)) }
        if let time {
            var text = String(format: "%02d:%02d:%02d", time.hour, time.minute, time.second)
            if time.nanosecond > 0 {
                var fraction = String(format: "%09d", time.nanosecond)
                while fraction.hasSuffix("0") { fraction.removeLast() }
                text += "." + fraction
            }
            parts.append(text)
        }
        var text = parts.joined(separator: "T")
        if let offsetMinutes {
            if offsetMinutes == 0 { text += "Z" } else {
                let sign = offsetMinutes < 0 ? "-" : "+"
                text += String(format: "%@%02d:%02d", sign, abs(offsetMinutes) / 60, abs(offsetMinutes) % 60)
            }
        }
        return text
    }
}

/// Why a TOML document could not be read: the file, the line, and what is wrong.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// A parsed document: the root table, and the line where each key path was first written (for error messages).
public struct TOMLDocument: Sendable {
    public var root: TOMLTable
    public var lines: [[String]: Int]

    /// The line of `path`, or of its nearest written ancestor.
    public func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path] { return line }
            path.removeLast()
        }
        return nil
    }
}
