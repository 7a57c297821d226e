import Foundation

extension QueueEvent {
    /// The longest handle time (talk, hold and wrap-up) a completed call may report: one day.
    public static let maximumHandleSeconds: TimeInterval = 86_400

    /// Decodes a queue feed payload safely: `PayloadGuard`'s structural limits first, then the event,
    /// then its meaning (a call id usable as a key; a handle time within 0…`maximumHandleSeconds`).
    /// Any failure is a `PresenceDecodingError` (counted as malformed), never a trap.
    public static func decodeBounded(_ data: Data) throws(PresenceDecodingError) -> QueueEvent {
        guard data.count <= AgentPresence.maximumPayloadBytes else { throw .tooLarge(data.count) }
        do { try PayloadGuard.check(data) } catch { throw .invalidJSON(error.description) }
        let event = try decode(data)
        guard !event.callId.isEmpty, event.callId.utf8.count <= 256 else {
            throw .invalidJSON("callId must be 1–256 bytes")
        }
        if case .completed(_, _, let seconds) = event, !(seconds.isFinite && (0...maximumHandleSeconds).contains(seconds)) {
            throw .invalidJSON("handleSeconds \(seconds) is outside 0…\(Int(maximumHandleSeconds))")
        }
        return event
    }
}
