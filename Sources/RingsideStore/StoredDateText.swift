import Foundation
import GRDB
import RingsideCore

/// A date as GRDB stores it — `yyyy-MM-dd HH:mm:ss.SSS` in UTC, to the nearest millisecond (half up, as ICU rounds) — without GRDB's
/// `DateFormatter` (ICU: several microseconds a date; a sync writes one per record). The text is exactly
/// `Date.databaseValue`'s, so stored rows read, sort and compare as before; dates outside 1900–9999 (where ICU's
/// calendar rules may differ from the proleptic Gregorian one used here) go through GRDB.
enum StoredDateText {
    static let earliestMillis: Double = -2_208_988_800_000  // 1900-01-01 00:00:00 UTC
    static let endMillis: Double = 253_402_300_800_000  // 10000-01-01 00:00:00 UTC

    static func string(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down)
        guard millis >= earliestMillis, millis < endMillis else {
            return String.fromDatabaseValue(date.databaseValue) ?? ""
        }
        var (days, msOfDay) = Int64(millis).quotientAndRemainder(dividingBy: 86_400_000)
        if msOfDay < 0 {
            days -= 1
            msOfDay += 86_400_000
        }
        let (year, month, day) = CivilDays.date(days: Int(days))
        let ms = Int(msOfDay)
        return String(unsafeUninitializedCapacity: 23) { buffer in
            func put(_ value: Int, digits: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
                    v /= 10
                }
            }
            put(Int(year), digits: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(Int(month), digits: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(Int(day), digits: 2, at: 8)
            buffer[10] = UInt8(ascii: " ")
            put(ms / 3_600_000, digits: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(ms / 60_000 % 60, digits: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(ms / 1000 % 60, digits: 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(ms % 1000, digits: 3, at: 20)
            return 23
        }
    }
}
