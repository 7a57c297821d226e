#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Just enough of an SMTP server to receive one message per connection:
/// 220 greeting, EHLO/HELO 250, MAIL FROM 250, RCPT TO 250 (550 for addresses in
/// `rejected`), DATA 354, "." 250, QUIT 221. No STARTTLS, no AUTH.
public final class SMTPSink: @unchecked Sendable {
    public struct Message: Sendable, Equatable {
        public var mailFrom: String
        public var recipients: [String]
        public var data: String
    }

    private let lock = NSLock()
    private var received: [Message] = []
    private var transcript: [String] = []
    private var listener: RawTCPListener?
    public let rejected: Set<String>

    public var port: UInt16 { listener?.port ?? 0 }
    public var messages: [Message] { lock.withLock { received } }
    public var commands: [String] { lock.withLock { transcript } }

    public init(rejected: Set<String> = []) throws {
        self.rejected = rejected
        listener = try RawTCPListener { [unowned self] fd in self.serve(fd) }
    }

    public func stop() { listener?.stop() }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var reader = SocketReader(fd: fd)
        var current = Message(mailFrom: "", recipients: [], data: "")
        writeAll(fd, "220 sink.test ESMTP ready\r\n")
        while let raw = reader.read(until: "\r\n") {
            let line = String(decoding: raw.utf8.dropLast(2), as: UTF8.self) // "\r\n" is one Character: trim bytes
            lock.withLock { transcript.append(line) }
            let upper = line.uppercased()
            if upper.hasPrefix("EHLO") {
                writeAll(fd, "250-sink.test greets you\r\n250 8BITMIME\r\n")
            } else if upper.hasPrefix("HELO") {
                writeAll(fd, "250 sink.test\r\n")
            } else if upper.hasPrefix("MAIL FROM:") {
                current = Message(mailFrom: Self.address(in: line), recipients: [], data: "")
                writeAll(fd, "250 OK\r\n")
            } else if upper.hasPrefix("RCPT TO:") {
                let address = Self.address(in: line)
                if rejected.contains(address) {
                    writeAll(fd, "550 5.1.1 No such user\r\n")
                } else {
                    current.recipients.append(address)
                    writeAll(fd, "250 OK\r\n")
                }
            } else if upper == "DATA" {
                writeAll(fd, "354 End data with <CR><LF>.<CR><LF>\r\n")
                guard let data = reader.read(until: "\r\n.\r\n") else { return }
                current.data = String(decoding: data.utf8.dropLast(5), as: UTF8.self)
                let message = current
                lock.withLock { received.append(message) }
                writeAll(fd, "250 OK queued\r\n")
            } else if upper == "QUIT" {
                writeAll(fd, "221 Bye\r\n")
                return
            } else if upper == "RSET" || upper == "NOOP" {
                writeAll(fd, "250 OK\r\n")
            } else {
                writeAll(fd, "502 Command not implemented\r\n")
            }
        }
    }

    private static func address(in line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line.firstIndex(of: ">"), open < close else { return "" }
        return String(line[line.index(after: open)..<close])
    }
}
