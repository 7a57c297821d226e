import Foundation

/// Something that happened to a call in the queue, as reported by the ACD (or the team simulator).
/// Times are those of the event; `QueueStats` never reads a clock.
public enum QueueEvent: Hashable, Sendable, Codable {
    /// A call entered the queue and started waiting.
    case arrived(callId: String, at: Date)
    /// An agent answered a waiting call.
    case answered(callId: String, at: Date)
    /// The caller hung up while waiting.
    case abandoned(callId: String, at: Date)
    /// The call's handling (talk, hold and wrap-up) finished after `handleSeconds`.
    case completed(callId: String, at: Date, handleSeconds: Double)

    public var callId: String {
        switch self {
        case .arrived(let id, _), .answered(let id, _), .abandoned(let id, _), .completed(let id, _, _): id
        }
    }

    public var at: Date {
        switch self {
        case .arrived(_, let at), .answered(_, let at), .abandoned(_, let at), .completed(_, let at, _): at
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
