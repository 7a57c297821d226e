#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A blocking POSIX TCP listener on 127.0.0.1 for behaviour FlyingFox cannot produce
/// (closing without a reply, speaking SMTP). Each accepted connection is handed to
/// `handler` on the listener's own thread, one at a time.
public final class RawTCPListener: @unchecked Sendable {
    public let port: UInt16
    private let fd: Int32

    enum SetupError: Error { case socket(String) }

    public init(handler: @escaping @Sendable (Int32) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SetupError.socket("socket: \(errno)") }
        var yes: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            close(fd)
            throw SetupError.socket("setsockopt: \(errno)")
        }
        guard let port = LoopbackPort.bindAnyPort(fd), listen(fd, 16) == 0 else {
            close(fd)
            throw SetupError.socket("bind/listen: \(errno)")
        }
        self.fd = fd
        self.port = UInt16(port)
        let thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return
                }
                handler(client)
            }
        }
        thread.start()
    }

    /// Stops accepting (wakes the blocked `accept`) and closes the socket.
    public func stop() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
        _ = close(fd)
    }

    /// A port nothing listens on: bound once, then closed.
    public static func closedPort() throws -> UInt16 {
        let listener = try RawTCPListener { client in _ = close(client) }
        let port = listener.port
        listener.stop()
        return port
    }
}

/// Line/terminator reading over a blocking socket.
public struct SocketReader {
    public let fd: Int32
    private var buffer: [UInt8] = []

    public init(fd: Int32) { self.fd = fd }

    /// Reads until `terminator` has been seen; returns everything up to and including it,
    /// or nil when the peer closed first.
    public mutating func read(until terminator: String) -> String? {
        let marker = Array(terminator.utf8)
        while true {
            if let range = Self.find(marker, in: buffer) {
                let chunk = Array(buffer[..<range])
                buffer.removeFirst(range)
                return String(decoding: chunk, as: UTF8.self)
            }
            var scratch = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &scratch, scratch.count, 0)
            if count <= 0 { return nil }
            buffer.append(contentsOf: scratch[..<count])
        }
    }

    private static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where Array(bytes[start..<(start + marker.count)]) == marker {
            return start + marker.count
        }
        return nil
    }
}

public func writeAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    while !bytes.isEmpty {
        let sent = send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL))
        if sent <= 0 { return }
        bytes.removeFirst(sent)
    }
}
