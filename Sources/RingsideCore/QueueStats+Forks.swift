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
/// - An agent's `handled` completes the queue call (handle = talk + hold + wrap-up); a repeat from the same agent
///   is counted in `unmatchedEvents`. A queue call is `transferred` once, however many transfers it had.
/// - Blind transfers: `transferLeg` links the receiving agent's new leg (a new Call-ID) to the queue call. The leg's
///   offer, answer and ring end change no figure (it is not a new offered call, nor an abandon); its `handled`
///   adds the leg's talk, hold and wrap-up to the queue call's one completion. A link arriving after the leg's
///   first events takes back what they did (the leg counted as waiting or answered).
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
    /// Transfer legs: the leg's Call-ID → the queue call's (the first leg's) Call-ID, with when the link arrived.
    var aliases: [String: (queueCall: String, at: Date)] = [:]

    /// The queue call a Call-ID belongs to (itself unless it is a transfer leg).
    func queueCall(_ id: String) -> String { aliases[id]?.queueCall ?? id }

    /// Ending calls whose settle time has passed at `now`, as abandon outcomes (not yet in the log).
    func settled(at now: Date, after settle: TimeInterval) -> [QueueStats.Outcome] {
        calls.values.compactMap { call in
            guard !call.abandoned, let ending = call.ending, ending.at.addingTimeInterval(settle) <= now else { return nil }
            return ending
        }
    }
}

extension QueueStats {
    /// Applies one agent observation (`offered`, `agentAnswered`, `ringEnded`, `handled`, `transferred`, `transferLeg`).
    mutating func applyObservation(_ event: QueueEvent) {
        if case .transferLeg(let leg, let original, _, let at) = event { return link(leg: leg, to: original, at: at) }
        if let alias = forks.aliases[event.callId] { return applyLegObservation(event, queueCall: alias.queueCall) }
        switch event {
        case .arrived, .answered, .abandoned, .completed, .transferLeg:
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
            let ring = Self.boundedSeconds(ringSeconds)
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
            let ring = Self.boundedSeconds(ringSeconds)
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
            // A day at most in all (as `QueueEvent.maximumHandleSeconds`): a payload's 1e300 must never reach a figure.
            guard parts.allSatisfy({ $0.isFinite && $0 >= 0 }), parts.reduce(0, +) <= QueueEvent.maximumHandleSeconds else {
                unmatchedEvents += 1
                return
            }
            complete(id, key: "\(id)#\(agent)", at: at, seconds: parts.reduce(0, +))
            forks.calls[id]?.touched = at
        case .transferred(let id, _, let at, _):
            recordTransfer(of: id, at: at)
        }
    }

    /// An event of a transfer leg: only its handle time and a further transfer count, for the queue call.
    private mutating func applyLegObservation(_ event: QueueEvent, queueCall: String) {
        switch event {
        case .arrived, .answered, .abandoned, .completed, .offered, .agentAnswered, .ringEnded, .transferLeg:
            break
        case .handled(let leg, let agent, let at, let talk, let hold, let wrapUp):
            let parts = [talk, hold, wrapUp]
            guard parts.allSatisfy({ $0.isFinite && $0 >= 0 }), parts.reduce(0, +) <= QueueEvent.maximumHandleSeconds else {
                unmatchedEvents += 1
                return
            }
            complete(queueCall, key: "\(leg)#\(agent)", at: at, seconds: parts.reduce(0, +))
        case .transferred(_, _, let at, _):
            recordTransfer(of: queueCall, at: at)
        }
        if var call = forks.calls[queueCall] {
            call.touched = max(call.touched, event.at)
            forks.calls[queueCall] = call
        }
    }

    /// Links transfer leg `leg` to the queue call `original` belongs to, and takes back what the leg's earlier
    /// events did as if it were a call of its own.
    private mutating func link(leg: String, to original: String, at: Date) {
        let root = forks.queueCall(original)
        guard leg != root, forks.aliases[leg] == nil else { return }
        forks.aliases[leg] = (root, at)
        forks.calls[leg] = nil
        waiting[leg] = nil
        answeredLog.removeAll { $0.callId == leg }
        abandonedLog.removeAll { $0.callId == leg }
        let legCompletions = completedLog.filter { $0.callId == leg }
        completedLog.removeAll { $0.callId == leg }
        for o in legCompletions {
            // Moved, not re-reported: its keys stay known (a repeat is still unmatched).
            for key in o.keys { completedIds.remove(key) }
            complete(root, key: o.keys.first ?? "\(leg)#", at: o.at, seconds: o.seconds)
            for key in o.keys.dropFirst() where completedIds.insert(key).inserted {
                if let i = completedLog.lastIndex(where: { $0.callId == root }) { completedLog[i].keys.append(key) }
            }
        }
        if let transfer = transferLog.first(where: { $0.callId == leg }) {
            transferLog.removeAll { $0.callId == leg }
            recordTransfer(of: root, at: transfer.at)
        }
    }

    /// Adds `seconds` of handling to queue call `id`'s completion (one per queue call); `key` says whose report it
    /// was, so a repeat is counted in `unmatchedEvents` instead.
    private mutating func complete(_ id: String, key: String, at: Date, seconds: TimeInterval) {
        guard completedIds.insert(key).inserted else {
            unmatchedEvents += 1
            return
        }
        if let i = completedLog.lastIndex(where: { $0.callId == id }) {
            completedLog[i].seconds += seconds
            completedLog[i].at = max(completedLog[i].at, at)
            completedLog[i].keys.append(key)
        } else {
            completedLog.append(Outcome(at: at, seconds: seconds, callId: id, keys: [key]))
        }
    }

    /// Counts queue call `id` as transferred (once).
    private mutating func recordTransfer(of id: String, at: Date) {
        guard !transferLog.contains(where: { $0.callId == id }) else { return }
        transferLog.append(Outcome(at: at, seconds: 0, callId: id))
    }

    typealias Call = QueueCallLedger.Call

    /// A reported ring time within 0…one day (non-finite: 0), so no payload can make a wait absurd.
    static func boundedSeconds(_ seconds: Double) -> TimeInterval {
        seconds.isFinite ? min(max(0, seconds), QueueEvent.maximumHandleSeconds) : 0
    }

    /// Settles ending calls whose settle time passed into abandons, and forgets merged calls nobody reported
    /// on for longer than the window (answered or abandoned) or `staleWait` (still ringing).
    mutating func settleForks(at now: Date) {
        if !forks.aliases.isEmpty {
            let aliasCutoff = now.addingTimeInterval(-max(settings.window, settings.staleWait))
            if forks.aliases.values.contains(where: { $0.at <= aliasCutoff }) {
                forks.aliases = forks.aliases.filter { $0.value.at > aliasCutoff }
            }
        }
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
