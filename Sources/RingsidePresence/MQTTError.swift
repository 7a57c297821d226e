import CMosquitto
import RingsideCore

/// A libmosquitto failure, with what to do about it.
public enum MQTTError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The broker URL can't be used.
    case invalidURL(String, String)
    /// A tenant or agent id can't be a topic level.
    case invalidTopicLevel(String)
    /// A libmosquitto call returned an error code.
    case call(String, code: Int32)
    /// `mosquitto_new` returned NULL.
    case outOfMemory

    public var description: String {
        switch self {
        case .invalidURL(let url, let why):
            "broker URL \(URLUserInfo.redacted(url).debugDescription) is not usable: \(why). Write it like mqtt://127.0.0.1:1883 or mqtts://broker.example.com:8883"
        case .invalidTopicLevel(let level):
            "\(level.debugDescription) can't be used in an MQTT topic: use 1–128 characters without '/', '+', '#' or control characters"
        case .call(let function, let code):
            "\(function) failed: \(MQTTError.message(code)) (\(code)). \(MQTTError.advice(code))"
        case .outOfMemory:
            "mosquitto_new failed (out of memory). Close other programs and retry"
        }
    }

    /// libmosquitto's text for an error code.
    static func message(_ code: Int32) -> String {
        guard let text = mosquitto_strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    /// What to do about an error code.
    static func advice(_ code: Int32) -> String {
        switch code {
        case Int32(MOSQ_ERR_INVAL.rawValue): "A setting is out of range (host, port, keepalive, topic or QoS): check the presence settings."
        case Int32(MOSQ_ERR_NOMEM.rawValue): "Out of memory: close other programs and retry."
        case Int32(MOSQ_ERR_NO_CONN.rawValue), Int32(MOSQ_ERR_CONN_LOST.rawValue):
            "Not connected to the broker; Ringside reconnects by itself. Check that the broker is running (`mosquitto -v`)."
        case Int32(MOSQ_ERR_CONN_REFUSED.rawValue): "The broker refused the connection: check presence.username/password and the broker's ACLs."
        case Int32(MOSQ_ERR_TLS.rawValue), Int32(MOSQ_ERR_TLS_HANDSHAKE.rawValue):
            "TLS failed: check the CA file (--ca-file), that the broker's certificate matches its host name, and that the port is the TLS listener."
        case Int32(MOSQ_ERR_PAYLOAD_SIZE.rawValue), Int32(MOSQ_ERR_OVERSIZE_PACKET.rawValue): "The message is too large for the broker (message_size_limit)."
        case Int32(MOSQ_ERR_NOT_SUPPORTED.rawValue): "This libmosquitto was built without the feature (TLS?): install the Debian libmosquitto1 package."
        case Int32(MOSQ_ERR_AUTH.rawValue): "Authentication failed: check the username and password."
        case Int32(MOSQ_ERR_ACL_DENIED.rawValue): "The broker's ACL denies this topic: allow ringside/<tenant>/# for this user."
        case Int32(MOSQ_ERR_EAI.rawValue), Int32(MOSQ_ERR_LOOKUP.rawValue): "The broker's host name could not be resolved: check the URL and DNS."
        case Int32(MOSQ_ERR_ERRNO.rawValue): "A system call failed (see the message): check the host, port and firewall."
        case Int32(MOSQ_ERR_MALFORMED_UTF8.rawValue): "A topic is not valid UTF-8: check the tenant and agent id."
        default: "See the broker's log for details."
        }
    }

    /// Throws `.call` unless `code` is `MOSQ_ERR_SUCCESS`.
    static func check(_ code: Int32, _ function: String) throws(MQTTError) {
        guard code == Int32(MOSQ_ERR_SUCCESS.rawValue) else { throw .call(function, code: code) }
    }
}

/// Text and advice for a CONNACK refusal code (MQTT 3.1.1).
enum ConnackAdvice {
    static func describe(_ code: Int32) -> String {
        let text = mosquitto_connack_string(code).map { String(cString: $0) } ?? "refused (\(code))"
        switch code {
        case 1: return "\(text): the broker does not speak MQTT 3.1.1"
        case 2: return "\(text): the client id was rejected; check the agent id"
        case 3: return "\(text): the broker is unavailable; retrying"
        case 4: return "\(text): check --username and the password (RINGSIDE_MQTT_PASSWORD)"
        case 5: return "\(text): this user may not connect; check the broker's ACLs"
        default: return text
        }
    }
}
