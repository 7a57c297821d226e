import Foundation
import GRDB
import RingsideTestSupport
import Testing
@testable import RingsideStore

/// Issue 16: the sync formats `lastModified` itself instead of through GRDB's DateFormatter; the stored text must be
/// exactly GRDB's, so rows read, sort and compare as before.
@Suite struct StoredDateTextTests {
    static func grdb(_ date: Date) -> String? { String.fromDatabaseValue(date.databaseValue) }

    @Test func theTextIsGRDBsForEdgeDates() {
        let seconds: [Double] = [0, -0.001, 0.0005, 0.9999, -1, 951_782_400, 951_868_799.999, 1_709_164_800.123, 4_102_444_799.999,
                                 -2_208_988_800, -2_208_988_800.5, 253_402_300_799.999, 2_147_483_647.5, 1_780_000_000.1,
                                 -62_135_596_800, -12_219_292_800, 253_402_300_800, 1e13]
        for s in seconds {
            let date = Date(timeIntervalSince1970: s)
            #expect(StoredDateText.string(date) == Self.grdb(date), "\(s)")
        }
    }

    @Test func theTextIsGRDBsForRandomDates() {
        var generator = SeededRNG(state: 16)
        for _ in 0..<20_000 {
            // 1900–2100, with sub-millisecond fractions; and whole milliseconds as Salesforce sends them.
            let s = Double.random(in: -2_208_988_800...4_102_444_800, using: &generator)
            for date in [Date(timeIntervalSince1970: s), Date(timeIntervalSince1970: (s * 1000).rounded() / 1000)] {
                #expect(StoredDateText.string(date) == Self.grdb(date), "\(date.timeIntervalSince1970)")
            }
        }
    }
}
