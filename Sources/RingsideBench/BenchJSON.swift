import Foundation
import RingsideApp
import RingsideSalesforce

/// Decoding a sync page (2,000 records in the REST query shape): the typed rows the sync reads now (only its columns),
/// the single-pass `JSONValue` parser it used before them, and the `Decodable` path before that (a `try?` cascade).
enum BenchJSON {
    static func page(records: Int) -> Data {
        var items: [String] = []
        for i in 0..<records {
            items.append(#"{"attributes":{"type":"Contact","url":"/services/data/v60.0/sobjects/Contact/003Bn\#(String(format: "%010d", i))AAA"},"#
                + #""Id":"003Bn\#(String(format: "%010d", i))AAA","Name":"Bench Person \#(i)","AccountId":null,"Account":{"attributes":{"type":"Account"},"Name":"Company \#(i / 3)"},"#
                + #""Phone":"07700 9\#(String(format: "%05d", i))","MobilePhone":"+44 7700 9\#(String(format: "%05d", i))","HomePhone":null,"IsDeleted":false,"#
                + #""LastModifiedDate":"2026-11-30T09:00:00.000+0000","NumberOfEmployees":\#(i % 500),"AnnualRevenue":\#(Double(i) * 1.5)}"#)
        }
        return Data((#"{"totalSize":\#(records),"done":false,"nextRecordsUrl":"/services/data/v60.0/query/01g-2000","records":["# + items.joined(separator: ",") + "]}").utf8)
    }

    static func run(records: Int = 2_000, rounds: Int) -> BenchResults.JSONDecode {
        let data = page(records: records)
        func time(_ parse: (Data) -> Int?) -> Double {
            var best = Double.infinity
            for _ in 0..<rounds {
                let t = benchNow()
                let count = parse(data)
                best = min(best, Double(benchNow() - t) / 1e6)
                precondition(count == records)
            }
            return best
        }
        let columns = QueryColumns(["Id", "Name", "AccountId", "Account.Name", "Phone", "MobilePhone", "HomePhone", "LastModifiedDate"])
        let typed = time { QueryRows(page: $0, columns: columns)?.count }
        let singlePass = time { JSONValue.parseSinglePass($0)?["records"]?.arrayValue?.count }
        let decoder = time { JSONValue.parseWithDecoder($0)?["records"]?.arrayValue?.count }
        return BenchResults.JSONDecode(records: records, bytes: data.count, typedRowsMillis: typed, singlePassMillis: singlePass,
                                       decoderMillis: decoder)
    }
}
