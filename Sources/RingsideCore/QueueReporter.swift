import Foundation

/// Decides which queue observations an agent publishes about the inbound calls it is offered: compares the
/// session's calls with what it reported before (like `PresenceTracker`), keyed by the phone's call id — the
/// SIP Call-ID with baresip, the same on every fork of a ring-all offer.
///
/// The runtime calls `completed(_:agentId:at:)` for every record its session completes and then
/// `update(calls:agentId:at:)` after every handled event, and publishes what they return, in order.
/// Outbound and internal calls are not queue calls and are never reported.
public struct QueueReporter: Sendable {
    struct Reported: Hashable, Sendable {
        var line: LineCallID
        var startedAt: Date
        var answered = false
        var ended = false
        var transferTarget: String?
        /// The queue call this call is a transfer leg of, once reported.
        var linkedTo: String?
    }

    private var reported: [CallObjectID: Reported] = [:]

    public init() {}

    /// Calls reported on and not yet completed.
    public var open: Int { reported.count }

    /// The observations the session's calls show now that were not reported yet.
    public mutating func update(calls: [CallMachine], agentId: String, at now: Date) -> [QueueEvent] {
        var out: [QueueEvent] = []
        for call in calls where call.direction == .inbound && !call.isInternal {
            guard let line = call.line, !line.isEmpty else { continue }
            var r = reported[call.id] ?? {
                out.append(.offered(callId: line, agentId: agentId, at: call.startedAt))
                return Reported(line: line, startedAt: call.startedAt)
            }()
            if let original = call.originalCallId, r.linkedTo == nil {
                r.linkedTo = original
                out.append(.transferLeg(callId: line, originalCallId: original, agentId: agentId, at: now))
            }
            if case .transferring(let to) = call.state { r.transferTarget = to }
            if let target = call.transferTarget { r.transferTarget = target }
            if let answeredAt = call.answeredAt, !r.answered {
                r.answered = true
                out.append(.agentAnswered(callId: line, agentId: agentId, at: answeredAt,
                                          ringSeconds: max(0, answeredAt.timeIntervalSince(call.startedAt))))
            }
            if let endedAt = call.endedAt, !r.ended {
                r.ended = true
                out += ending(r, answered: call.answeredAt != nil, transferred: call.endReason == .transferred,
                              endedAt: endedAt, reason: call.endReason.map(CallRecordBuilder.describe), agentId: agentId)
            }
            reported[call.id] = r
        }
        return out
    }

    /// The observations still missing for a call whose record the session completed (it has left the session),
    /// ending with `handled` when the agent had answered it: wrap-up lasts from the end of the call to `now`.
    public mutating func completed(_ record: CallRecord, agentId: String, at now: Date) -> [QueueEvent] {
        guard var r = reported.removeValue(forKey: record.callObject) else { return [] }
        var out: [QueueEvent] = []
        if let answeredAt = record.answeredAt, !r.answered {
            r.answered = true
            out.append(.agentAnswered(callId: r.line, agentId: agentId, at: answeredAt,
                                      ringSeconds: max(0, answeredAt.timeIntervalSince(r.startedAt))))
        }
        if !r.ended {
            out += ending(r, answered: record.answeredAt != nil, transferred: record.endReason == "transferred",
                          endedAt: record.endedAt, reason: record.endReason, agentId: agentId)
        }
        if let answeredAt = record.answeredAt {
            let hold = Double(max(0, record.holdSeconds))
            let talk = max(0, record.endedAt.timeIntervalSince(answeredAt) - hold)
            out.append(.handled(callId: r.line, agentId: agentId, at: now, talkSeconds: talk, holdSeconds: hold,
                                wrapUpSeconds: max(0, now.timeIntervalSince(record.endedAt))))
        }
        return out
    }

    private func ending(_ r: Reported, answered: Bool, transferred: Bool, endedAt: Date, reason: String?, agentId: String) -> [QueueEvent] {
        if !answered {
            return [.ringEnded(callId: r.line, agentId: agentId, at: endedAt, ringSeconds: max(0, endedAt.timeIntervalSince(r.startedAt)),
                               reason: reason)]
        }
        // A transfer leg transferred again names the queue call's first Call-ID (the supervisor links either way).
        if transferred { return [.transferred(callId: r.linkedTo ?? r.line, agentId: agentId, at: endedAt, target: r.transferTarget)] }
        return []
    }
}
