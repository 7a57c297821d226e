import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A headless baresip 1.0.0 for end-to-end tests, with a tiny ctrl_tcp client (netstring-framed JSON).
///
/// EndToEndTests does not link RingsidePhone, so this is a self-contained, smaller cousin of
/// `Tests/RingsidePhoneTests/Support/BaresipHarness.swift`: same config recipe (reference: baresip-ctrl-tcp.md §2–3),
/// a block of 20 free ports per instance (SIP on `base`, SIP/TLS `base+1`, ctrl_tcp `base+2`, RTP `base+10…19`).
final class BaresipPeer: @unchecked Sendable {
    // @unchecked: started and stopped from the test's thread only; the client locks its own state.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let binary = "/usr/bin/baresip"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let name: String
    let user: String
    let directory: URL
    private(set) var sipPort = 0
    private(set) var ctrlPort = 0
    private var process: Process?

    /// `sip:USER@127.0.0.1:PORT`: what others dial.
    var uri: String { "sip:\(user)@127.0.0.1:\(sipPort)" }
    /// `sip:USER@127.0.0.1`: what the callee sees.
    var aor: String { "sip:\(user)@127.0.0.1" }
    var linkURL: String { "baresip://127.0.0.1:\(ctrlPort)" }
    var log: String { (try? String(contentsOf: directory.appendingPathComponent("baresip.log"), encoding: .utf8)) ?? "" }

    /// Writes the config and starts baresip; returns when it is ready (log line and ctrl_tcp accepting).
    /// `account`: the accounts line (default: `"NAME" <sip:USER@127.0.0.1>;regint=0;answermode=manual`, no registrar).
    init(name: String, user: String, account: String? = nil) throws {
        self.name = name
        self.user = user
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-e2e-sip-\(name)-\(UUID().uuidString.prefix(8))")
        // A port found free can be taken by another process before baresip binds it: try a few blocks.
        var attempt = 0
        while true {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try ((account ?? "\"\(name)\" <sip:\(user)@127.0.0.1>;regint=0;answermode=manual") + "\n")
                .write(to: directory.appendingPathComponent("accounts"), atomically: true, encoding: .utf8)
            let base = try Self.freePortBlock()
            sipPort = base
            ctrlPort = base + 2
            try Self.config(name: name, base: base).write(to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
            do {
                try start()
                return
            } catch let failure as Failure where failure.description.contains("Address already in use") && attempt < 4 {
                attempt += 1
            }
        }
    }

    static func config(name: String, base: Int) -> String {
        """
        poll_method epoll
        sip_listen 127.0.0.1:\(base)
        net_interface 127.0.0.1
        dns_server 127.0.0.1:53
        call_local_timeout 120
        call_max_calls 4
        audio_player aubridge,\(name)
        audio_source ausine,440
        audio_alert aubridge,\(name)
        ausrc_srate 48000
        ausrc_channels 2
        rtp_ports \(base + 10)-\(base + 19)
        module_path /usr/lib/baresip/modules
        module g711.so
        module ausine.so
        module aubridge.so
        module_tmp account.so
        module_app menu.so
        module_app ctrl_tcp.so
        ctrl_tcp_listen 127.0.0.1:\(base + 2)

        """
    }

    private func start() throws {
        let logURL = directory.appendingPathComponent("baresip.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: logURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["-4", "-f", directory.path]
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = output
        process.standardError = output
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            if log.contains("baresip is ready."), Self.canConnect(port: ctrlPort) { return }
            usleep(50_000)
        }
        let text = log
        stop()
        throw Failure(description: "baresip \(name) did not become ready; log:\n\(text)")
    }

    /// Waits until baresip's log contains `text` (e.g. a registrar's `200 OK`).
    func waitForLog(_ text: String, timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains(text) { return }
            usleep(20_000)
        }
        throw Failure(description: "baresip \(name): no “\(text)” in the log after \(Int(timeout)) s; log:\n\(log)")
    }

    /// SIGTERM (baresip ends its calls with BYE), then SIGKILL after 3 s; removes the temp dir.
    func stop() {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    // MARK: Ports

    private static func freePortBlock() throws -> Int {
        for _ in 0..<200 {
            let base = 10000 + 20 * Int.random(in: 0..<1100)
            let ports = [base, base + 1, base + 2] + Array(base + 10...base + 19)
            if ports.allSatisfy({ isFree($0, type: Int32(SOCK_STREAM.rawValue)) && isFree($0, type: Int32(SOCK_DGRAM.rawValue)) }) {
                return base
            }
        }
        throw Failure(description: "no free block of ports between 10000 and 32000")
    }

    private static func isFree(_ port: Int, type: Int32) -> Bool {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        if connected { return fd }
        close(fd)
        return nil
    }

    static func canConnect(port: Int) -> Bool {
        guard let fd = connect(port: port) else { return false }
        close(fd)
        return true
    }
}

/// A ctrl_tcp client for a remote party: sends commands, records every event and response as a JSON object.
/// Note baresip accepts one ctrl_tcp client per instance (a new one replaces the old).
final class BaresipControl: @unchecked Sendable {
    // @unchecked: `messages` and `token` are guarded by `lock`; `fd` is immutable.
    private let fd: Int32
    private let lock = NSLock()
    private var messages: [[String: Any]] = []
    private var token = 0

    init(port: Int) throws {
        guard let fd = BaresipPeer.connect(port: port) else { throw BaresipPeer.Failure(description: "cannot connect to ctrl_tcp \(port)") }
        self.fd = fd
        Thread { [self] in readLoop() }.start()
    }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    deinit { close() }

    private func readLoop() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                Glibc.close(fd)
                return
            }
            buffer += chunk[0..<count]
            // Netstrings: <length>:<payload>,
            while let colon = buffer.firstIndex(of: UInt8(ascii: ":")),
                  let length = Int(String(decoding: buffer[..<colon], as: UTF8.self)),
                  buffer.count >= colon + 1 + length + 1 {
                let payload = Data(buffer[(colon + 1)..<(colon + 1 + length)])
                buffer.removeFirst(colon + 1 + length + 1)
                if let object = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any] {
                    lock.withLock { messages.append(object) }
                }
            }
        }
    }

    /// Sends `command` (with `params`) and waits for its response; returns it.
    @discardableResult
    func command(_ command: String, _ params: String? = nil, timeout: TimeInterval = 5) throws -> [String: Any] {
        let token = lock.withLock { () -> String in
            self.token += 1
            return "e2e\(self.token)"
        }
        var request: [String: Any] = ["command": command, "token": token]
        if let params { request["params"] = params }
        let json = try JSONSerialization.data(withJSONObject: request)
        let frame = Array("\(json.count):".utf8) + Array(json) + Array(",".utf8)
        let sent = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == frame.count else { throw BaresipPeer.Failure(description: "ctrl_tcp send of \(command) failed") }
        return try waitFor("response to \(command)", timeout: timeout) { $0["response"] as? Bool == true && $0["token"] as? String == token }
    }

    /// How many messages arrived so far (pass it as `after` to wait only for newer ones).
    var received: Int { lock.withLock { messages.count } }

    /// Waits for an event of `type` (optionally about call `id`, optionally among messages after the first `after`).
    @discardableResult
    func waitForEvent(_ type: String, id: String? = nil, after: Int = 0, timeout: TimeInterval = 5) throws -> [String: Any] {
        try waitFor("\(type) event", after: after, timeout: timeout) {
            $0["event"] as? Bool == true && $0["type"] as? String == type && (id == nil || $0["id"] as? String == id)
        }
    }

    /// Waits for an event of `type` whose `peeruri` contains `peer`.
    @discardableResult
    func waitForEvent(_ type: String, peer: String, timeout: TimeInterval = 5) throws -> [String: Any] {
        try waitFor("\(type) event with \(peer)", timeout: timeout) {
            $0["event"] as? Bool == true && $0["type"] as? String == type && ($0["peeruri"] as? String)?.contains(peer) == true
        }
    }

    private func waitFor(_ what: String, after: Int = 0, timeout: TimeInterval, _ matches: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = lock.withLock({ messages.dropFirst(after).first(where: matches) }) { return found }
            usleep(5_000)
        }
        throw BaresipPeer.Failure(description: "timed out waiting for \(what)")
    }
}
