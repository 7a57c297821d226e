import Foundation
@testable import RingsideSalesforce
import RingsideTestSupport
import Testing

/// The single-pass JSON parser gives the same values as the `Decodable` path and refuses what it refuses.
@Suite struct JSONSinglePassTests {
    typealias RNG = SeededRNG

    static func randomValue(_ rng: inout RNG, depth: Int = 0) -> JSONValue {
        let pieces = ["a", "Zoë", "山田", "\"", "\\", "\n", "\t", "/", "\u{01}", "😀", " ", "\u{2028}", "x y"]
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng))
        case 3: return .double(Double(Int.random(in: -100_000...100_000, using: &rng) * 2 + 1) / 64)  // never integral
        case 4: return .string((0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                object[pieces.randomElement(using: &rng)! + String(Int.random(in: 0...9, using: &rng))] = randomValue(&rng, depth: depth + 1)
            }
            return .object(object)
        }
    }

    @Test func randomDocumentsParseLikeTheDecoder() throws {
        var rng = RNG(state: 16)
        for _ in 0..<500 {
            let value = Self.randomValue(&rng)
            // Both our serialiser and Foundation's encoder (escapes differ: \/, \u00xx) as input.
            for data in [value.serialized(), try JSONEncoder().encode(value)] {
                let fast = JSONValue.parseSinglePass(data)
                #expect(fast == JSONValue.parseWithDecoder(data), "\(String(decoding: data, as: UTF8.self))")
                #expect(fast == value)
            }
        }
    }

    @Test func edgeCases() {
        func p(_ text: String) -> JSONValue? { JSONValue.parseSinglePass(Data(text.utf8)) }
        #expect(p(#"{"n": 42, "d": 42.5, "e": 1e3, "neg": -7, "big": 12345678901234567890}"#)
                == .object(["n": .int(42), "d": .double(42.5), "e": .double(1000), "neg": .int(-7), "big": .double(12345678901234567890)]))
        #expect(p(#"["\u00e9\ud83d\ude00\/\b\f"]"#) == .array([.string("é😀/\u{08}\u{0C}")]))
        #expect(p(" true ") == .bool(true))
        for bad in ["", "{", "[1,]", "{\"a\":}", "01", "1.", "-", "tru", "\"a", "\"\\x\"", "\"\\ud800\"", "[1] 2", "\"a\u{01}\"", "{'a':1}", "nul"] {
            #expect(p(bad) == nil, "\(bad)")
        }
        #expect(p(String(repeating: "[", count: 10_000)) == nil)
    }

    @Test func nestingUpToTheLimitParsesOnATasksStack() async {
        // Objects and arrays alternate down to just under the depth limit, parsed where the client parses: in a task.
        func nested(_ depth: Int) -> String {
            (0..<depth).map { $0 % 2 == 0 ? #"{"k":"# : "[" }.joined() + "1" + (0..<depth).reversed().map { $0 % 2 == 0 ? "}" : "]" }.joined()
        }
        let depth = JSONBytesParser.maxDepth - 1
        let text = nested(depth)
        let data = Data(text.utf8)
        // In a page the record's own value sits two levels down (page object, records array).
        let pageData = Data(#"{"records":[{"k":\#(nested(depth - 3))}]}"#.utf8)
        let (value, page) = await Task.detached { (JSONValue.parse(data), QueryRows(page: pageData, columns: QueryColumns(["k"]))) }.value
        var level = value
        for i in 0..<depth { level = i % 2 == 0 ? level?["k"] : level?.arrayValue?.first }
        #expect(level == .int(1))
        #expect(page?.count == 1)
        #expect(JSONValue.parse(Data(("[" + text + "]").utf8)) == nil, "one level more is refused")
    }
}
