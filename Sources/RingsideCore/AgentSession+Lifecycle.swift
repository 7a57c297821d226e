import Foundation

/// Start-up and shut-down: calls from the journal come back, and nothing open is lost at quit.
extension AgentSession {
    /// One call as the journal last saw it.
    public struct JournalEntry: Hashable, Sendable {
        public var call: CallMachine
        /// The last time Ringside wrote it (the approximate end if the call ended while Ringside was stopped).
        public var updatedAt: Date

        public init(call: CallMachine, updatedAt: Date) {
            self.call = call
            self.updatedAt = updatedAt
        }
    }

    /// Takes back the calls that were open when Ringside last stopped. Calls that had already ended (wrap-up)
    /// are completed with what the agent entered; live ones wait for the phone's call list (`.listed`).
    public mutating func restore(_ entries: [JournalEntry], at now: Date) -> [SessionEffect] {
        var out: [SessionEffect] = []
        for entry in entries where call(entry.call.id) == nil {
            calls.append(entry.call)
            if entry.call.isLive {
                awaitingPhone[entry.call.id] = entry.updatedAt
                if focus == nil { focus = entry.call.id }
            } else {
                out += apply(.endWithoutWrapUp(.localHangUp, at: entry.updatedAt, approximate: false), to: entry.call.id, at: now)
            }
        }
        return out
    }

    /// The phone listed its calls: restored calls it no longer has ended while Ringside was not running.
    mutating func confirmRestored(live lines: Set<LineCallID>, at now: Date) -> [SessionEffect] {
        var out: [SessionEffect] = []
        for (id, lastSeen) in awaitingPhone.sorted(by: { $0.key < $1.key }) {
            guard let call = call(id) else {
                awaitingPhone[id] = nil
                continue
            }
            if let line = call.line, lines.contains(line) {
                awaitingPhone[id] = nil
                continue
            }
            awaitingPhone[id] = nil
            out += apply(.endWithoutWrapUp(.failed("ended while Ringside was not running"), at: lastSeen, approximate: true), to: id, at: now)
        }
        return out
    }

    /// Quitting: every call in wrap-up is completed with what was entered; live calls end and are completed
    /// too unless they outlive Ringside (a real phone), in which case they stay in the journal for the next start.
    public mutating func shutdown(callsOutliveRingside: Bool, at now: Date) -> [SessionEffect] {
        var out: [SessionEffect] = []
        for call in calls {
            if call.isLive && callsOutliveRingside { continue }
            let reason: CallEndReason = call.isLive ? .localHangUp : (call.endReason ?? .localHangUp)
            out += apply(.endWithoutWrapUp(reason, at: now, approximate: false), to: call.id, at: now, quietRejection: true)
        }
        return out
    }

    /// What quitting now would do to open calls, for the quit dialog.
    public func quitConsequence(callsOutliveRingside: Bool) -> String? {
        let live = calls.filter(\.isLive).count
        let wrapping = calls.filter { $0.state == .wrapUp || $0.state == .ended }.count
        var parts: [String] = []
        if live > 0 {
            let calls = live == 1 ? "The live call" : "The \(live) live calls"
            parts.append(callsOutliveRingside
                ? "\(calls) continue\(live == 1 ? "s" : "") on the phone and \(live == 1 ? "is" : "are") logged when Ringside starts again."
                : "\(calls) will be ended and saved.")
        }
        if wrapping > 0 {
            parts.append(wrapping == 1 ? "The wrap-up is saved as it is." : "\(wrapping) wrap-ups are saved as they are.")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
