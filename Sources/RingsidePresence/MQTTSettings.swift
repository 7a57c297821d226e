import Foundation
import RingsideCore

/// How to reach the MQTT broker.
public struct MQTTSettings: Hashable, Sendable {
    public var host: String
    public var port: Int
    /// TLS (`mqtts://`, or a CA file given).
    public var tls: Bool
    /// Topic prefix level: `ringside/<tenant>/…`.
    public var tenant: String
    public var username: String?
    public var password: String?
    /// PEM file of the CA(s) that signed the broker's certificate (TLS).
    public var caFile: String?
    /// Folder of hashed CA certificates (TLS), e.g. /etc/ssl/certs.
    public var caPath: String?
    /// Keep-alive seconds (the broker publishes the will about 1.5× this after a silent death).
    public var keepAlive: Int
    /// Reconnect backoff, seconds: first delay and maximum (exponential in between).
    public var reconnectDelay: Int
    public var reconnectDelayMax: Int

    public init(host: String = "127.0.0.1", port: Int = 1883, tls: Bool = false, tenant: String = "default", username: String? = nil,
                password: String? = nil, caFile: String? = nil, caPath: String? = nil, keepAlive: Int = 10,
                reconnectDelay: Int = 1, reconnectDelayMax: Int = 10) {
        self.host = host
        self.port = port
        self.tls = tls
        self.tenant = tenant
        self.username = username
        self.password = password
        self.caFile = caFile
        self.caPath = caPath
        self.keepAlive = keepAlive
        self.reconnectDelay = reconnectDelay
        self.reconnectDelayMax = reconnectDelayMax
    }

    /// Parses `mqtt://host[:port]` (default 1883) or `mqtts://host[:port]` (TLS, default 8883).
    /// User and password may be given in the URL (`mqtt://user:pass@host`), but prefer the options.
    public init(url: String, tenant: String) throws(MQTTError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw .invalidURL(url, "it is not a URL")
        }
        let tls: Bool
        switch scheme {
        case "mqtt", "tcp": tls = false
        case "mqtts", "ssl": tls = true
        default: throw .invalidURL(url, "the scheme must be mqtt or mqtts")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidURL(url, "there is no host") }
        let port = components.port ?? (tls ? 8883 : 1883)
        guard (1...65535).contains(port) else { throw .invalidURL(url, "the port must be 1–65535") }
        guard PresenceTopic.isValidLevel(tenant) else { throw .invalidTopicLevel(tenant) }
        self.init(host: host, port: port, tls: tls, tenant: tenant, username: components.user, password: components.password)
    }

    /// `mqtt://host:port` without credentials (for titles and logs).
    public var displayURL: String { "\(tls ? "mqtts" : "mqtt")://\(host):\(port)" }
}
