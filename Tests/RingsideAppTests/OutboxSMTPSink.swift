// Copied from Tests/RingsideCurlTests (RawTCPListener.swift, SMTPSink.swift): test targets cannot share files.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A blocking POSIX TCP listener on 127.0.0.1 for behaviour FlyingFox cannot produce
/// (closing without a reply, speaking SMTP). Each accepted connection is handed to
/// `handler` on the listener's own thread, one at a time.
final class OutboxTCPListener: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32

    enum SetupError: Error { case socket(String) }

    init(handler: @escaping @Sendable (Int32) -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SetupError.socket("socket: \(errno)") }
        var yes: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            close(fd)
            throw SetupError.socket("setsockopt: \(errno)")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw SetupError.socket("bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw SetupError.socket("getsockname: \(errno)")
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
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
    func stop() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
        _ = close(fd)
    }

    /// A port nothing listens on: bound once, then closed.
    static func closedPort() throws -> UInt16 {
        let listener = try OutboxTCPListener { client in _ = close(client) }
        let port = listener.port
        listener.stop()
        return port
    }
}

/// Line/terminator reading over a blocking socket.
struct OutboxSocketReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// Reads until `terminator` has been seen; returns everything up to and including it,
    /// or nil when the peer closed first.
    mutating func read(until terminator: String) -> String? {
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

func outboxWriteAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    while !bytes.isEmpty {
        let sent = send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL))
        if sent <= 0 { return }
        bytes.removeFirst(sent)
    }
}

/// Just enough of an SMTP server to receive one message per connection:
/// 220 greeting, EHLO/HELO 250, MAIL FROM 250, RCPT TO 250 (550 for addresses in
/// `rejected`), DATA 354, "." 250, QUIT 221. No STARTTLS, no AUTH.
final class OutboxSMTPSink: @unchecked Sendable {
    struct Message: Sendable, Equatable {
        var mailFrom: String
        var recipients: [String]
        var data: String
    }

    private let lock = NSLock()
    private var received: [Message] = []
    private var transcript: [String] = []
    private var listener: OutboxTCPListener?
    let rejected: Set<String>

    var port: UInt16 { listener?.port ?? 0 }
    var messages: [Message] { lock.withLock { received } }
    var commands: [String] { lock.withLock { transcript } }

    init(rejected: Set<String> = []) throws {
        self.rejected = rejected
        listener = try OutboxTCPListener { [unowned self] fd in self.serve(fd) }
    }

    func stop() { listener?.stop() }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var reader = OutboxSocketReader(fd: fd)
        var current = Message(mailFrom: "", recipients: [], data: "")
        outboxWriteAll(fd, "220 sink.test ESMTP ready\r\n")
        while let raw = reader.read(until: "\r\n") {
            let line = String(decoding: raw.utf8.dropLast(2), as: UTF8.self) // "\r\n" is one Character: trim bytes
            lock.withLock { transcript.append(line) }
            let upper = line.uppercased()
            if upper.hasPrefix("EHLO") {
                outboxWriteAll(fd, "250-sink.test greets you\r\n250 8BITMIME\r\n")
            } else if upper.hasPrefix("HELO") {
                outboxWriteAll(fd, "250 sink.test\r\n")
            } else if upper.hasPrefix("MAIL FROM:") {
                current = Message(mailFrom: Self.address(in: line), recipients: [], data: "")
                outboxWriteAll(fd, "250 OK\r\n")
            } else if upper.hasPrefix("RCPT TO:") {
                let address = Self.address(in: line)
                if rejected.contains(address) {
                    outboxWriteAll(fd, "550 5.1.1 No such user\r\n")
                } else {
                    current.recipients.append(address)
                    outboxWriteAll(fd, "250 OK\r\n")
                }
            } else if upper == "DATA" {
                outboxWriteAll(fd, "354 End data with <CR><LF>.<CR><LF>\r\n")
                guard let data = reader.read(until: "\r\n.\r\n") else { return }
                current.data = String(decoding: data.utf8.dropLast(5), as: UTF8.self)
                let message = current
                lock.withLock { received.append(message) }
                outboxWriteAll(fd, "250 OK queued\r\n")
            } else if upper == "QUIT" {
                outboxWriteAll(fd, "221 Bye\r\n")
                return
            } else if upper == "RSET" || upper == "NOOP" {
                outboxWriteAll(fd, "250 OK\r\n")
            } else {
                outboxWriteAll(fd, "502 Command not implemented\r\n")
            }
        }
    }

    private static func address(in line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line.firstIndex(of: ">"), open < close else { return "" }
        return String(line[line.index(after: open)..<close])
    }
}
