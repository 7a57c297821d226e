import Foundation

extension CallReport {
    /// The report's sections as CSV.
    public enum Section: String, Hashable, Sendable, CaseIterable {
        case intervals, days, agents, dispositions
    }

    /// One section as RFC 4180 CSV (header row first; times ISO 8601 UTC; durations in whole seconds; percentages
    /// with one decimal, empty when there is nothing to divide). `intervals` is the WFM import shape.
    public func csv(_ section: Section) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f", $0) } ?? "" }
        func secs(_ v: Double?) -> String { v.map { String(Int($0.rounded())) } ?? "" }
        var rows: [[String]]
        switch section {
        case .intervals:
            rows = [["interval_start", "interval_minutes", "offered", "answered", "answered_within_\(Int(serviceLevelThreshold))s",
                     "abandoned", "short_abandoned_within_\(Int(shortAbandonThreshold))s", "service_level_pct", "abandon_rate_pct", "asa_seconds"]]
            rows += intervals.map { i in
                [ISO8601.string(i.start), "\(intervalMinutes)", "\(i.offered)", "\(i.answered)", "\(i.answeredWithinThreshold)", "\(i.abandoned)",
                 "\(i.shortAbandoned)", pct(i.serviceLevel), pct(i.abandonRate), secs(i.averageSpeedOfAnswer)]
            }
        case .days:
            rows = [["day", "agent", "direction", "calls", "answered", "talk_seconds", "hold_seconds", "wrap_up_seconds", "aht_seconds"]]
            rows += days.map { d in
                [d.day, d.agent, d.direction, "\(d.calls)", "\(d.answered)", "\(d.talkSeconds)", "\(d.holdSeconds)", "\(d.wrapUpSeconds)",
                 secs(d.averageHandleSeconds)]
            }
        case .agents:
            let categories = ["Ready", "Idle", "Not ready", "Admin", "Talk", "Hold", "Wrap-up"]
            rows = [["agent", "inbound", "outbound", "internal", "answered", "talk_seconds", "hold_seconds", "wrap_up_seconds", "aht_seconds"]
                    + categories.map { "time_\($0.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_"))_seconds" }]
            rows += agents.map { a in
                [a.agent, "\(a.inbound)", "\(a.outbound)", "\(a.internal)", "\(a.answered)", "\(a.talkSeconds)", "\(a.holdSeconds)",
                 "\(a.wrapUpSeconds)", secs(a.averageHandleSeconds)] + categories.map { a.activitySeconds.isEmpty ? "" : "\(a.activitySeconds[$0] ?? 0)" }
            }
        case .dispositions:
            rows = [["disposition", "calls"]] + dispositions.map { [$0.disposition, "\($0.calls)"] }
        }
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A CSV field: quoted when it holds a comma, quote or line break; a leading `= + - @` is prefixed with `'`
    /// so a spreadsheet does not run it as a formula.
    static func csvField(_ text: String) -> String {
        var t = text
        if let first = t.first, "=+-@".contains(first), Double(t) == nil { t = "'" + t }
        guard t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
