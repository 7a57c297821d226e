import Foundation

/// Why a presence payload was rejected (counted as malformed by `TeamModel`).
public enum PresenceDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Larger than `AgentPresence.maximumPayloadBytes`.
    case tooLarge(Int)
    /// Not JSON, or missing/mistyped fields.
    case invalidJSON(String)
    /// A `schema` this build does not read.
    case unsupportedSchema(Int)
    /// The payload's `agentId` is empty or contains topic characters (`/ + #`).
    case invalidAgentId(String)
    /// The payload's `agentId` differs from the topic's last level.
    case agentIdMismatch(topic: String, payload: String)

    public var description: String {
        switch self {
        case .tooLarge(let n): "payload of \(n) bytes exceeds \(AgentPresence.maximumPayloadBytes)"
        case .invalidJSON(let why): "not a presence JSON object: \(why)"
        case .unsupportedSchema(let v): "schema \(v) is not supported (this build reads \(AgentPresence.supportedSchemas))"
        case .invalidAgentId(let id): "invalid agentId \(id.debugDescription)"
        case .agentIdMismatch(let topic, let payload): "agentId \(payload.debugDescription) does not match topic agent \(topic.debugDescription)"
        }
    }
}

extension AgentPresence {
    /// Payloads above this size are rejected unread.
    public static let maximumPayloadBytes = 16 * 1024

    /// Compact JSON, dates as ISO 8601 UTC with milliseconds, keys sorted (stable for tests).
    public func jsonData() -> Data {
        let encoder = PresenceJSON.encoder()
        // Encoding plain strings, numbers and dates cannot fail.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Decodes and validates a payload; `topicAgentId` (from the topic) must match the payload's id.
    public static func decode(_ data: Data, topicAgentId: String? = nil) throws(PresenceDecodingError) -> AgentPresence {
        guard data.count <= maximumPayloadBytes else { throw .tooLarge(data.count) }
        do { try PayloadGuard.check(data) } catch { throw .invalidJSON(error.description) }
        let decoder = PresenceJSON.decoder()
        let presence: AgentPresence
        do {
            presence = try decoder.decode(AgentPresence.self, from: data)
        } catch let error as DecodingError {
            throw .invalidJSON(Self.summary(error))
        } catch {
            throw .invalidJSON("\(error)")
        }
        guard supportedSchemas.contains(presence.schema) else { throw .unsupportedSchema(presence.schema) }
        guard PresenceTopic.isValidLevel(presence.agentId) else { throw .invalidAgentId(presence.agentId) }
        if let topicAgentId, topicAgentId != presence.agentId {
            throw .agentIdMismatch(topic: topicAgentId, payload: presence.agentId)
        }
        return presence
    }

    private static func summary(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map(\.stringValue).joined(separator: ".")
            return p.isEmpty ? "" : " at \(p)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(key.stringValue)\(path(context))"
        case .typeMismatch(_, let context): return "wrong type\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "null value\(path(context))"
        case .dataCorrupted(let context): return "corrupted\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// ISO 8601 timestamps with millisecond precision (UTC), as written in presence payloads.
public enum PresenceDate {
    /// `2026-11-30T09:15:02.123Z`.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Parses timestamps with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
