import Foundation
import RingsideApp
import RingsideCore

/// Benchmark sizes.
public struct BenchSizes: Sendable {
    /// Numbers in the lookup index (two per record).
    public var numbers: Int
    public var inMemorySamples: Int
    public var sqliteSamples: Int
    public var likeSamples: Int
    public var liveSamples: Int
    /// Records in the emulator org used for live round trips.
    public var liveOrgRecords: Int
    public var normalisationNumbers: Int
    public var syncRecords: Int
    public var name: String
    /// Directory sizes (numbers) of the console figures, samples per figure, and samples of the slow baseline.
    public var consoleNumbers: [Int] = [10_000, 100_000, 1_000_000]
    public var consoleSamples = 2_000
    public var consoleBaselineSamples = 40
    /// Wallboard team size, state changes per second, frame samples (now, baseline) and seconds of updates measured.
    public var wallboardAgents = 5_000
    public var wallboardUpdatesPerSecond = 100
    public var wallboardFrameSamples = 500
    public var wallboardBaselineFrameSamples = 50
    public var wallboardSeconds = 10
    /// CSV rows imported by `ringside directory import`, and cold starts of the console per directory size.
    public var importRows = 1_000_000
    public var consoleStarts = 5

    public static let full = BenchSizes(numbers: 1_000_000, inMemorySamples: 200_000, sqliteSamples: 20_000, likeSamples: 20,
                                        liveSamples: 500, liveOrgRecords: 1_000, normalisationNumbers: 100_000, syncRecords: 100_000,
                                        name: "full")
    public static let quick = BenchSizes(numbers: 20_000, inMemorySamples: 20_000, sqliteSamples: 500, likeSamples: 10,
                                         liveSamples: 30, liveOrgRecords: 200, normalisationNumbers: 10_000, syncRecords: 2_000,
                                         name: "quick", consoleNumbers: [2_000, 20_000], consoleSamples: 200, consoleBaselineSamples: 10,
                                         wallboardAgents: 500, wallboardUpdatesPerSecond: 20, wallboardFrameSamples: 50,
                                         wallboardBaselineFrameSamples: 10, wallboardSeconds: 1, importRows: 20_000, consoleStarts: 2)
}

/// Generates numbers and records for the benchmarks.
enum BenchData {
    /// The `i`-th distinct UK mobile number's national significant number (`7xxxxxxxxx`).
    static func ukMobile(_ i: Int) -> String {
        String(7_000_000_000 + (i &* 7_919) % 999_999_999)
    }

    /// A GB number written one of the ways people and CRMs write it.
    static func formatted(national nsn: String, style: Int) -> String {
        let a = nsn.prefix(4), b = nsn.dropFirst(4)
        switch style % 8 {
        case 0: return "0\(a) \(b)"
        case 1: return "+44 \(a) \(b)"
        case 2: return "0\(nsn)"
        case 3: return "+44\(nsn)"
        case 4: return "0044 \(a) \(b)"
        case 5: return "+44 (0)\(a) \(b)"
        case 6: return "(0\(a)) \(b.prefix(3))-\(b.dropFirst(3))"
        default: return "+44-\(a)-\(b.prefix(3))-\(b.dropFirst(3))"
        }
    }

    /// Mixed-format numbers from several countries (for normalisation throughput).
    static func mixedNumbers(_ count: Int, seed: UInt64 = 42) -> [String] {
        var random = SplitMix64(state: seed)
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let r = random.index(100)
            let d = { (n: Int) -> String in
                var s = ""
                for _ in 0..<n { s.append(Character(UnicodeScalar(UInt8(48 + random.index(10))))) }
                return s
            }
            switch r {
            case 0..<55:
                out.append(formatted(national: ukMobile(random.index(10_000_000)), style: i))
            case 55..<70:
                let london = "20" + "7946" + d(4)
                out.append(formatted(national: london, style: i + 3))
            case 70..<82:
                let area = String(201 + random.index(700)), exchange = String(201 + random.index(700)), line = d(4)
                switch i % 3 {
                case 0: out.append("+1 (\(area)) \(exchange)-\(line)")
                case 1: out.append("+1-\(area)-\(exchange)-\(line)")
                default: out.append("001 \(area) \(exchange) \(line)")
                }
            case 82..<90:
                out.append(i % 2 == 0 ? "+33 6 \(d(2)) \(d(2)) \(d(2)) \(d(2))" : "0033 6\(d(8))")
            case 90..<96:
                out.append(i % 2 == 0 ? "+49 30 \(d(7))" : "+49 (0)30 \(d(7))")
            default:
                out.append(i % 2 == 0 ? "+81 90-\(d(4))-\(d(4))" : "+81 3 \(d(4)) \(d(4))")
            }
        }
        return out
    }

    /// Directory records with two phones each (`count / 2` records for `count` numbers), for the lookup index.
    static func indexRecords(numbers count: Int, instanceURL: String) -> [CRMRecord] {
        let stamp = Date(timeIntervalSince1970: 1_780_000_000)
        return (0..<(count / 2)).map { i in
            let type: EntityType = i % 10 < 6 ? .contact : (i % 10 < 8 ? .account : .lead)
            let prefix = type == .contact ? "003" : (type == .account ? "001" : "00Q")
            let id = prefix + "Bn" + String(format: "%010d", i) + "AAA"
            let mobile = ukMobile(2 * i), office = ukMobile(2 * i + 1)
            let phones = [
                PhoneField(field: type == .lead ? "MobilePhone" : "Phone", raw: formatted(national: mobile, style: i), e164: "+44" + mobile),
                PhoneField(field: type == .account ? "PersonMobilePhone" : "OtherPhone", raw: formatted(national: office, style: i + 1),
                           e164: "+44" + office),
            ]
            return CRMRecord(type: type, id: id, name: "Bench Person \(i)", accountId: type == .contact ? "001Bn\(String(format: "%010d", i / 3))AAA" : nil,
                             accountName: type == .account ? nil : "Company \(i / 3)", phones: phones, owner: "Alex Agent",
                             lastModified: stamp.addingTimeInterval(Double(i)), url: "\(instanceURL)/lightning/r/\(type.rawValue)/\(id)/view")
        }
    }

    /// Emulator records (field → text) for a sync of `count` records: 50% Contacts, 20% Accounts, 30% Leads
    /// (a tenth of them converted), one to three phones each in mixed formats.
    static func orgRecords(_ count: Int, offset: Int = 0) -> [String: [[String: String]]] {
        var out: [String: [[String: String]]] = ["Contact": [], "Account": [], "Lead": []]
        for j in 0..<count {
            let i = j + offset
            let a = ukMobile(3 * i + 5_000_000), b = ukMobile(3 * i + 5_000_001), c = ukMobile(3 * i + 5_000_002)
            switch j % 10 {
            case 0..<5:
                var r = ["FirstName": "Org", "LastName": "Contact \(i)", "Phone": formatted(national: a, style: i)]
                if i % 2 == 0 { r["MobilePhone"] = formatted(national: b, style: i + 1) }
                if i % 5 == 0 { r["HomePhone"] = formatted(national: c, style: i + 2) }
                out["Contact"]!.append(r)
            case 5, 6:
                out["Account"]!.append(["Name": "Org Company \(i)", "Phone": formatted(national: a, style: i)])
            default:
                var r = ["FirstName": "Org", "LastName": "Lead \(i)", "Company": "Prospect \(i)", "Phone": formatted(national: a, style: i),
                         "MobilePhone": formatted(national: b, style: i + 3)]
                if j % 30 == 9 { r["IsConverted"] = "true" }
                out["Lead"]!.append(r)
            }
        }
        return out
    }
}
