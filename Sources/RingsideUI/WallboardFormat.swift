import Foundation
import RingsideCore

/// Formatting helpers for the wallboard.
public enum WallboardFormat {
    /// Durations from this long (over a year) show as `≥10000 h`: they mean a wrong clock or payload.
    public static let longestShown: TimeInterval = 10_000 * 3600

    /// `m:ss` under an hour, `h:mm:ss` from an hour; negative and NaN show as `0:00`, 10,000 hours and more as
    /// `≥10000 h`. Any `Double` is safe (no `Int` conversion traps).
    public static func duration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0:00" }
        guard seconds < longestShown else { return "≥10000 h" }
        let total = Int(seconds)
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// A span of time with units, readable at a glance: `45s`, `12m 05s`, `4h 33m` (negative and NaN: `0s`).
    public static func span(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 1 else { return "0s" }
        guard seconds < longestShown else { return "≥10000h" }
        let total = Int(seconds)
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        if h > 0 { return String(format: "%dh %02dm", h, m) }
        if m > 0 { return String(format: "%dm %02ds", m, s) }
        return "\(s)s"
    }

    /// One sparkline cell for a percentage: `▁` (0%) … `█` (100%), `·` when there is nothing to measure.
    public static func sparkCell(_ percent: Double?) -> String {
        guard let percent, percent.isFinite else { return "·" }
        let blocks = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let level = Int((min(100, max(0, percent)) / 100 * 7).rounded())
        return blocks[level]
    }

    /// A percentage without decimals (`86%`), `–` when there is nothing to divide.
    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return "\(whole(value))%"
    }

    /// `value` rounded to a whole number, clamped to ±999,999 (NaN: 0), so no `Double` can trap `Int(_:)`.
    public static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return 0 }
        return Int(min(999_999, max(-999_999, value.rounded())))
    }

    /// The colour role of a state.
    public static func style(_ state: PresenceState) -> CellStyle {
        switch state {
        case .ready: CellStyle(role: .good, bold: true)
        case .onCall: CellStyle(role: .accent)
        case .wrapUp: CellStyle(role: .warning)
        case .notReady: CellStyle(role: .error)
        case .offline: .muted
        }
    }

    /// `In` / `Out`: readable without colour or arrows.
    public static func direction(_ direction: CallDirection) -> String {
        switch direction {
        case .inbound: "In"
        case .outbound: "Out"
        }
    }
}
