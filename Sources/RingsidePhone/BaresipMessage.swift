import Foundation

/// One JSON message received from baresip's ctrl_tcp: an event or a command response.
public enum BaresipMessage: Hashable, Sendable {
    case event(BaresipEvent)
    case response(BaresipResponse)
}

/// Direction of the call an event is about, from this instance's point of view.
public enum BaresipCallDirection: String, Hashable, Sendable {
    case incoming
    case outgoing
}

/// The event types Ringside acts on. Everything else is kept as `.other` with its raw name.
///
/// Names as observed from baresip 1.0.0 (see docs/reference): note `TRANSFER` (not CALL_TRANSFER)
/// and `TRANSFER_FAILED`. `CALL_OUTGOING` does not exist in 1.0.0 but newer versions send it.
public enum BaresipEventType: Hashable, Sendable {
    case callIncoming
    case callOutgoing
    case callRinging
    case callProgress
    case callEstablished
    case callClosed
    case transfer
    case transferFailed
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "CALL_INCOMING": self = .callIncoming
        case "CALL_OUTGOING": self = .callOutgoing
        case "CALL_RINGING": self = .callRinging
        case "CALL_PROGRESS": self = .callProgress
        case "CALL_ESTABLISHED": self = .callEstablished
        case "CALL_CLOSED": self = .callClosed
        case "TRANSFER", "CALL_TRANSFER": self = .transfer
        case "TRANSFER_FAILED", "CALL_TRANSFER_FAILED": self = .transferFailed
        default: self = .other(rawValue)  // String switch: not one of our enums.
        }
    }
}

/// An event such as `{"event":true,"type":"CALL_INCOMING","class":"call",...}`.
public struct BaresipEvent: Hashable, Sendable {
    /// The raw `type` string.
    public var typeName: String
    public var type: BaresipEventType { BaresipEventType(rawValue: typeName) }
    /// `class`: `call`, `other`, `application`, `register`, ...
    public var eventClass: String?
    public var accountAOR: String?
    public var direction: BaresipCallDirection?
    public var peerURI: String?
    public var peerDisplayName: String?
    /// The SIP Call-ID (missing on the first CALL_LOCAL_SDP of an outgoing call).
    public var callID: String?
    /// Peer URI for most call events; the reason for CALL_CLOSED; the target for TRANSFER.
    public var param: String?

    public init(
        typeName: String, eventClass: String? = "call", accountAOR: String? = nil, direction: BaresipCallDirection? = nil,
        peerURI: String? = nil, peerDisplayName: String? = nil, callID: String? = nil, param: String? = nil
    ) {
        self.typeName = typeName
        self.eventClass = eventClass
        self.accountAOR = accountAOR
        self.direction = direction
        self.peerURI = peerURI
        self.peerDisplayName = peerDisplayName
        self.callID = callID
        self.param = param
    }
}

/// A command response: `{"response":true,"ok":true,"data":"...","token":"..."}`.
///
/// `ok` is not proof that something happened (baresip 1.0.0 answers `accept` with ok:true even when no call
/// rings); Ringside waits for events where baresip sends them.
public struct BaresipResponse: Hashable, Sendable {
    public var ok: Bool
    /// Human-readable menu text (not JSON).
    public var data: String
    /// Echo of the request token; absent when the request had none.
    public var token: String?

    public init(ok: Bool, data: String, token: String?) {
        self.ok = ok
        self.data = data
        self.token = token
    }
}

/// Why a netstring payload is not a baresip message.
public enum BaresipMessageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not valid UTF-8 JSON, or not an object.
    case invalidJSON(String)
    /// Neither `"event":true` nor `"response":true`.
    case notEventOrResponse(String)
    /// An event without `type`.
    case missingType(String)

    public var description: String {
        switch self {
        case .invalidJSON(let snippet): "baresip sent a frame that is not a JSON object: \(snippet)"
        case .notEventOrResponse(let snippet): "baresip sent JSON that is neither an event nor a response: \(snippet)"
        case .missingType(let snippet): "baresip sent an event without a type: \(snippet)"
        }
    }
}
