import Foundation
import RingsideCore
import Testing

@Suite struct ISO8601Tests {
    /// The shared formatter writes and reads what a fresh formatter does; prints the cost of both ways (not asserted).
    @Test func sharedFormatterMatchesAFreshOneAndRoundTrips() {
        let dates = (0..<20_000).map { Date(timeIntervalSince1970: 1_780_000_000 + Double($0) * 3_607) }
        let clock = ContinuousClock()
        var fresh: [String] = []
        let freshTime = clock.measure { fresh = dates.map { ISO8601DateFormatter().string(from: $0) } }
        var shared: [String] = []
        let sharedTime = clock.measure { shared = dates.map(ISO8601.string) }
        print("[iso8601] 20,000 dates: a formatter per row \(freshTime), one shared formatter \(sharedTime)")
        #expect(shared == fresh)
        #expect(shared.map { ISO8601.date($0) } == dates)
        #expect(ISO8601.date("2026-11-30T09:00:00Z") == Date(timeIntervalSince1970: 1_796_029_200))
        #expect(ISO8601.date("30/11/2026") == nil)
    }
}
