import Foundation

/// Structural limits every presence and queue payload must pass before it is decoded, whatever its fields:
/// nesting depth, string length, container size and numbers (finite, within ±`maximumMagnitude`).
///
/// Runs on the raw bytes first (a nesting scan that needs no parser, so a 16 KiB `[[[[…` cannot exhaust the
/// stack), then on the parsed value. A payload that fails is malformed (counted by `TeamModel`), never a crash:
/// `"handleSeconds": 1e300` is refused here rather than trapping in an `Int` conversion later.
public enum PayloadGuard {
    /// Deepest nesting of objects and arrays accepted (the payloads nest 3 levels).
    public static let maximumDepth = 8
    /// Longest string accepted, in UTF-8 bytes.
    public static let maximumStringBytes = 1024
    /// Most members of one object or array.
    public static let maximumMembers = 64
    /// Largest absolute number accepted (about 31 years in seconds).
    public static let maximumMagnitude = 1e9

    /// Why a payload failed the guard.
    public enum Violation: Error, Hashable, Sendable, CustomStringConvertible {
        case tooDeep
        case notJSON(String)
        case stringTooLong(path: String, bytes: Int)
        case tooManyMembers(path: String, count: Int)
        case numberOutOfRange(path: String, value: String)

        public var description: String {
            switch self {
            case .tooDeep: "nested deeper than \(PayloadGuard.maximumDepth) levels"
            case .notJSON(let why): "not JSON: \(why)"
            case .stringTooLong(let path, let bytes): "string of \(bytes) bytes at \(path) (limit \(PayloadGuard.maximumStringBytes))"
            case .tooManyMembers(let path, let count): "\(count) members at \(path) (limit \(PayloadGuard.maximumMembers))"
            case .numberOutOfRange(let path, let value): "number \(value) at \(path) is out of range (±\(Int(PayloadGuard.maximumMagnitude)))"
            }
        }
    }

    /// Checks `data` against every limit.
    public static func check(_ data: Data) throws(Violation) {
        guard nestingDepth(data) <= maximumDepth else { throw .tooDeep }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .notJSON("\(error.localizedDescription)")
        }
        try walk(value, path: "$")
    }

    /// The deepest nesting of `{`/`[` outside strings (a byte scan; no parsing).
    public static func nestingDepth(_ data: Data) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    private static func walk(_ value: Any, path: String) throws(Violation) {
        if let object = value as? [String: Any] {
            guard object.count <= maximumMembers else { throw .tooManyMembers(path: path, count: object.count) }
            for (key, member) in object {
                guard key.utf8.count <= maximumStringBytes else { throw .stringTooLong(path: path, bytes: key.utf8.count) }
                try walk(member, path: "\(path).\(key.prefix(40))")
            }
        } else if let array = value as? [Any] {
            guard array.count <= maximumMembers else { throw .tooManyMembers(path: path, count: array.count) }
            for (i, member) in array.enumerated() { try walk(member, path: "\(path)[\(i)]") }
        } else if let string = value as? String {
            guard string.utf8.count <= maximumStringBytes else { throw .stringTooLong(path: path, bytes: string.utf8.count) }
        } else if let number = value as? NSNumber {
            let double = number.doubleValue
            guard double.isFinite, abs(double) <= maximumMagnitude else {
                throw .numberOutOfRange(path: path, value: "\(number)")
            }
        }
    }
}
