#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Salesforce date-time text: `2026-01-01T10:00:00.000+0000` (UTC).
enum SalesforceDate {
    static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        let millis = Int((seconds - seconds.rounded(.down)) * 1000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    /// `YYYY-MM-DD` in UTC.
    static func formatDay(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH[:]MM)` (a space stands for a `+`
    /// that was URL-decoded). Returns seconds since 1970, or nil.
    static func parse(_ text: String) -> Double? {
        let c = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= c.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                guard c[i] >= 48, c[i] <= 57 else { return nil }
                v = v * 10 + Int(c[i] - 48)
            }
            return v
        }
        guard let year = num(0, 4), c.count >= 10, c[4] == 45, let month = num(5, 2), c[7] == 45,
              let day = num(8, 2) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        if c.count == 10 {
            return Double(timegm(&parts))
        }
        guard c[10] == 84 || c[10] == 116, let h = num(11, 2), c.count > 13, c[13] == 58, let m = num(14, 2),
              c.count > 16, c[16] == 58, let s = num(17, 2) else { return nil }
        parts.tm_hour = Int32(h)
        parts.tm_min = Int32(m)
        parts.tm_sec = Int32(s)
        var i = 19
        var fraction = 0.0
        if i < c.count, c[i] == 46 {
            i += 1
            var scale = 0.1
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                fraction += Double(c[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        guard i < c.count else { return nil }
        switch c[i] {
        case 90, 122:  // Z
            i += 1
        case 43, 45, 32:  // + - space
            let sign = c[i] == 45 ? -1 : 1
            guard let oh = num(i + 1, 2) else { return nil }
            var j = i + 3
            if j < c.count, c[j] == 58 { j += 1 }
            guard let om = num(j, 2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            i = j + 2
        default:
            return nil
        }
        guard i == c.count else { return nil }
        return Double(timegm(&parts)) + fraction - Double(offset)
    }
}
