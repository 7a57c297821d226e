#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A loopback TCP relay to `127.0.0.1:targetPort` that a test can cut and restore, to drop one client's link
/// (an agent's MQTT connection) while the server and its other clients (the broker, a supervisor) stay up.
/// While cut, open connections are shut down and new ones are accepted and closed at once.
public final class TCPRelay: @unchecked Sendable {
    private let targetPort: Int
    private let lock = NSLock()
    private var isOpen = true
    private var sockets: [Int32] = []
    private var listener: RawTCPListener?

    /// The relay's own port (clients connect here).
    public var port: Int { Int(listener?.port ?? 0) }

    public init(to targetPort: Int) throws {
        self.targetPort = targetPort
        listener = try RawTCPListener { [weak self] client in
            guard let self else {
                _ = close(client)
                return
            }
            self.accepted(client)
        }
    }

    deinit { stop() }

    /// Drops every relayed connection and refuses new ones until `restore()`.
    public func cut() {
        let open = lock.withLock { () -> [Int32] in
            isOpen = false
            return sockets
        }
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Relays new connections again.
    public func restore() {
        lock.withLock { isOpen = true }
    }

    /// Stops listening and drops every connection.
    public func stop() {
        cut()
        listener?.stop()
    }

    private func accepted(_ client: Int32) {
        guard lock.withLock({ isOpen }), let upstream = Self.connect(port: targetPort) else {
            close(client)
            return
        }
        lock.withLock { sockets += [client, upstream] }
        let thread = Thread { [weak self] in
            Self.pump(client, upstream)
            self?.lock.withLock { self?.sockets.removeAll { $0 == client || $0 == upstream } }
            close(client)
            close(upstream)
        }
        thread.start()
    }

    /// Copies bytes both ways until either side ends.
    private static func pump(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let ready = poll(&fds, 2, 1000)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            for i in 0..<2 where fds[i].revents != 0 {
                let from = fds[i].fd, to = fds[1 - i].fd
                let n = read(from, &buffer, buffer.count)
                if n <= 0 { return }
                var sent = 0
                while sent < n {
                    let w = buffer.withUnsafeBytes { write(to, $0.baseAddress! + sent, n - sent) }
                    if w <= 0 { return }
                    sent += w
                }
            }
        }
    }

    private static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
