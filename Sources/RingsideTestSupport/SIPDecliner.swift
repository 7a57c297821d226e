import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny SIP UDP endpoint on 127.0.0.1 that answers every INVITE with a fixed final status (e.g. `603 Decline`).
///
/// baresip 1.0.0's `hangup` can only reject with 486, so this stands in for a callee that declines.
public final class SIPDecliner: Sendable {
    /// A socket call failed while setting up the responder.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    public let port: Int
    private let fd: Int32
    private let status: String

    public init(status: String) throws {
        self.status = status
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: errno \(errno)") }
        guard let port = LoopbackPort.bindAnyPort(fd) else { close(fd); throw Failure("bind: errno \(errno)") }
        self.fd = fd
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var peer = sockaddr_storage()
            var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &peerLength) }
                }
            }
            guard count > 0 else {
                close(fd)  // stop() shut the socket down; the serving thread owns the close
                return
            }
            let request = String(decoding: buffer[0..<count], as: UTF8.self)
            guard let reply = response(to: request) else { continue }
            let bytes = Array(reply.utf8)
            _ = bytes.withUnsafeBytes { raw in
                withUnsafePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, raw.baseAddress, raw.count, 0, $0, peerLength) }
                }
            }
        }
    }

    /// `100 Trying`-less final response to INVITE (and 200 to CANCEL/BYE); nil for ACK and others.
    public func response(to request: String) -> String? {
        let lines = request.components(separatedBy: "\r\n")
        guard let first = lines.first else { return nil }
        let method = first.split(separator: " ").first.map(String.init) ?? ""
        let statusLine: String
        switch method {
        case "INVITE": statusLine = status
        case "CANCEL", "BYE", "OPTIONS": statusLine = "200 OK"
        default: return nil
        }
        func headers(_ name: String, short: String) -> [String] {
            lines.filter { line in
                let lower = line.lowercased()
                return lower.hasPrefix(name.lowercased() + ":") || lower.hasPrefix(short + ":")
            }
        }
        var out = ["SIP/2.0 \(statusLine)"]
        out += headers("Via", short: "v")
        out += headers("From", short: "f")
        out += headers("To", short: "t").map { $0.contains(";tag=") ? $0 : $0 + ";tag=decliner1" }
        out += headers("Call-ID", short: "i")
        out += headers("CSeq", short: "cseq-unused")
        out += ["Content-Length: 0", "", ""]
        return out.joined(separator: "\r\n")
    }

    public func stop() {
        // Wakes the blocked recvfrom (Linux returns 0 on a shut-down UDP socket); serve() then closes the fd.
        shutdown(fd, Int32(SHUT_RDWR))
    }
}
