import Foundation
import RingsideCore
import RingsideUI
#if canImport(Glibc)
import Glibc
#endif

/// `ringside history`'s table: date, time, direction, number, name, duration, disposition, notes (first line),
/// fitted to `width` columns; every value from outside is sanitised and cut by display width.
struct HistoryTable {
    var zone: TimeZone
    /// nil: not a terminal and no $COLUMNS — nothing is cut.
    var width: Int?

    func lines(_ calls: [CallRecord]) -> [String] {
        // Under 100 columns the year and seconds go, so the name and the notes keep room.
        let compact = (width ?? Int.max) < 100
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = zone
        date.dateFormat = compact ? "MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss"
        let rows: [[String]] = calls.map { call in
            let when = date.string(from: call.startedAt).split(separator: " ").map(String.init)
            let direction = call.callType == .internal ? "int" : (call.direction == .inbound ? "in" : "out")
            let name = call.remoteName ?? call.who?.name ?? call.what?.name ?? ""
            let notes = call.notes.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return [when[0], when[1], direction, call.e164 ?? call.remote, name, NumberDisplay.duration(call.durationSeconds),
                    call.disposition ?? "", notes].map(Terminal.safe)
        }
        let header = ["date", "time", "dir", "number", "name", "dur", "disposition", "notes"]
        let (name, disposition, notes) = (4, 6, 7)
        let caps = [10, 8, 3, 18, 24, 8, 18, Int.max]
        var widths = header.indices.map { column in
            min(caps[column], ([header[column]] + rows.map { $0[column] }).map(DisplayWidth.of).max() ?? 0)
        }
        let gap = compact ? 1 : 2
        if let width {
            // Notes get at least 16 columns: the name, then the disposition, give way first (down to 8 and 6).
            func fixed() -> Int { widths.dropLast().reduce(0, +) + gap * (widths.count - 1) }
            while fixed() + 16 > width, widths[name] > 8 || widths[disposition] > 6 {
                if widths[name] > 8, widths[name] >= widths[disposition] || widths[disposition] <= 6 { widths[name] -= 1 } else { widths[disposition] -= 1 }
            }
            widths[notes] = max(8, width - fixed())
        }
        let separator = String(repeating: " ", count: gap)
        return ([header] + rows).map { row in
            row.indices.map { column in
                let cell = TextFitting.truncate(row[column], to: widths[column])
                return column == row.count - 1 ? cell : TextFitting.pad(cell, to: widths[column])
            }.joined(separator: separator)
        }
    }
}

extension Terminal {
    /// Columns of the terminal on stdout, else `$COLUMNS`, else nil.
    static func width() -> Int? {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return nil
    }
}
