import Foundation
import RingsideCore

/// `ringside report` as text: plain aligned tables (pipes, files), or with bar charts and a service-level
/// sparkline for a terminal (`charts: true`). Agent names and dispositions are sanitised (no escape sequences).
public struct CallReportText: Sendable {
    public var timeZone: TimeZone
    public var charts: Bool

    public init(timeZone: TimeZone = .current, charts: Bool) {
        self.timeZone = timeZone
        self.charts = charts
    }

    public func render(_ r: CallReport) -> String {
        var out: [String] = []
        let span = WallboardFormat.span
        func pct(_ v: Double?) -> String { WallboardFormat.percent(v) }
        func clean(_ s: String) -> String { TextSanitizer.clean(s) }
        out.append("Calls \(stamp(r.since)) → \(stamp(r.until))")
        out.append("  \(r.calls) calls, \(r.answered) answered · talk \(span(Double(r.talkSeconds))) · hold \(span(Double(r.holdSeconds)))"
                   + " · wrap-up \(span(Double(r.wrapUpSeconds)))"
                   + " · AHT (talk + hold + wrap-up) \(r.averageHandleSeconds.map(WallboardFormat.duration) ?? "–")"
                   + " · service level \(pct(r.serviceLevel)) (≤\(Int(r.serviceLevelThreshold)) s) · abandon rate \(pct(r.abandonRate))")
        if r.calls == 0 && r.intervals.isEmpty {
            out.append("")
            out.append("No calls in this range. Widen it with --since/--until (e.g. --since 2026-12-01).")
            return out.joined(separator: "\n") + "\n"
        }

        out.append("")
        out.append("Per day, agent and direction")
        let maxCalls = r.days.map(\.calls).max() ?? 1
        var table = [["day", "agent", "direction", "calls", "answered", "talk", "hold", "wrap-up", "AHT"]]
        for d in r.days {
            table.append([d.day, clean(d.agent), d.direction, "\(d.calls)", "\(d.answered)", span(Double(d.talkSeconds)), span(Double(d.holdSeconds)),
                          span(Double(d.wrapUpSeconds)), d.averageHandleSeconds.map(WallboardFormat.duration) ?? "–"])
        }
        out += align(table, right: [3, 4, 5, 6, 7, 8], bars: charts ? r.days.map { bar(Double($0.calls), of: Double(maxCalls), width: 20) } : nil)

        out.append("")
        out.append("Per agent")
        let categories = ["Ready", "Idle", "Not ready", "Admin", "Talk", "Hold", "Wrap-up"]
        let withActivity = r.agents.contains { !$0.activitySeconds.isEmpty }
        var agents = [["agent", "in", "out", "internal", "answered", "talk", "hold", "wrap-up", "AHT"] + (withActivity ? categories : [])]
        for a in r.agents {
            agents.append([clean(a.agent), "\(a.inbound)", "\(a.outbound)", "\(a.internal)", "\(a.answered)", span(Double(a.talkSeconds)),
                           span(Double(a.holdSeconds)), span(Double(a.wrapUpSeconds)), a.averageHandleSeconds.map(WallboardFormat.duration) ?? "–"]
                          + (withActivity ? categories.map { a.activitySeconds.isEmpty ? "–" : span(Double(a.activitySeconds[$0] ?? 0)) } : []))
        }
        out += align(agents, right: Array(1..<agents[0].count), bars: nil)
        if r.answeredWithoutWrapUp > 0 {
            out.append("  (\(r.answeredWithoutWrapUp) answered call(s) saved before wrap-up time was recorded: their AHT has no wrap-up)")
        }
        if !withActivity { out.append("  (time per category needs the states a supervisor's wallboard recorded: run `ringside supervisor` to record them)") }

        out.append("")
        out.append("Dispositions")
        let maxDisposition = r.dispositions.map(\.calls).max() ?? 1
        out += align([["disposition", "calls"]] + r.dispositions.map { [clean($0.disposition), "\($0.calls)"] }, right: [1],
                     bars: charts ? r.dispositions.map { bar(Double($0.calls), of: Double(maxDisposition), width: 20) } : nil)

        out.append("")
        out.append("Service level and abandons per \(r.intervalMinutes) min (\(r.intervalSource == "queue" ? "recorded queue feed" : "own inbound calls"); "
                   + "SL = answered ≤\(Int(r.serviceLevelThreshold)) s ÷ answered; short abandons ≤\(Int(r.shortAbandonThreshold)) s excluded)")
        let busy = r.intervals.filter { $0.offered > 0 }
        if charts, !r.intervals.isEmpty {
            out.append("  SL " + r.intervals.map { WallboardFormat.sparkCell($0.serviceLevel) }.joined() + "  (▁ 0% … █ 100%, · none answered)")
        }
        var rows = [["interval", "offered", "answered", "≤\(Int(r.serviceLevelThreshold)) s", "SL", "abandoned", "short (≤\(Int(r.shortAbandonThreshold)) s)", "abandon %", "ASA"]]
        for i in busy {
            rows.append([clock(i.start), "\(i.offered)", "\(i.answered)", "\(i.answeredWithinThreshold)", pct(i.serviceLevel), "\(i.abandoned)",
                         "\(i.shortAbandoned)", pct(i.abandonRate), i.averageSpeedOfAnswer.map(WallboardFormat.duration) ?? "–"])
        }
        out += align(rows, right: Array(1..<rows[0].count), bars: nil)
        return out.joined(separator: "\n") + "\n"
    }

    private func stamp(_ date: Date) -> String {
        var f = Date.FormatStyle(date: .numeric, time: .shortened)
        f.timeZone = timeZone
        f.locale = Locale(identifier: "en_GB")
        return date.formatted(f)
    }

    private func clock(_ date: Date) -> String {
        var f = Date.FormatStyle(date: .abbreviated, time: .shortened)
        f.timeZone = timeZone
        f.locale = Locale(identifier: "en_GB")
        return date.formatted(f)
    }

    private func bar(_ value: Double, of max: Double, width: Int) -> String {
        guard max > 0, value > 0 else { return "" }
        let eighths = Int((value / max * Double(width * 8)).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    /// Columns padded to their widest cell (display width), numbers right-aligned; `bars` adds a chart column.
    private func align(_ rows: [[String]], right: [Int], bars: [String]?) -> [String] {
        guard let header = rows.first else { return [] }
        var widths = Array(repeating: 0, count: header.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        return rows.enumerated().map { index, row in
            let cells = row.enumerated().map { i, cell in
                right.contains(i) ? TextFitting.padLeft(cell, to: widths[i]) : cell + String(repeating: " ", count: max(0, widths[i] - DisplayWidth.of(cell)))
            }
            let line = "  " + cells.joined(separator: "  ")
            guard let bars, index > 0, index - 1 < bars.count else { return line.trimmingTrailingSpaces() }
            return (line + "  " + bars[index - 1]).trimmingTrailingSpaces()
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
