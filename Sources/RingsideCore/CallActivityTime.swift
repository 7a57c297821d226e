import Foundation

/// What an agent is doing with a call, for the time-per-activity figures beside the WFM categories.
public enum CallActivity: String, Hashable, Sendable, Codable, CaseIterable {
    /// On an answered call, not on hold.
    case talk = "Talk"
    /// On an answered call the agent put on hold.
    case hold = "Hold"
    /// After the call, finishing the record.
    case wrapUp = "Wrap-up"

    /// The activity a presence shows (nil: no call activity — ringing, ready, not ready, offline).
    public init?(_ presence: AgentPresence) {
        switch presence.state {
        case .onCall:
            guard let call = presence.call, call.answeredAt != nil else { return nil }
            self = call.heldSince == nil ? .talk : .hold
        case .wrapUp:
            self = .wrapUp
        case .ready, .notReady, .offline:
            return nil
        }
    }
}

/// Time in talk, hold and wrap-up across a team, from presence changes. Pure: times are passed in.
///
/// An interval opens when an agent's activity changes and starts at the later of `trackingStart` and when the
/// activity began (answer for talk, `heldSince` for hold, `since` for wrap-up; the moment observed when talk
/// resumes after hold), never after the moment observed; the previous activity ends there (so nothing counts twice).
public struct CallActivityTime: Sendable {
    public let trackingStart: Date
    private var closed: [CallActivity: TimeInterval] = [:]
    private var open: [String: (activity: CallActivity, from: Date)] = [:]

    public init(trackingStart: Date) {
        self.trackingStart = trackingStart
    }

    /// Records an agent's presence observed at `now`.
    public mutating func apply(_ presence: AgentPresence, at now: Date) {
        let next = CallActivity(presence)
        let previous = open[presence.agentId]
        if let previous, previous.activity == next { return }
        // When the new activity began (or, with none, when the new state began): the previous one ends there.
        let began: Date
        switch next {
        case .talk: began = previous?.activity == .hold ? now : (presence.call?.answeredAt ?? now)
        case .hold: began = presence.call?.heldSince ?? now
        case .wrapUp: began = presence.since
        case nil: began = presence.since
        }
        let boundary = max(trackingStart, min(began, now))
        close(agentId: presence.agentId, at: max(previous?.from ?? boundary, boundary))
        guard let next else { return }
        open[presence.agentId] = (next, boundary)
    }

    /// Stops counting for an agent (removed from the team).
    public mutating func remove(agentId: String, at now: Date) { close(agentId: agentId, at: now) }

    /// Seconds per activity up to `now` (every activity present).
    public func totals(at now: Date) -> [CallActivity: TimeInterval] {
        var totals = closed
        for (activity, from) in open.values { totals[activity, default: 0] += max(0, now.timeIntervalSince(from)) }
        for activity in CallActivity.allCases where totals[activity] == nil { totals[activity] = 0 }
        return totals
    }

    private mutating func close(agentId: String, at now: Date) {
        guard let interval = open.removeValue(forKey: agentId) else { return }
        closed[interval.activity, default: 0] += max(0, now.timeIntervalSince(interval.from))
    }
}
