import Foundation

/// `ringside history` filters as a pure value: a time range, a number (compared in E.164) and a text.
/// Parsing takes the clock and the agent's time zone as arguments.
public struct HistoryQuery: Hashable, Sendable {
    public var since: Date?
    public var until: Date?
    /// E.164 of `--number`.
    public var e164: String?
    public var text: String?

    public init(since: Date? = nil, until: Date? = nil, e164: String? = nil, text: String? = nil) {
        self.since = since
        self.until = until
        self.e164 = e164
        self.text = text
    }

    /// Why an option could not be read; the text says what is accepted.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static let timeFormats = "a date (2026-12-01), a date and time (2026-12-01 14:30), an ISO 8601 time, "
        + "`now`, `today`, `yesterday`, or a span back from now (90s, 15m, 2h, 3d, 1w)"

    /// Reads `--since`/`--until` text. A bare date means the start of that day for `since` and the end of that day
    /// (the next midnight, exclusive) for `until`, in `timeZone`.
    public static func time(_ raw: String, now: Date, timeZone: TimeZone, endOfDay: Bool = false) throws(ParseError) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let startOfToday = calendar.startOfDay(for: now)
        func day(_ start: Date) -> Date { endOfDay ? calendar.date(byAdding: .day, value: 1, to: start) ?? start : start }
        switch text {
        case "now": return now
        case "today": return day(startOfToday)
        case "yesterday": return day(calendar.date(byAdding: .day, value: -1, to: startOfToday) ?? startOfToday)
        default: break
        }
        let span = text.hasSuffix(" ago") ? String(text.dropLast(4)) : text
        if let unit = span.last, let amount = Int(span.dropLast()), amount >= 0, amount < 100_000 {
            let seconds: Int? = switch unit {
            case "s": amount
            case "m": amount * 60
            case "h": amount * 3600
            case "d": amount * 86400
            case "w": amount * 7 * 86400
            default: nil
            }
            if let seconds { return now.addingTimeInterval(-Double(seconds)) }
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.calendar = calendar
        formatter.dateFormat = "yyyy-MM-dd"
        if text.count == 10, let date = formatter.date(from: text) { return day(date) }
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: raw.trimmingCharacters(in: .whitespaces)) { return date }
        throw ParseError(description: "can't read the time \(CallRecordBuilder.sanitized(raw)): use \(timeFormats)")
    }

    /// Whether `record` passes every filter.
    public func matches(_ record: CallRecord) -> Bool {
        if let since, record.startedAt < since { return false }
        if let until, record.startedAt >= until { return false }
        if let e164, (record.e164 ?? record.remote) != e164 { return false }
        if let text, !text.isEmpty {
            let fields = [record.remoteName, record.who?.name, record.what?.name, record.disposition, record.notes]
            return fields.contains { field in
                field.map { $0.range(of: text, options: [.caseInsensitive, .diacriticInsensitive]) != nil } ?? false
            }
        }
        return true
    }
}
