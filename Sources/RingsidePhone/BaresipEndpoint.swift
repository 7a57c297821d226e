/// Where baresip's ctrl_tcp listens, parsed from `baresip://HOST:PORT` (port defaults to 4444,
/// baresip's default `ctrl_tcp_listen`).
public struct BaresipEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public static let defaultPort: UInt16 = 4444

    public init(host: String, port: UInt16 = BaresipEndpoint.defaultPort) {
        self.host = host
        self.port = port
    }

    /// Parses `baresip://127.0.0.1:4444`, `baresip://[::1]:4444`, `baresip://localhost`.
    public init(parsing text: String) throws(BaresipEndpointError) {
        let prefix = "baresip://"
        guard text.lowercased().hasPrefix(prefix) else { throw .notABaresipURL(text) }
        var rest = Substring(text.dropFirst(prefix.count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty else { throw .missingHost(text) }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .missingHost(text) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw .invalidPort(text) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, !host.contains("/") else { throw .missingHost(text) }
        var port = BaresipEndpoint.defaultPort
        if let portText {
            guard let value = UInt16(portText), value > 0 else { throw .invalidPort(text) }
            port = value
        }
        self.init(host: String(host), port: port)
    }

    public var description: String {
        host.contains(":") ? "baresip://[\(host)]:\(port)" : "baresip://\(host):\(port)"
    }
}

/// A phone URL Ringside cannot use.
public enum BaresipEndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    case notABaresipURL(String)
    case missingHost(String)
    case invalidPort(String)

    public var description: String {
        switch self {
        case .notABaresipURL(let text):
            "'\(text)' is not a baresip URL; use baresip://HOST:PORT, e.g. baresip://127.0.0.1:4444 (baresip's ctrl_tcp_listen)"
        case .missingHost(let text):
            "'\(text)' has no host; use baresip://HOST:PORT, e.g. baresip://127.0.0.1:4444"
        case .invalidPort(let text):
            "'\(text)' has an invalid port; use a number from 1 to 65535 matching ctrl_tcp_listen in baresip's config"
        }
    }
}

extension BaresipEndpoint {
    /// Whether the link stays on this machine (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower.hasPrefix("127.")
    }

    /// A warning for links that leave this machine: ctrl_tcp has no authentication or encryption, so anyone who
    /// can reach the port can place and answer calls, and see every number.
    public var exposureWarning: String? {
        isLoopback ? nil : "baresip's ctrl_tcp at \(description) is not on this machine: it has no password or encryption, "
            + "so anyone who can reach \(host):\(port) controls the phone and sees every number. "
            + "Run baresip on this machine (ctrl_tcp_listen 127.0.0.1:\(port)) or reach it through an SSH tunnel"
    }
}
