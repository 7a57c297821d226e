import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension BaresipHarness {
    /// One baresip process with its config folder and ports. Killed and reaped when it goes away.
    public final class Instance: @unchecked Sendable {
        // @unchecked: the ports and `running` change only in `launch`/`start`/`stop`, called from the test's task.
        public let name: String
        /// The account's user part (`+447814256404`, `2001`).
        public let user: String
        /// The accounts line.
        public let account: String
        public let extraConfig: String
        public let directory: URL
        let executable: String
        public private(set) var sipPort = 0
        public private(set) var ctrlPort = 0
        public private(set) var rtpRange = 0...0
        private var running: ProcessRunner.Running?

        /// The account's SIP URI, including the port (`sip:2001@127.0.0.1:15080`): what others dial.
        public var uri: String { "sip:\(user)@127.0.0.1:\(sipPort)" }
        /// What peers see as the caller (`sip:2001@127.0.0.1`).
        public var aor: String { "sip:\(user)@127.0.0.1" }
        /// `outbound` account parameter that routes another instance's calls through this one (acting as its PBX).
        public var asOutboundProxy: String { ";outbound=\"sip:127.0.0.1:\(sipPort)\"" }
        /// What Ringside's `--phone` takes.
        public var linkURL: String { "baresip://127.0.0.1:\(ctrlPort)" }
        /// Everything baresip printed since its last start.
        public var output: String { running.map { $0.stdout + $0.stderr } ?? "" }
        public var isRunning: Bool { running?.isRunning ?? false }
        /// The process id while it runs.
        public var pid: Int32? { running.flatMap { $0.isRunning ? $0.pid : nil } }

        init(name: String, user: String, account: String, extraConfig: String, directory: URL, executable: String) {
            self.executable = executable
            self.name = name
            self.user = user
            self.account = account
            self.extraConfig = extraConfig
            self.directory = directory
        }

        deinit { killNow() }

        /// Picks ports, writes the config and starts; a port taken between the check and baresip's bind (another test
        /// process) is retried with new ports.
        func launch() async throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try (account + "\n").write(to: directory.appendingPathComponent("accounts"), atomically: true, encoding: .utf8)
            var attempt = 0
            while true {
                let ports = try BaresipPorts.allocate()
                sipPort = ports.sip
                ctrlPort = ports.ctrl
                rtpRange = ports.rtp
                try config().write(to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
                do {
                    try await start()
                    return
                } catch BaresipHarnessError.notReady(_, let log) where log.contains("Address already in use") && attempt < 4 {
                    attempt += 1
                }
            }
        }

        func config() -> String {
            """
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
        }

        /// Starts baresip (again, with the same config and ports) and waits until its output says it is ready and
        /// ctrl_tcp accepts a connection; fails with its output when it exits or is not ready within 30 s.
        public func start() async throws {
            let process = try ProcessRunner.start(executable, ["-4", "-f", directory.path])
            running = process
            let deadline = ContinuousClock.now + .seconds(30)
            while process.isRunning, ContinuousClock.now < deadline {
                let text = output
                if text.contains("baresip is ready."), LoopbackPort.accepts(ctrlPort) { return }
                if text.contains("Address already in use") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let log = output
            await stop()
            throw BaresipHarnessError.notReady(name: name, log: log)
        }

        /// Waits until baresip's output contains `text` (e.g. a registrar's `200 OK`).
        public func waitForOutput(_ text: String, timeout: Duration = .seconds(10)) async throws {
            let deadline = ContinuousClock.now + timeout
            while !output.contains(text) {
                guard ContinuousClock.now < deadline else {
                    throw BaresipHarnessError.timedOut("“\(text)” from baresip \(name); its output:\n\(output)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        /// Stops cleanly: `quit` over ctrl_tcp (baresip ends its calls with BYE), SIGKILL after 3 s; returns once reaped.
        public func stop() async {
            guard let running, running.isRunning else { return }
            if let client = try? RawBaresipClient(port: ctrlPort) {
                _ = try? client.send("quit")
                _ = await running.wait(timeout: 3)
                client.close()
            }
            await killHard()
        }

        /// `kill -9`, as a crash; returns once reaped.
        public func killHard() async {
            guard let running, running.isRunning else { return }
            running.kill(SIGKILL)
            _ = await running.wait()
        }

        /// Stops, then starts again with the same config and ports.
        public func restart() async throws {
            await stop()
            try await start()
        }

        /// SIGKILL and wait (blocking, at most 5 s) until the reaper has collected it: for `deinit` and `defer`.
        public func killNow() {
            guard let running, running.isRunning else { return }
            running.kill(SIGKILL)
            let deadline = ContinuousClock.now + .seconds(5)
            while running.isRunning, ContinuousClock.now < deadline { usleep(2_000) }
        }
    }
}

/// Free loopback ports for one baresip instance (picked with `LoopbackPort`, checked free for both protocols).
struct BaresipPorts {
    var sip: Int
    var ctrl: Int
    var rtp: ClosedRange<Int>

    /// RTP ranges handed out in this process (they are bound only during calls, so a free check alone could give two
    /// instances the same range).
    private static let rtpInUse = Mutex<Set<Int>>([])

    static func allocate() throws -> BaresipPorts {
        for _ in 0..<100 {
            let sip = try LoopbackPort.free(.udp)
            // baresip binds UDP and TCP on the SIP port, and TCP on the next one for SIP/TLS.
            guard sip < 65_535, LoopbackPort.isFree(sip, .tcp), LoopbackPort.isFree(sip + 1, .tcp) else { continue }
            let ctrl = try LoopbackPort.free(.tcp)
            guard ctrl != sip, ctrl != sip + 1 else { continue }
            let rtpBase = try LoopbackPort.free(.udp) & ~1
            let rtp = rtpBase...(rtpBase + 9)
            guard rtp.upperBound <= 65_535, !rtp.contains(sip), !rtp.contains(sip + 1), !rtp.contains(ctrl),
                  rtp.allSatisfy({ LoopbackPort.isFree($0, .udp) }) else { continue }
            let reserved = rtpInUse.withLock { used in
                guard !used.contains(where: { abs($0 - rtpBase) < 10 }) else { return false }
                used.insert(rtpBase)
                return true
            }
            if reserved { return BaresipPorts(sip: sip, ctrl: ctrl, rtp: rtp) }
        }
        throw BaresipHarnessError.noFreePorts("100 tries for a SIP port with a free successor, a ctrl_tcp port and 10 RTP ports")
    }
}
