import Foundation
import RingsideCore

/// One row of baresip's `listcalls` text, e.g.
/// `> [line 1]  0:00:02  ESTABLISHED  (on hold)  sip:bob@127.0.0.1:15080`.
///
/// `listcalls` carries no call id; `BaresipLink` selects each line (`line N`) and reads the id and
/// direction from `callstat` (`BaresipCallStat`).
public struct BaresipCallListEntry: Hashable, Sendable {
    public var line: Int
    /// `INCOMING`, `RINGING`, `EARLY`, `ESTABLISHED`, `OUTGOING`, ...
    public var state: String
    public var onHold: Bool
    public var peerURI: String

    /// Parses the whole `data` text of a `listcalls` response. Lines that are not call rows are skipped.
    public static func parse(_ text: String) -> [BaresipCallListEntry] {
        text.split(separator: "\n").compactMap { parseRow(String($0)) }
    }

    static func parseRow(_ row: String) -> BaresipCallListEntry? {
        guard let open = row.range(of: "[line "), let close = row.range(of: "]", range: open.upperBound..<row.endIndex),
              let line = Int(row[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
        else { return nil }
        var onHold = false
        var tokens: [String] = []
        var rest = String(row[close.upperBound...])
        if let hold = rest.range(of: "(on hold)") {
            onHold = true
            rest.removeSubrange(hold)
        }
        tokens = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        // tokens: duration, state, peer
        guard tokens.count >= 3 else { return nil }
        return BaresipCallListEntry(line: line, state: tokens[1], onHold: onHold, peerURI: tokens[tokens.count - 1])
    }
}

/// The facts Ringside needs from `callstat` for the current call.
public struct BaresipCallStat: Hashable, Sendable {
    public var callID: LineCallID
    public var direction: BaresipCallDirection?

    /// Parses `af=AF_INET id=<callid>` and `direction: Incoming|Outgoing` from `callstat` text.
    public static func parse(_ text: String) -> BaresipCallStat? {
        var callID: String?
        var direction: BaresipCallDirection?
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if callID == nil, let range = line.range(of: " id=") ?? (line.hasPrefix("id=") ? line.range(of: "id=") : nil) {
                let value = line[range.upperBound...].prefix(while: { !$0.isWhitespace })
                if !value.isEmpty { callID = String(value) }
            } else if line.lowercased().hasPrefix("direction:") {
                let value = line.dropFirst("direction:".count).trimmingCharacters(in: .whitespaces).lowercased()
                direction = BaresipCallDirection(rawValue: value)
            }
        }
        return callID.map { BaresipCallStat(callID: $0, direction: direction) }
    }
}

/// A call as found by a resynchronisation pass.
public struct BaresipCallSnapshot: Hashable, Sendable {
    public var callID: LineCallID
    public var direction: BaresipCallDirection
    public var state: String
    public var onHold: Bool
    public var peerURI: String

    public init(callID: LineCallID, direction: BaresipCallDirection, state: String, onHold: Bool, peerURI: String) {
        self.callID = callID
        self.direction = direction
        self.state = state
        self.onHold = onHold
        self.peerURI = peerURI
    }

    /// True when the call is answered (`ESTABLISHED`).
    public var isEstablished: Bool { state.uppercased() == "ESTABLISHED" }
}
