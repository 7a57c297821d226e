import Foundation

/// One shared ISO-8601 formatter (internet date-time, UTC, `2026-11-30T09:00:00Z`): creating an
/// `ISO8601DateFormatter` costs far more than using one, so CSV export and import never make one per row.
public enum ISO8601 {
    private static let shared = SharedFormatter()

    /// `date` as `yyyy-MM-ddTHH:mm:ssZ`.
    public static func string(_ date: Date) -> String { shared.withFormatter { $0.string(from: date) } }

    /// The date in `text`, or nil when it is not an ISO-8601 internet date-time.
    public static func date(_ text: String) -> Date? { shared.withFormatter { $0.date(from: text) } }

    private final class SharedFormatter: @unchecked Sendable {
        private let lock = NSLock()
        private let formatter = ISO8601DateFormatter()

        func withFormatter<R>(_ body: (ISO8601DateFormatter) -> R) -> R {
            lock.lock()
            defer { lock.unlock() }
            return body(formatter)
        }
    }
}
