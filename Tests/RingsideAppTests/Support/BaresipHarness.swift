import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import RingsidePhone
import RingsideCore

/// Why the harness could not run baresip.
enum BaresipHarnessError: Error, CustomStringConvertible {
    case notInstalled(String)
    case noFreePorts
    case notReady(name: String, log: String)
    case clientFailed(String)
    case timedOut(String)

    var description: String {
        switch self {
        case .notInstalled(let path): "baresip not found at \(path); install it with `apt-get install -y baresip-core`"
        case .noFreePorts: "could not find a free block of 20 ports between 10000 and 32000"
        case .notReady(let name, let log): "baresip '\(name)' did not become ready; its log:\n\(log)"
        case .clientFailed(let message): "raw ctrl_tcp client: \(message)"
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

/// Runs headless baresip 1.0.0 instances on 127.0.0.1 for one test.
///
/// A trimmed copy of `Tests/RingsidePhoneTests/Support/BaresipHarness.swift` (test targets cannot share files), with
/// two additions for runtime tests: each instance's account has its own SIP user (numeric, so Ringside's number
/// parser and directory lookup see a phone number in `sip:+447814256404@127.0.0.1`), and optional account
/// parameters (`;outbound="sip:127.0.0.1:PORT"` makes another instance act as the agent's PBX, so a dialled number
/// such as `+447814256404` is routed the way a real SIP account routes it). `PhoneEventRecorder` is not copied.
///
/// Each instance gets a block of 20 ports checked free: SIP on `base` (baresip also binds `base+1` for SIP/TLS,
/// the gap the reference describes), ctrl_tcp on `base+2`, RTP on `base+10...base+19`. Config and log live in a
/// temp dir removed by `stopAll()`. Use `BaresipHarness.with { harness in ... }` so instances are always stopped.
final class BaresipHarness: @unchecked Sendable {
    // @unchecked: instances are started and stopped from the test's task only.
    static let binary = "/usr/bin/baresip"
    /// Port blocks already handed out in this test process.
    nonisolated(unsafe) private static var usedBlocks: Set<Int> = []
    private static let blockLock = NSLock()

    /// One baresip process.
    final class Instance: @unchecked Sendable {
        let name: String
        /// The account's user part (`+447814256404`, `2001`).
        let user: String
        /// Extra account parameters after `;answermode=…` (e.g. `;outbound="sip:127.0.0.1:15080"`).
        let accountParams: String
        let directory: URL
        let sipPort: Int
        let ctrlPort: Int
        let rtpRange: ClosedRange<Int>
        let answerMode: String
        let extraConfig: String
        private(set) var process: Process?

        /// The account's SIP URI, including the port (`sip:2001@127.0.0.1:15080`).
        var uri: String { "sip:\(user)@127.0.0.1:\(sipPort)" }
        /// What peers see as the caller (`sip:2001@127.0.0.1`).
        var aor: String { "sip:\(user)@127.0.0.1" }
        /// `outbound` account parameter that routes this instance's calls through `self` (acting as a PBX).
        var asOutboundProxy: String { ";outbound=\"sip:127.0.0.1:\(sipPort)\"" }
        var linkURL: String { "baresip://127.0.0.1:\(ctrlPort)" }
        var logURL: URL { directory.appendingPathComponent("baresip.log") }
        var pid: Int32? { process.flatMap { $0.isRunning ? $0.processIdentifier : nil } }

        init(name: String, user: String, accountParams: String, directory: URL, base: Int, answerMode: String, extraConfig: String) {
            self.name = name
            self.user = user
            self.accountParams = accountParams
            self.directory = directory
            self.sipPort = base
            self.ctrlPort = base + 2
            self.rtpRange = (base + 10)...(base + 19)
            self.answerMode = answerMode
            self.extraConfig = extraConfig
        }

        func writeConfig() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = """
            poll_method\t\tepoll
            sip_listen\t\t127.0.0.1:\(sipPort)
            net_interface\t\t127.0.0.1
            dns_server\t\t127.0.0.1:53
            call_local_timeout\t120
            call_max_calls\t\t4
            audio_player\t\taubridge,\(name)
            audio_source\t\tausine,440
            audio_alert\t\taubridge,\(name)
            ausrc_srate\t\t48000
            ausrc_channels\t\t2
            rtp_ports\t\t\(rtpRange.lowerBound)-\(rtpRange.upperBound)
            module_path\t\t/usr/lib/baresip/modules
            module\t\t\tg711.so
            module\t\t\tausine.so
            module\t\t\taubridge.so
            module_tmp\t\taccount.so
            module_app\t\tmenu.so
            module_app\t\tctrl_tcp.so
            ctrl_tcp_listen\t\t127.0.0.1:\(ctrlPort)
            \(extraConfig)
            """
            try config.write(to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
            let display = name.prefix(1).uppercased() + name.dropFirst()
            try "\"\(display)\" <sip:\(user)@127.0.0.1>;regint=0;answermode=\(answerMode)\(accountParams)\n"
                .write(to: directory.appendingPathComponent("accounts"), atomically: true, encoding: .utf8)
        }

        /// Starts the process (stdin /dev/null, output to the log) and waits until ctrl_tcp accepts and the log says ready.
        func start() async throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BaresipHarness.binary)
            process.arguments = ["-4", "-f", directory.path]
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            let log = try FileHandle(forWritingTo: logURL)
            log.seekToEndOfFile()
            process.standardOutput = log
            process.standardError = log
            try process.run()
            self.process = process
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if !process.isRunning { break }
                let logText = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
                if logText.contains("baresip is ready."), BaresipHarness.canConnect(port: ctrlPort) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            let logText = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            await stop()
            throw BaresipHarnessError.notReady(name: name, log: logText)
        }

        /// Stops cleanly: `quit` over ctrl_tcp, then SIGTERM, then SIGKILL; each step waits up to 3 s.
        func stop() async {
            guard let process, process.isRunning else { return }
            if let client = try? RawBaresipClient(port: ctrlPort) {
                _ = try? client.send("quit")
                if await Self.waitExit(process, seconds: 3) { client.close(); return }
                client.close()
            }
            kill(process.processIdentifier, SIGTERM)
            if await Self.waitExit(process, seconds: 3) { return }
            kill(process.processIdentifier, SIGKILL)
            _ = await Self.waitExit(process, seconds: 3)
        }

        /// `kill -9`, as a crash.
        func killHard() async {
            guard let process, process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            _ = await Self.waitExit(process, seconds: 3)
        }

        /// Starts again with the same config and ports.
        func restart() async throws {
            await stop()
            try await start()
        }

        private static func waitExit(_ process: Process, seconds: Int) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while process.isRunning && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return !process.isRunning
        }
    }

    let root: URL
    private(set) var instances: [Instance] = []

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else { throw BaresipHarnessError.notInstalled(Self.binary) }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-baresip-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// Runs `body` with a fresh harness; always stops every instance and removes the temp dir.
    static func with<T>(_ body: (BaresipHarness) async throws -> T) async throws -> T {
        let harness = try BaresipHarness()
        do {
            let result = try await body(harness)
            await harness.stopAll()
            return result
        } catch {
            await harness.stopAll()
            throw error
        }
    }

    /// Configures and starts one instance (`answerMode`: manual / auto / early). `user` defaults to `name`.
    func launch(_ name: String, user: String? = nil, answerMode: String = "manual", accountParams: String = "",
                extraConfig: String = "") async throws -> Instance {
        let base = try Self.reservePortBlock()
        let instance = Instance(name: name, user: user ?? name, accountParams: accountParams, directory: root.appendingPathComponent(name),
                                base: base, answerMode: answerMode, extraConfig: extraConfig)
        try instance.writeConfig()
        instances.append(instance)
        try await instance.start()
        return instance
    }

    func stopAll() async {
        for instance in instances { await instance.stop() }
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: - Ports

    private static func reservePortBlock() throws -> Int {
        blockLock.lock()
        defer { blockLock.unlock() }
        for _ in 0..<200 {
            let base = 10000 + 20 * Int.random(in: 0..<1100)
            guard !usedBlocks.contains(base) else { continue }
            let ports = [base, base + 1, base + 2] + Array(base + 10...base + 19)
            if ports.allSatisfy({ isFree($0, type: SOCK_STREAM) && isFree($0, type: SOCK_DGRAM) }) {
                usedBlocks.insert(base)
                return base
            }
        }
        throw BaresipHarnessError.noFreePorts
    }

    private static func isFree(_ port: Int, type: __socket_type) -> Bool {
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
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

    static func canConnect(port: Int) -> Bool {
        guard let socket = try? BaresipSocket.connect(host: "127.0.0.1", port: UInt16(port), timeoutSeconds: 1) else { return false }
        socket.shutdownBoth()
        return true
    }
}

/// A minimal ctrl_tcp client to drive the "remote" baresip instances and observe their raw events.
final class RawBaresipClient: Sendable {
    private let socket: BaresipSocket
    private let messages = BaresipLocked<[BaresipMessage]>([])
    private let tokens = BaresipLocked(0)

    init(port: Int) throws {
        do {
            socket = try BaresipSocket.connect(host: "127.0.0.1", port: UInt16(port))
        } catch {
            throw BaresipHarnessError.clientFailed("connect to \(port): \(error)")
        }
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    private func readLoop() {
        var decoder = NetstringDecoder()
        while let bytes = try? socket.read() {
            for case .success(let frame) in decoder.append(bytes) {
                if case .success(let message) = BaresipMessage.decode(frame.payload) {
                    messages.withLock { $0.append(message) }
                }
            }
        }
    }

    /// Sends a command and returns its token.
    @discardableResult
    func send(_ command: String, _ params: String? = nil) throws -> String {
        let token = tokens.withLock { value -> String in
            value += 1
            return "raw\(value)"
        }
        do {
            try socket.write(BaresipRequest(command: command, params: params, token: token).frame())
        } catch {
            throw BaresipHarnessError.clientFailed("send \(command): \(error)")
        }
        return token
    }

    /// Sends a command and waits for its response.
    @discardableResult
    func command(_ command: String, _ params: String? = nil, timeout: Duration = .seconds(5)) async throws -> BaresipResponse {
        let token = try send(command, params)
        let message = try await waitFor("response to \(command)", timeout: timeout) {
            if case .response(let response) = $0, response.token == token { return true }
            return false
        }
        guard case .response(let response) = message else { throw BaresipHarnessError.clientFailed("not a response") }
        return response
    }

    /// Waits for an event of `type` (optionally for call `id`).
    @discardableResult
    func waitForEvent(_ type: String, id: String? = nil, timeout: Duration = .seconds(5)) async throws -> BaresipEvent {
        let message = try await waitFor("\(type) event", timeout: timeout) {
            if case .event(let event) = $0, event.typeName == type, id == nil || event.callID == id { return true }
            return false
        }
        guard case .event(let event) = message else { throw BaresipHarnessError.clientFailed("not an event") }
        return event
    }

    /// Every event seen so far.
    var events: [BaresipEvent] {
        messages.withLock { $0.compactMap { if case .event(let event) = $0 { event } else { nil } } }
    }

    private func waitFor(_ what: String, timeout: Duration, _ matches: (BaresipMessage) -> Bool) async throws -> BaresipMessage {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = messages.withLock({ $0.first(where: matches) }) { return found }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw BaresipHarnessError.timedOut(what)
    }

    func close() {
        socket.shutdownBoth()
    }
}
