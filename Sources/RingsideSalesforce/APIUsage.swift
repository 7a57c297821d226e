/// The org's rolling 24-hour API usage, from the `Sforce-Limit-Info` response header
/// (`api-usage=10018/100000`).
public struct APIUsage: Hashable, Sendable, CustomStringConvertible {
    public var used: Int
    public var max: Int

    public init(used: Int, max: Int) {
        self.used = used
        self.max = max
    }

    /// Requests left today (never negative).
    public var remaining: Int { Swift.max(0, max - used) }

    /// Share of the daily allowance used, 0…1 (1 when the maximum is 0).
    public var fractionUsed: Double { max > 0 ? Double(used) / Double(max) : 1 }

    /// True when at least 90 % of the allowance is used: callers should defer
    /// non-urgent traffic (batch deliveries, syncs).
    public var isNearLimit: Bool { fractionUsed >= 0.9 }

    public var description: String { "\(used)/\(max) API requests used in the last 24 h" }

    /// Parses a `Sforce-Limit-Info` header value; nil when it has no `api-usage=N/M` part.
    /// Other parts (`api-bursts=1/750`, `per-app-api-usage=…`) are ignored.
    public static func parse(header value: String) -> APIUsage? {
        for part in value.split(separator: ";") {
            let item = part.trimmed(of: " \t")
            guard item.hasPrefix("api-usage=") else { continue }
            let numbers = item.dropFirst("api-usage=".count).split(separator: "/", maxSplits: 1)
            guard numbers.count == 2,
                  let used = Int(numbers[0].trimmed(of: " ")),
                  let max = Int(numbers[1].trimmed(of: " ")), used >= 0, max >= 0 else { return nil }
            return APIUsage(used: used, max: max)
        }
        return nil
    }
}

extension StringProtocol {
    func trimmed(of set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
