import Foundation
import RingsideCore

/// Formatting helpers for the wallboard.
public enum WallboardFormat {
    /// `m:ss` under an hour, `h:mm:ss` from an hour; negative and NaN show as `0:00`.
    public static func duration(_ seconds: TimeInterval) -> String {
        let total = seconds.isFinite ? max(0, Int(seconds)) : 0
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// A percentage without decimals (`86%`), `–` when there is nothing to divide.
    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return "\(Int(value.rounded()))%"
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
