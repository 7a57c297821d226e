import Foundation

/// A JSON value as stored in emulator records and exchanged over HTTP.
///
/// Records are free-form objects whose leaves are strings, numbers, booleans or null.
/// Objects serialise with `attributes` first and the remaining keys sorted, so responses
/// are deterministic.
public enum EmulatorJSON: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([EmulatorJSON])
    case object([String: EmulatorJSON])

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var objectValue: [String: EmulatorJSON]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [EmulatorJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public subscript(key: String) -> EmulatorJSON? {
        objectValue?[key]
    }
}

extension EmulatorJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: EmulatorJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, EmulatorJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension EmulatorJSON: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? container.decode(Double.self) {
            self = .number(n)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([EmulatorJSON].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: EmulatorJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

// MARK: - Parsing and serialising

extension EmulatorJSON {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses a JSON document.
    static func parse(_ data: Data) throws -> EmulatorJSON {
        do {
            return try JSONDecoder().decode(EmulatorJSON.self, from: data)
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let ctx):
                throw ParseError(description: "Unexpected character in JSON: \(ctx.debugDescription)")
            case .keyNotFound, .typeMismatch, .valueNotFound:
                throw ParseError(description: "Invalid JSON")
            @unknown default:
                throw ParseError(description: "Invalid JSON")
            }
        }
    }

    /// Compact serialisation with `attributes` first and other keys sorted.
    func serialized() -> Data {
        var out = String()
        out.reserveCapacity(256)
        write(to: &out)
        return Data(out.utf8)
    }

    var jsonString: String {
        var out = String()
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += Self.format(number: n)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.write(to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            var first = true
            if let attrs = o["attributes"] {
                Self.writeString("attributes", to: &out)
                out += ":"
                attrs.write(to: &out)
                first = false
            }
            for key in o.keys.sorted() where key != "attributes" {
                if !first { out += "," }
                first = false
                Self.writeString(key, to: &out)
                out += ":"
                o[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    static func format(number n: Double) -> String {
        if n.isNaN || n.isInfinite { return "null" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// A record: field name → value.
public typealias EmulatorRecord = [String: EmulatorJSON]
