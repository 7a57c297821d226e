import Foundation

/// Workforce-management time categories (seed 002).
public enum ActivityCategory: String, Hashable, Sendable, Codable, CaseIterable {
    case admin = "Admin"
    case idle = "Idle"
    case notReady = "Not ready"
    case ready = "Ready"
}

/// Which agent activities count towards which category, as semicolon-separated lists like the
/// workforce-management settings (`"Ready; On call"`).
///
/// An activity is the not-ready reason when one is given (e.g. `Lunch`), otherwise the state's label
/// (`Ready`, `Not ready`, `On call`, `Wrap-up`). Matching ignores case and surrounding spaces. An activity
/// may belong to several categories (e.g. `Ready` is both Ready time and Idle time by default); `Offline`
/// never counts. A not-ready reason that no list names falls back to the `Not ready` state label.
public struct ActivityCategoryMapping: Hashable, Sendable {
    public private(set) var lists: [ActivityCategory: [String]]

    /// Defaults: Admin `Admin; Wrap-up`, Idle `Ready`, Not ready `Not ready; Break; Lunch; Training`,
    /// Ready `Ready; On call`.
    public init(admin: String = "Admin; Wrap-up", idle: String = "Ready", notReady: String = "Not ready; Break; Lunch; Training",
                ready: String = "Ready; On call") {
        lists = [
            .admin: Self.parse(admin), .idle: Self.parse(idle), .notReady: Self.parse(notReady), .ready: Self.parse(ready),
        ]
    }

    /// The activities of one semicolon-separated list: trimmed, empty items dropped.
    public static func parse(_ list: String) -> [String] {
        list.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The list for `category`, written back as in the settings (`"Ready; On call"`).
    public func list(_ category: ActivityCategory) -> String { (lists[category] ?? []).joined(separator: "; ") }

    /// Categories the activity named `activity` counts towards.
    public func categories(forActivity activity: String) -> Set<ActivityCategory> {
        let key = Self.key(activity)
        var found: Set<ActivityCategory> = []
        for category in ActivityCategory.allCases where (lists[category] ?? []).contains(where: { Self.key($0) == key }) {
            found.insert(category)
        }
        return found
    }

    /// Categories for a state and reason (offline: none).
    public func categories(state: PresenceState, reason: String?) -> Set<ActivityCategory> {
        switch state {
        case .offline:
            return []
        case .notReady:
            if let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty {
                let byReason = categories(forActivity: reason)
                if !byReason.isEmpty { return byReason }
            }
            return categories(forActivity: state.label)
        case .ready, .onCall, .wrapUp:
            return categories(forActivity: state.label)
        }
    }

    private static func key(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces).lowercased() }
}
