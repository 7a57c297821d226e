import Foundation
@testable import RingsideSalesforce
import RingsideTestSupport
import Testing

/// Pages decoded straight into columns (issue 16) give exactly what reading the same fields from a `JSONValue` tree
/// gives, and refuse what the tree parser refuses.
@Suite struct QueryRowsTests {
    typealias RNG = SeededRNG
    static let columns = QueryColumns(["Id", "Name", "Account.Name", "Account.Owner.Name", "Owner.Name", "IsConverted", "Amount", "Phone"])

    /// What a column holds when read from the parsed tree: strings as they are, booleans and numbers as text.
    static func expected(_ record: JSONValue, path: String) -> String? {
        var value: JSONValue? = record
        for name in path.split(separator: ".") { value = value?[String(name)] }
        switch value {
        case .string(let text)?: return text
        case .bool(let flag)?: return flag ? "true" : "false"
        case .int, .double, .null, .array, .object, nil: return nil  // numbers are compared as text separately
        }
    }

    static func randomScalar(_ rng: inout RNG) -> JSONValue {
        let pieces = ["a", "Zoë", "山田", "\"", "\\", "\n", "/", "\u{01}", "😀", " ", "\u{1b}[31m", "Name"]
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return JSONSinglePassTests.randomValue(&rng, depth: 3)
        default: return .string((0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
    }

    static func randomRecord(_ rng: inout RNG) -> JSONValue {
        var object: [String: JSONValue] = ["attributes": ["type": "Contact", "url": "/services/data/v62.0/sobjects/Contact/003"]]
        for name in ["Id", "Name", "IsConverted", "Phone", "Other", "Owner"] where Bool.random(using: &rng) {
            object[name] = randomScalar(&rng)
        }
        if Bool.random(using: &rng) { object["Owner"] = ["attributes": ["type": "User"], "Name": randomScalar(&rng)] }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: object["Account"] = .null
        case 1: object["Account"] = ["Name": randomScalar(&rng), "Owner": Bool.random(using: &rng) ? ["Name": randomScalar(&rng)] : .null,
                                     "Extra": JSONSinglePassTests.randomValue(&rng)]
        default: break
        }
        return .object(object)
    }

    static func page(_ records: [JSONValue]) -> JSONValue {
        ["totalSize": .int(records.count), "done": true, "records": .array(records)]
    }

    @Test func randomPagesGiveTheTreesValues() throws {
        var rng = RNG(state: 1616)
        for _ in 0..<300 {
            let records = (0..<Int.random(in: 0...6, using: &rng)).map { _ in Self.randomRecord(&rng) }
            for data in [Self.page(records).serialized(), try JSONEncoder().encode(Self.page(records))] {
                let page = try #require(QueryPage.parse(data, columns: Self.columns), "\(String(decoding: data, as: UTF8.self))")
                let values = try #require(page.records)
                #expect(page.totalSize == records.count)
                #expect(page.done == true)
                #expect(values.count == records.count * Self.columns.paths.count)
                for (row, record) in records.enumerated() {
                    for (column, path) in Self.columns.paths.enumerated() where path != "Amount" {
                        let got = values[row * Self.columns.paths.count + column]
                        var tree: JSONValue? = record
                        for name in path.split(separator: ".") { tree = tree?[String(name)] }
                        if case .int? = tree { continue }
                        if case .double? = tree { continue }
                        #expect(got == Self.expected(record, path: path), "\(path) of \(record)")
                    }
                }
            }
        }
    }

    @Test func numbersEscapedKeysDuplicatesAndNonRecords() throws {
        let text = #"""
            {"totalSize": 3, "done": false, "nextRecordsUrl": "/services/data/v62.0/query/01g-2000",
             "records": [
               {"Id": "001", "Amount": -12.5e2, "N\u0061me": "Esc\u00e9 \"q\"", "Name": "last wins", "Owner": {"Name": null}},
               null,
               {"Id": 7, "Account": {"Owner": {"Name": "Deep"}, "Name": ["not", "scalar"]}, "IsConverted": false}
             ]}
            """#
        let page = try #require(QueryPage.parse(Data(text.utf8), columns: Self.columns))
        let rows = QueryRows(columns: Self.columns, totalSize: page.totalSize ?? 0, values: page.records ?? [], pages: 1)
        #expect(page.done == false)
        #expect(page.nextRecordsUrl == "/services/data/v62.0/query/01g-2000")
        #expect(rows.count == 3)
        let c = { (path: String) in Self.columns.index(of: path)! }
        #expect(rows[0, c("Id")] == "001")
        #expect(rows[0, c("Amount")] == "-12.5e2")
        #expect(rows[0, c("Name")] == "last wins")
        #expect(rows[0, c("Owner.Name")] == nil)
        #expect((0..<Self.columns.paths.count).allSatisfy { rows[1, $0] == nil })
        #expect(rows[2, c("Id")] == "7")
        #expect(rows[2, c("Account.Owner.Name")] == "Deep")
        #expect(rows[2, c("Account.Name")] == nil)
        #expect(rows[2, c("IsConverted")] == "false")
        // An escaped key is decoded before it is matched.
        let escaped = try #require(QueryPage.parse(Data(#"{"records": [{"N\u0061me": "Esc\u00e9 \"q\""}]}"#.utf8), columns: Self.columns))
        #expect(escaped.records?[Self.columns.index(of: "Name")!] == "Escé \"q\"")
    }

    @Test func whatTheTreeParserRefusesIsRefused() {
        var bad = ["", "{", "[]", "null", #"{"records": [1,]}"#, #"{"records": [{"Id":}]}"#, #"{"records": [{"Id": 01}]}"#,
                   #"{"records": [{"Other": "\x"}]}"#, #"{"records": [{"Other": "\u12"}]}"#, #"{"records": [{"Id": "\ud800"}]}"#,
                   #"{"records": [{"Other": tru}]}"#, #"{"records": []} 2"#, "{\"records\": [{\"Other\": \"a\u{01}\"}]}",
                   #"{'records': []}"#, #"{"records": [{"Account": {"Name": "x"}]}"#]
        bad.append("{\"records\": [{\"Other\": " + String(repeating: "[", count: 10_000) + "}]}")
        for text in bad {
            #expect(QueryPage.parse(Data(text.utf8), columns: Self.columns) == nil, "\(text)")
        }
        // No records array: parsed, and the client reports it as malformed.
        #expect(QueryPage.parse(Data(#"{"totalSize": 0}"#.utf8), columns: Self.columns)?.records == nil)
    }

    @Test func columnsListedTwiceOrAsBothFieldAndRelationship() throws {
        let columns = QueryColumns(["Account", "Account.Name", "Id", "Id", "Bad..Path"])
        let page = try #require(QueryPage.parse(Data(#"{"records": [{"Id": "x", "Account": "flat"}]}"#.utf8), columns: columns))
        #expect(page.records == ["flat", nil, "x", nil, nil])
    }
}
