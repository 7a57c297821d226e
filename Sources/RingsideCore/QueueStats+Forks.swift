import Foundation

/// The calls agents reported, merged by SIP Call-ID: every fork of a ring-all offer carries the same Call-ID,
/// so one caller offered to three agents is one queue call.
///
/// Rules (seed 002's definitions applied to forks):
/// - The call arrives at its first `offered` (the earliest fork's start) and waits while any fork rings.
/// - The first `agentAnswered` answers it; its wait is the longer of the answering agent's own ring time and the
///   time since the first offer. Forks cancelled because of that answer ("answered elsewhere") are not abandons.
/// - When every known fork stopped ringing unanswered, the call is *ending*: it counts as abandoned (wait = the
///   longest ring) once `forkSettle` seconds passed without an answer. A later answer for it turns that abandon
///   back into an answer; a later offer (a new fork) makes it wait again.
/// - Each agent's `handled` completes the call once per agent (handle = talk + hold + wrap-up); `transferred`
///   is counted per report.
struct QueueCallLedger: Sendable {
    struct Call: Hashable, Sendable {
        var firstOffer: Date
        var ringing: Set<String> = []
        var answered = false
        /// Set while every fork has stopped ringing unanswered: when, and the caller's wait until then.
        var ending: QueueStats.Outcome?
        /// The abandon was settled into the abandoned log.
        var abandoned = false
        /// The newest event about the call (for forgetting it).
        var touched: Date
    }

    var calls: [String: Call] = [:]

    /// Ending calls whose settle time has passed at `now`, as abandon outcomes (not yet in the log).
    func settled(at now: Date, after settle: TimeInterval) -> [QueueStats.Outcome] {
        calls.values.compactMap { call in
            guard !call.abandoned, let ending = call.ending, ending.at.addingTimeInterval(settle) <= now else { return nil }
            return ending
        }
    }
}

extension QueueStats {
    /// Applies one agent observation (`offered`, `agentAnswered`, `ringEnded`, `handled`, `transferred`).
    mutating func applyObservation(_ event: QueueEvent) {
        switch event {
        case .arrived, .answered, .abandoned, .completed:
            return
        case .offered(let id, let agent, let at):
            var call = forks.calls[id] ?? Call(firstOffer: at, touched: at)
            call.firstOffer = min(call.firstOffer, at)
            call.touched = max(call.touched, at)
            guard !call.answered else {
                forks.calls[id] = call
                return
            }
            call.ringing.insert(agent)
            if call.abandoned {
                // A fork seen after the abandon was settled: the caller is still there after all.
                abandonedLog.removeAll { $0.callId == id }
                call.abandoned = false
            }
            call.ending = nil
            waiting[id] = call.firstOffer
            forks.calls[id] = call
        case .agentAnswered(let id, let agent, let at, let ringSeconds):
            let ring = ringSeconds.isFinite ? max(0, ringSeconds) : 0
            var call = forks.calls[id] ?? Call(firstOffer: at.addingTimeInterval(-ring), touched: at)
            call.touched = max(call.touched, at)
            call.ringing.remove(agent)
            guard !call.answered else {
                forks.calls[id] = call
                unmatchedEvents += 1 // a second answer for one call: counted once
                return
            }
            call.answered = true
            if call.abandoned { abandonedLog.removeAll { $0.callId == id } }
            call.abandoned = false
            call.ending = nil
            waiting[id] = nil
            answeredLog.append(Outcome(at: at, seconds: max(ring, at.timeIntervalSince(call.firstOffer)), callId: id))
            forks.calls[id] = call
        case .ringEnded(let id, let agent, let at, let ringSeconds, _):
            let ring = ringSeconds.isFinite ? max(0, ringSeconds) : 0
            var call = forks.calls[id] ?? Call(firstOffer: at.addingTimeInterval(-ring), touched: at)
            call.touched = max(call.touched, at)
            call.ringing.remove(agent)
            if !call.answered, call.ringing.isEmpty, !call.abandoned {
                let wait = max(ring, at.timeIntervalSince(call.firstOffer), call.ending?.seconds ?? 0)
                call.ending = Outcome(at: max(at, call.ending?.at ?? at), seconds: wait, callId: id)
                waiting[id] = nil
            }
            forks.calls[id] = call
        case .handled(let id, let agent, let at, let talk, let hold, let wrapUp):
            let parts = [talk, hold, wrapUp]
            guard parts.allSatisfy({ $0.isFinite && $0 >= 0 }), completedIds.insert("\(id)#\(agent)").inserted else {
                unmatchedEvents += 1
                return
            }
            completedLog.append(Outcome(at: at, seconds: parts.reduce(0, +), callId: "\(id)#\(agent)"))
            forks.calls[id]?.touched = at
        case .transferred(_, _, let at, _):
            transferLog.append(Outcome(at: at, seconds: 0))
        }
    }

    typealias Call = QueueCallLedger.Call

    /// Settles ending calls whose settle time passed into abandons, and forgets merged calls nobody reported
    /// on for longer than the window (answered or abandoned) or `staleWait` (still ringing).
    mutating func settleForks(at now: Date) {
        guard !forks.calls.isEmpty else { return }
        for outcome in forks.settled(at: now, after: settings.forkSettle) {
            abandonedLog.append(outcome)
            forks.calls[outcome.callId]?.abandoned = true
        }
        let resolvedCutoff = now.addingTimeInterval(-settings.window)
        let staleCutoff = now.addingTimeInterval(-settings.staleWait)
        forks.calls = forks.calls.filter { _, call in
            let resolved = call.answered || call.abandoned
            return resolved ? call.touched > resolvedCutoff : call.touched > staleCutoff
        }
    }
}
