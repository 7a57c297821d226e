import Foundation
import RingsideCore

/// Salesforce date-time text (`2026-01-01T10:00:00.000+0000`, `…Z`, `…+00:00`) ↔ `Date`.
public enum SalesforceDateTime {
    /// Parses an ISO-8601 date-time with optional fraction and a zone (`Z`, `±HHMM`, `±HH:MM`).
    /// Nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func num(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 19, let year = num(0, 4), b[4] == 45, let month = num(5, 2), b[7] == 45, let day = num(8, 2),
              b[10] == 84 || b[10] == 116, let hour = num(11, 2), b[13] == 58, let minute = num(14, 2), b[16] == 58,
              let second = num(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let hh = num(i, 2) else { return nil }
            i += 2
            if i < b.count, b[i] == 58 { i += 1 }
            guard let mm = num(i, 2) else { return nil }
            i += 2
            offset = sign * (hh * 3600 + mm * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilDays.days(year: year, month: month, day: day)
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-01-01T10:00:00+00:00` (UTC), the form the `deleted`/`updated` resources take.
    public static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(total) / 86400).rounded(.down))
        let secs = total - days * 86400
        let (y, m, d) = CivilDays.date(days: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))+00:00"
    }
}
