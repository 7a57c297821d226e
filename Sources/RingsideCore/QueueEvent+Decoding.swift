import Foundation

extension QueueEvent {
    /// The longest handle time (talk, hold and wrap-up) a completed call may report: one day.
    public static let maximumHandleSeconds: TimeInterval = 86_400

    /// Decodes a queue feed payload safely: `PayloadGuard`'s structural limits first, then the event,
    /// then its meaning (a call id usable as a key; durations within range, see `outOfRange`).
    /// Any failure is a `PresenceDecodingError` (counted as malformed), never a trap.
    public static func decodeBounded(_ data: Data) throws(PresenceDecodingError) -> QueueEvent {
        guard data.count <= AgentPresence.maximumPayloadBytes else { throw .tooLarge(data.count) }
        do { try PayloadGuard.check(data) } catch { throw .invalidJSON(error.description) }
        let event = try decode(data)
        guard !event.callId.isEmpty, event.callId.utf8.count <= 256 else {
            throw .invalidJSON("callId must be 1–256 bytes")
        }
        if case .transferLeg(_, let original, _, _) = event, original.isEmpty || original.utf8.count > 256 {
            throw .invalidJSON("originalCallId must be 1–256 bytes")
        }
        if let why = event.outOfRange { throw .invalidJSON(why) }
        return event
    }

    /// Why the event's durations or agent id are out of range (nil when they are fine): every duration —
    /// handle, ring, talk, hold, wrap-up — must be finite and within 0…`maximumHandleSeconds`; an agent id 1–256 bytes.
    public var outOfRange: String? {
        func check(_ name: String, _ seconds: Double) -> String? {
            seconds.isFinite && (0...Self.maximumHandleSeconds).contains(seconds) ? nil
                : "\(name) \(seconds) is outside 0…\(Int(Self.maximumHandleSeconds))"
        }
        if let agentId, agentId.isEmpty || agentId.utf8.count > 256 { return "agentId must be 1–256 bytes" }
        if case .completed(_, _, let seconds) = self { return check("handleSeconds", seconds) }
        if case .agentAnswered(_, _, _, let ring) = self { return check("ringSeconds", ring) }
        if case .ringEnded(_, _, _, let ring, _) = self { return check("ringSeconds", ring) }
        if case .handled(_, _, _, let talk, let hold, let wrapUp) = self {
            return check("talkSeconds", talk) ?? check("holdSeconds", hold) ?? check("wrapUpSeconds", wrapUp)
        }
        return nil
    }
}
