import Foundation
import RingsideCore

/// Phone numbers and times as the console shows them.
public enum NumberDisplay {
    /// Parses typed text with the session's region and internal-digit settings.
    public static func parse(_ text: String, _ session: AgentSession) -> Result<PhoneNumber, PhoneNumberError> {
        do {
            return .success(try PhoneNumber.parse(text, defaultRegion: session.settings.homeRegion,
                                                  internalNumberDigits: session.settings.internalNumberDigits))
        } catch {
            return .failure(error)
        }
    }

    /// `07814 256404` style for the home region, E.164 otherwise; the raw text (sanitised) when unparseable.
    public static func formatted(_ number: PhoneNumber?, raw: String, _ session: AgentSession) -> String {
        guard let number else { return TextSanitizer.clean(raw) }
        return number.formatted(relativeTo: session.settings.homeRegion)
    }

    /// A raw stored number, formatted when it parses.
    public static func formatted(raw: String, _ session: AgentSession) -> String {
        switch parse(raw, session) {
        case .success(let number): return formatted(number, raw: raw, session)
        case .failure: return TextSanitizer.clean(raw)
        }
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    public static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60) }
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Wall-clock formatting in the agent's time zone (no DateFormatter: cheap and locale-independent).
public struct ZonedClock: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public init(identifier: String) {
        let zone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0) ?? .current
        self.zone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// `HH:mm`
    public func time(_ date: Date) -> String {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// `yyyy-MM-dd HH:mm`
    public func dateTime(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// `Mon 30 Nov`
    public func day(_ date: Date) -> String {
        let c = calendar.dateComponents([.weekday, .day, .month], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let wd = days[((c.weekday ?? 1) - 1 + 7) % 7]
        let mo = months[((c.month ?? 1) - 1 + 12) % 12]
        return "\(wd) \(c.day ?? 1) \(mo)"
    }
}
