import Foundation
@testable import RingsideApp
import RingsideCore
import RingsidePresence
import RingsideTestSupport
import Testing

/// Python's `tomllib` (3.11+) as the oracle: every document of the corpus, and a few thousand seeded mutations of
/// it, must be accepted or rejected by both parsers alike, with the same values.
enum TOMLOracle {
    static let script = #"""
        import json, math, struct, sys, tomllib, datetime
        def time_text(v):
            return f"{v.hour:02}:{v.minute:02}:{v.second:02}.{v.microsecond:06}"
        def tag(v):
            if isinstance(v, bool): return ["bool", v]
            if isinstance(v, int):
                if not -2**63 <= v < 2**63: raise OverflowError("beyond 64 bits")
                return ["int", str(v)]
            if isinstance(v, float):
                return ["float", "nan" if math.isnan(v) else format(struct.unpack("<Q", struct.pack("<d", v))[0], "x")]
            if isinstance(v, str): return ["str", v]
            if isinstance(v, datetime.datetime):
                s = f"{v.year:04}-{v.month:02}-{v.day:02}T" + time_text(v)
                off = v.utcoffset()
                if off is not None: s += "%+d" % int(off.total_seconds() // 60)
                return ["datetime", s]
            if isinstance(v, datetime.date): return ["datetime", f"{v.year:04}-{v.month:02}-{v.day:02}"]
            if isinstance(v, datetime.time): return ["datetime", time_text(v)]
            if isinstance(v, list): return ["array", [tag(x) for x in v]]
            if isinstance(v, dict): return ["table", {k: tag(x) for k, x in v.items()}]
            raise TypeError(type(v))
        out = []
        for doc in json.load(open(sys.argv[1], encoding="utf-8")):
            try:
                out.append({"ok": tag(tomllib.loads(doc))})
            except tomllib.TOMLDecodeError as e:
                out.append({"error": str(e)})
            except (RecursionError, OverflowError) as e:
                out.append({"skip": str(e)})
        json.dump(out, sys.stdout, sort_keys=True)
        """#

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    }

    /// The oracle's answer for each document: the tagged value, an error, or a skip (recursion/big integers).
    static func answers(_ documents: [String]) async throws -> [[String: Any]] {
        let dir = NSTemporaryDirectory() + "toml-oracle-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try JSONSerialization.data(withJSONObject: documents).write(to: URL(fileURLWithPath: dir + "/docs.json"))
        try script.write(toFile: dir + "/oracle.py", atomically: true, encoding: .utf8)
        let result = try await ProcessRunner.run("/usr/bin/python3", [dir + "/oracle.py", dir + "/docs.json"], timeout: 300)
        guard result.status == 0, let answers = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw OracleFailure(description: "python3 tomllib oracle failed (\(result.status)): \(result.stderr)")
        }
        return answers
    }

    struct OracleFailure: Error, CustomStringConvertible { var description: String }

    /// Our value in the oracle's tagged form, as canonical JSON text.
    static func tagged(_ value: TOMLValue) -> Any {
        switch value {
        case .bool(let b): return ["bool", b]
        case .integer(let n): return ["int", String(n)]
        case .float(let d): return ["float", d.isNaN ? "nan" : String(d.bitPattern, radix: 16)]
        case .string(let s): return ["str", s]
        case .dateTime(let dt):
            var text = ""
            if let date = dt.date { text = String(format: "%04d-%02d-%02d", date.year, date.month, date.day) }
            if let time = dt.time {
                if !text.isEmpty { text += "T" }
                text += String(format: "%02d:%02d:%02d.%06d", time.hour, time.minute, time.second, time.nanosecond / 1000)
            }
            if let offset = dt.offsetMinutes { text += offset < 0 ? "-\(-offset)" : "+\(offset)" }
            return ["datetime", text]
        case .array(let items): return ["array", items.map(tagged)]
        case .table(let table): return ["table", Dictionary(uniqueKeysWithValues: table.entries.map { ($0.key, tagged($0.value)) })]
        }
    }

    static func canonical(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    /// Compares our parser with the oracle on `documents`; returns a description of each disagreement.
    static func disagreements(_ documents: [String]) async throws -> (checked: Int, problems: [String]) {
        let answers = try await answers(documents)
        var problems: [String] = []
        var checked = 0
        for (document, answer) in zip(documents, answers) where answer["skip"] == nil {
            checked += 1
            let ours: Result<TOMLDocument, TOMLError> = Result { () throws(TOMLError) in try TOMLParser.parse(document, file: "t.toml") }
            switch (ours, answer["ok"]) {
            case (.success(let parsed), let expected?):
                if canonical(tagged(.table(parsed.root))) != canonical(expected) {
                    problems.append("values differ for \(document.debugDescription): ours \(canonical(tagged(.table(parsed.root)))) tomllib \(canonical(expected))")
                }
            case (.success, nil):
                problems.append("we accept what tomllib rejects (\(answer["error"] ?? "")): \(document.debugDescription)")
            case (.failure(let error), _?):
                problems.append("we reject what tomllib accepts (\(error.message)): \(document.debugDescription)")
            case (.failure, nil):
                break
            }
        }
        return (checked, problems)
    }
}

/// A corpus covering the TOML 1.0 spec: strings of every kind, numbers, dates, tables, arrays of tables,
/// inline tables, dotted keys, and the mistakes people make.
let tomlCorpus: [String] = [
    // Strings
    #"a = "basic \" \\ \b \t \n \f \r \u00E9 \U0001F600""#,
    "a = 'literal \\ no escapes'",
    "dispositions = [\"Customer's fault\", 'say \"hi\"']\nnext = 1",
    "a = \"\"\"\nline one\nline two\"\"\"",
    "a = \"\"\"\\\n   trimmed \\\n   words\"\"\"",
    "a = '''\nraw \\n text\n'''",
    "a = \"\"\"two quotes at the end\"\"\"\"\"",
    "a = '''one apostrophe'''''",
    "a = \"\"\"\"\"\"\"",
    "a = \"tab\there\"",
    "a = \"bad \\x escape\"",
    "a = \"unterminated",
    "a = 'unterminated",
    "a = \"\"\"never closed",
    "a = \"\\uD800\"",
    "a = \"\\u12\"",
    "a = \"bell\u{07}\"",
    "a = \"del\u{7F}\"",
    "a = 'line\nbreak'",
    // Numbers
    "a = 0x1F\nb = 0o17\nc = 0b1010\nd = 0xdead_beef",
    "a = +99\nb = -17\nc = 0\nd = +0\ne = -0\nf = 1_000_000",
    "a = 1.5\nb = -0.01\nc = 5e+22\nd = 1e06\ne = -2E-2\nf = 6.626e-34\ng = 224_617.445_991",
    "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan",
    "a = 01", "a = 1__0", "a = _1", "a = 1_", "a = 0x", "a = +0x1F", "a = 0X1F", "a = 1.", "a = .5", "a = 1e", "a = 1.e5",
    "a = 9223372036854775807\nb = -9223372036854775808",
    "a = 0b2", "a = 0o8", "a = 1.0e_5", "a = infinity", "a = NaN", "a = 3.14.15",
    // Booleans and other bare words
    "a = true\nb = false", "a = True", "a = yes", "a = truex", "a = bare",
    // Dates and times
    "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T00:32:00.999999+05:30",
    "a = 1979-05-27 07:32:00z\nb = 1979-05-27t07:32:00",
    "a = 1979-05-27T07:32:00\nb = 1979-05-27T00:32:00.999999\nc = 1979-05-27\nd = 07:32:00\ne = 00:32:00.999999",
    "a = 2024-02-29", "a = 2023-02-29", "a = 1979-13-01", "a = 1979-05-32", "a = 1979-05-27T25:00:00",
    "a = 1979-05-27T07:32", "a = 07:32", "a = 1979-05-27T07:32:00+7:00", "a = 0000-01-01",
    "a = 1979-05-27T07:32:00.1234567891Z",
    // Keys
    "bare_key-1 = 1\n\"quoted key\" = 2\n'literal.key' = 3\n\"\" = 4\n1234 = 5",
    "physical.color = \"orange\"\nphysical.shape = \"round\"\nsite.\"google.com\" = true",
    "a . b . c = 1",
    "a = 1\na = 2", "a.b = 1\na.b = 2", "a = 1\na.b = 2", "= 1", "a b = 1", "a = ", "a", "[a] = 1",
    "fruit.apple.color = \"red\"\nfruit.apple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
    "[fruit]\napple.color = \"red\"\n[fruit.apple]\nx = 1",
    "[a.b]\nc = 1\n[a]\nd = 2",
    "[a]\nb.c = 1\n[a.b]\nd = 2",
    // Tables
    "[table-1]\nkey1 = \"some string\"\n[table-2]\nkey1 = 123",
    "[dog.\"tater.man\"]\ntype.name = \"pug\"",
    "[ j . \"ʞ\" . 'l' ]\nx = 1",
    "[a]\n[a]", "[a]\nb = 1\n[a.b]", "[]", "[a", "[a.]", "[a]]", "[a] x = 1", "[a] # ok\n[b]",
    "[x.y.z.w]\n[x]\nk = 1",
    // Inline tables
    "name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = { x = 1, y = 2 }\nanimal = { type.name = \"pug\" }",
    "field_map = { Subject = \"Subject__c\", CallObject = \"Call_Id__c\" }",
    "a = {}", "a = { b = 1, }", "a = { b = 1\n}", "a = { b = 1, b = 2 }", "a = { b = 1 }\na.c = 2",
    "a = { b = 1 }\n[a]", "a = { b = { c = 1 } }\n[a.b]", "a = {b.c = 1, b.d = 2}", "a = {b = {c = 1}, b.d = 2}",
    // Arrays and arrays of tables
    "a = [ 1, 2, 3 ]\nb = [ \"red\", \"yellow\", ]\nc = [ [ 1, 2 ], [\"a\", 'b'] ]\nd = [ 0.1, \"mixed\", { x = 1 } ]",
    "a = [\n  1, # one\n  2,\n]\n",
    "a = [,]", "a = [1,,2]", "a = [1 2]", "a = [", "a = [1", "a = []",
    "[[products]]\nname = \"Hammer\"\n[[products]]\n[[products]]\nname = \"Nail\"",
    "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits]]\nname = \"banana\"",
    "fruits = []\n[[fruits]]", "[[a]]\n[a]", "[a]\n[[a]]", "[[a]]\nb = 1\n[a.c]\nd = 1",
    "a = [{b = 1}]\n[a.c]",
    // Comments, whitespace, line ends
    "# only a comment\n\n   \t\n",
    "a = 1 # trailing\n# full line\nb = \"# not a comment\"",
    "[agent]\r\nname = \"CRLF\"\r\nreasons = [\r\n  \"Lunch\",\r\n]\r\n",
    "a = \"\"\"\r\ncrlf\r\ninside\"\"\"",
    "a = 1\rb = 2",
    "a = 1 # bell \u{07}",
    "a = 1 # del \u{7F}",
    "\u{FEFF}a = 1",
    "a = 1\n\u{00A0}b = 2",
    "名前 = 1",
    "\"名前\" = \"値\"",
    // Depth
    "a = " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50),
    "a = " + String(repeating: "{b=", count: 40) + "1" + String(repeating: "}", count: 40),
]

@Suite("TOML parser against tomllib", .enabled(if: RequiredComponent.runs(TOMLOracle.available), "needs /usr/bin/python3 (3.11+, tomllib)"))
struct TOMLOracleTests {
    @Test func theCorpusAgreesWithTomllib() async throws {
        let (checked, problems) = try await TOMLOracle.disagreements(tomlCorpus)
        #expect(problems.isEmpty, "\(problems.count) of \(checked):\n\(problems.joined(separator: "\n"))")
        #expect(checked >= tomlCorpus.count - 2)
    }

    /// 4,000 mutations of the corpus (characters that matter to TOML inserted, deleted, duplicated or swapped).
    @Test func mutatedDocumentsAgreeWithTomllib() async throws {
        var random = SplitMix64(seed: 19)
        let alphabet = Array("[]{}=,.\"'#\\\n\r\t _-+:0123456789aeflnrtuxzTZ{}\u{7F}é")
        var documents: [String] = []
        for _ in 0..<4000 {
            var text = Array(tomlCorpus.randomElement(using: &random)!)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let index = text.isEmpty ? 0 : Int.random(in: 0..<text.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: text.insert(alphabet.randomElement(using: &random)!, at: index)
                case 1: if !text.isEmpty { text.remove(at: index) }
                case 2: if !text.isEmpty { text.insert(text[index], at: index) }
                default: if index + 1 < text.count { text.swapAt(index, index + 1) }
                }
            }
            documents.append(String(text))
        }
        let (checked, problems) = try await TOMLOracle.disagreements(documents)
        #expect(problems.isEmpty, "\(problems.count) of \(checked):\n\(problems.prefix(20).joined(separator: "\n"))")
        #expect(checked > 3900)
    }
}
