import Foundation

/// Something that happened to a call in the queue, as reported by the ACD (or the team simulator), or one
/// agent's own view of a call it was offered (`offered`, `agentAnswered`, `ringEnded`, `handled`, `transferred`,
/// `transferLeg`).
/// Times are those of the event; `QueueStats` never reads a clock.
///
/// Agent observations are keyed by the SIP Call-ID, the same on every fork of a ring-all offer, so
/// `QueueStats` merges the forks into one queue call (see `QueueCallLedger`). JSON: one key per case
/// (`{"offered":{"callId":…,"agentId":…,"at":…}}`); optional fields may be missing, unknown fields are ignored.
public enum QueueEvent: Hashable, Sendable, Codable {
    /// A call entered the queue and started waiting.
    case arrived(callId: String, at: Date)
    /// An agent answered a waiting call.
    case answered(callId: String, at: Date)
    /// The caller hung up while waiting.
    case abandoned(callId: String, at: Date)
    /// The call's handling (talk, hold and wrap-up) finished after `handleSeconds`.
    case completed(callId: String, at: Date, handleSeconds: Double)
    /// Agent `agentId`'s phone started ringing with the call (one fork of a possibly ring-all offer).
    case offered(callId: String, agentId: String, at: Date)
    /// Agent `agentId` answered after ringing `ringSeconds` (measured on the agent's own clock).
    case agentAnswered(callId: String, agentId: String, at: Date, ringSeconds: Double)
    /// Agent `agentId`'s fork stopped ringing unanswered after `ringSeconds`: the caller hung up, another agent
    /// answered (the proxy cancelled this fork), or the agent declined. `reason` is what the phone said
    /// (`cancelled`, `answered elsewhere`, `declined`, …); whether it was an abandon is decided by the merge.
    case ringEnded(callId: String, agentId: String, at: Date, ringSeconds: Double, reason: String?)
    /// Agent `agentId` finished handling the call (its record completed): talk (excluding hold), hold and wrap-up seconds.
    case handled(callId: String, agentId: String, at: Date, talkSeconds: Double, holdSeconds: Double, wrapUpSeconds: Double)
    /// Agent `agentId` transferred the call to `target`.
    case transferred(callId: String, agentId: String, at: Date, target: String?)
    /// Agent `agentId`'s call `callId` is the new leg of queue call `originalCallId`, transferred to this agent
    /// (a blind transfer gives the leg a new SIP Call-ID): the leg's events belong to that queue call, not to a new one.
    case transferLeg(callId: String, originalCallId: String, agentId: String, at: Date)

    public var callId: String {
        switch self {
        case .arrived(let id, _), .answered(let id, _), .abandoned(let id, _), .completed(let id, _, _): id
        case .offered(let id, _, _), .agentAnswered(let id, _, _, _), .ringEnded(let id, _, _, _, _), .handled(let id, _, _, _, _, _),
             .transferred(let id, _, _, _), .transferLeg(let id, _, _, _): id
        }
    }

    public var at: Date {
        switch self {
        case .arrived(_, let at), .answered(_, let at), .abandoned(_, let at), .completed(_, let at, _): at
        case .offered(_, _, let at), .agentAnswered(_, _, let at, _), .ringEnded(_, _, let at, _, _), .handled(_, _, let at, _, _, _),
             .transferred(_, _, let at, _), .transferLeg(_, _, _, let at): at
        }
    }

    /// The agent who observed the event (nil for ACD/simulator events).
    public var agentId: String? {
        switch self {
        case .arrived, .answered, .abandoned, .completed: nil
        case .offered(_, let agent, _), .agentAnswered(_, let agent, _, _), .ringEnded(_, let agent, _, _, _),
             .handled(_, let agent, _, _, _, _), .transferred(_, let agent, _, _), .transferLeg(_, _, let agent, _): agent
        }
    }

    /// JSON as published on the queue feed (same date format as presence payloads).
    public func jsonData() -> Data {
        (try? PresenceJSON.encoder().encode(self)) ?? Data("{}".utf8)
    }

    /// Decodes a queue feed payload.
    public static func decode(_ data: Data) throws(PresenceDecodingError) -> QueueEvent {
        guard data.count <= AgentPresence.maximumPayloadBytes else { throw .tooLarge(data.count) }
        do {
            return try PresenceJSON.decoder().decode(QueueEvent.self, from: data)
        } catch {
            throw .invalidJSON("not a queue event: \(error)")
        }
    }
}

/// The JSON coders used on the presence bus.
public enum PresenceJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(PresenceDate.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = PresenceDate.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
            }
            return date
        }
        return decoder
    }
}
