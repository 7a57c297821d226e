import Foundation

extension BaresipMessage {
    /// Decodes one netstring payload.
    public static func decode(_ payload: [UInt8]) -> Result<BaresipMessage, BaresipMessageError> {
        let snippet = Self.snippet(payload)
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(payload))
        } catch {
            return .failure(.invalidJSON(snippet))
        }
        if raw.event == true {
            guard let type = raw.type else { return .failure(.missingType(snippet)) }
            return .success(.event(BaresipEvent(
                typeName: type, eventClass: raw.class, accountAOR: raw.accountaor,
                direction: raw.direction.flatMap(BaresipCallDirection.init(rawValue:)),
                peerURI: raw.peeruri, peerDisplayName: raw.peerdisplayname, callID: raw.id, param: raw.param)))
        }
        if raw.response == true {
            return .success(.response(BaresipResponse(ok: raw.ok ?? false, data: raw.data ?? "", token: raw.token)))
        }
        return .failure(.notEventOrResponse(snippet))
    }

    /// The first 120 characters of a payload, for log lines.
    static func snippet(_ payload: [UInt8]) -> String {
        let text = String(decoding: payload.prefix(120), as: UTF8.self)
        return payload.count > 120 ? text + "…" : text
    }

    /// The wire shape; every field optional so unknown events still decode.
    private struct Raw: Decodable {
        var event: Bool?
        var response: Bool?
        var type: String?
        var `class`: String?
        var accountaor: String?
        var direction: String?
        var peeruri: String?
        var peerdisplayname: String?
        var id: String?
        var param: String?
        var ok: Bool?
        var data: String?
        var token: String?
    }
}

/// A command to baresip: `{"command":"dial","params":"sip:...","token":"t1"}`.
public struct BaresipRequest: Hashable, Sendable, Encodable {
    public var command: String
    public var params: String?
    public var token: String?

    public init(command: String, params: String? = nil, token: String? = nil) {
        self.command = command
        self.params = params
        self.token = token
    }

    /// The JSON payload (slashes unescaped; keys sorted for stable bytes).
    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        // Encoding three optional strings cannot fail.
        return (try? Array(encoder.encode(self))) ?? Array("{}".utf8)
    }

    /// The complete netstring frame.
    public func frame() -> [UInt8] {
        NetstringEncoder().encode(jsonBytes())
    }
}
