import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A port free on 127.0.0.1 now (bound to port 0, then released), for test servers that take a port number.
public enum LoopbackPort {
    public enum Kind {
        case tcp, udp
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func free(_ kind: Kind) throws -> Int {
        let type = switch kind {
        case .tcp: SOCK_STREAM
        case .udp: SOCK_DGRAM
        }
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        guard let port = bindAnyPort(fd) else { throw Failure(description: "could not find a free \(kind) port: errno \(errno)") }
        return port
    }

    /// Binds `fd` to a port the kernel picks on 127.0.0.1 and returns that port (nil, with `errno` set, on failure):
    /// for listeners that keep their socket.
    public static func bindAnyPort(_ fd: Int32) -> Int? {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: addr.sin_port)) : nil
    }

    /// Whether `port` can be bound on 127.0.0.1 now (for servers that also bind a neighbour of their port, as baresip
    /// binds SIP/TLS on the SIP port + 1).
    public static func isFree(_ port: Int, _ kind: Kind) -> Bool {
        let type = switch kind {
        case .tcp: SOCK_STREAM
        case .udp: SOCK_DGRAM
        }
        guard (1...65_535).contains(port) else { return false }
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return withAddress(port) { bind(fd, $0, $1) == 0 }
    }

    /// A TCP connection to 127.0.0.1:`port` (the caller closes it), or nil when nothing accepts there.
    public static func connect(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if withAddress(port, { Glibc.connect(fd, $0, $1) == 0 }) { return fd }
        close(fd)
        return nil
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now (a server's readiness).
    public static func accepts(_ port: Int) -> Bool {
        guard let fd = connect(port) else { return false }
        close(fd)
        return true
    }

    private static func withAddress(_ port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Bool) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
