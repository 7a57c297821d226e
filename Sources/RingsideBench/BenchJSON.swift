import Foundation
import RingsideApp
import RingsideSalesforce

/// Decoding a sync page (2,000 records in the REST query shape): the single-pass parser the client uses now,
/// against the `Decodable` path it used before (a `try?` cascade of trial decodes per value).
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
        func time(_ parse: (Data) -> JSONValue?) -> Double {
            var best = Double.infinity
            for _ in 0..<rounds {
                let t = benchNow()
                let value = parse(data)
                best = min(best, Double(benchNow() - t) / 1e6)
                precondition(value?["records"]?.arrayValue?.count == records)
            }
            return best
        }
        let singlePass = time(JSONValue.parseSinglePass)
        let decoder = time(JSONValue.parseWithDecoder)
        return BenchResults.JSONDecode(records: records, bytes: data.count, singlePassMillis: singlePass, decoderMillis: decoder)
    }
}
