#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed socket call, with the errno text.
public enum BaresipSocketError: Error, Hashable, Sendable, CustomStringConvertible {
    case resolve(host: String, message: String)
    case socket(call: String, errno: Int32)
    case connectTimedOut(seconds: Int)
    case closedByPeer

    public var description: String {
        switch self {
        case .resolve(let host, let message): "cannot resolve \(host): \(message)"
        case .socket(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .connectTimedOut(let seconds): "connect timed out after \(seconds) s"
        case .closedByPeer: "baresip closed the connection (another ctrl_tcp client connected, or baresip stopped)"
        }
    }
}

/// A connected TCP socket (blocking I/O). Thin wrapper: every C return code checked.
final class BaresipSocket: @unchecked Sendable {
    // @unchecked: `fd` is immutable; concurrent read (reader thread) and write (callers under the link's write lock)
    // on one socket are safe at the OS level; `shutdown` from another thread is how the reader is woken.
    let fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    /// Connects to host:port, trying each resolved address, with a connect timeout.
    static func connect(host: String, port: UInt16, timeoutSeconds: Int = 3) throws(BaresipSocketError) -> BaresipSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolve(host: host, message: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var lastError = BaresipSocketError.socket(call: "connect", errno: ECONNREFUSED)
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            do {
                return try connectOne(info.pointee, timeoutSeconds: timeoutSeconds)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func connectOne(_ info: addrinfo, timeoutSeconds: Int) throws(BaresipSocketError) -> BaresipSocket {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { throw .socket(call: "socket", errno: errno) }
        var ok = false
        defer { if !ok { _ = Glibc.close(fd) } }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { throw .socket(call: "fcntl(F_GETFL)", errno: errno) }
        guard fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { throw .socket(call: "fcntl(O_NONBLOCK)", errno: errno) }
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw .socket(call: "connect", errno: errno) }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var ready: Int32
            repeat { ready = poll(&pfd, 1, Int32(timeoutSeconds * 1000)) } while ready < 0 && errno == EINTR
            guard ready >= 0 else { throw .socket(call: "poll", errno: errno) }
            guard ready > 0 else { throw .connectTimedOut(seconds: timeoutSeconds) }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 else {
                throw .socket(call: "getsockopt(SO_ERROR)", errno: errno)
            }
            guard soError == 0 else { throw .socket(call: "connect", errno: soError) }
        }
        guard fcntl(fd, F_SETFL, flags) == 0 else { throw .socket(call: "fcntl(blocking)", errno: errno) }
        var one: Int32 = 1
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .socket(call: "setsockopt(TCP_NODELAY)", errno: errno)
        }
        ok = true
        return BaresipSocket(fd: fd)
    }

    /// Writes all bytes (no SIGPIPE).
    func write(_ bytes: [UInt8]) throws(BaresipSocketError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .socket(call: "send", errno: errno)
            }
            sent += n
        }
    }

    /// Reads up to `capacity` bytes; throws `.closedByPeer` on EOF.
    func read(capacity: Int = 65536) throws(BaresipSocketError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: capacity)
        while true {
            #if canImport(Glibc)
            // Ack immediately: baresip writes replies in pieces without TCP_NODELAY, so a delayed ACK here
            // would stall every response by ~40 ms (Nagle on its side). Best effort; failure only costs latency.
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_QUICKACK, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, capacity, 0) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 { throw .closedByPeer }
            if errno == EINTR { continue }
            throw .socket(call: "recv", errno: errno)
        }
    }

    /// Wakes a blocked `read` (it then fails or sees EOF). Errors are irrelevant here: the socket is going away.
    func shutdownBoth() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    deinit {
        _ = Glibc.close(fd)
    }
}
