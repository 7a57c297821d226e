import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real Kamailio on a free loopback UDP port for one test: registrar (in memory) and stateful proxy that forks an
/// INVITE to every contact registered on the AOR (a ring-all hunt group). Config verified in
/// /work/shared/reference/kamailio-sipp.md. Kamailio forks its workers at start-up: stopping kills them and the main
/// process by PID (found through /proc), never leaving processes behind.
public final class KamailioProxy: @unchecked Sendable {
    // @unchecked: started and stopped from the test's thread only.
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static let binary = ["/usr/sbin/kamailio", "/usr/bin/kamailio", "/usr/local/sbin/kamailio"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    /// The modules folder of the installed package (multiarch path on Debian).
    public static var modules: String? {
        let lib = URL(fileURLWithPath: "/usr/lib")
        let arch = ((try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []).map { lib.appendingPathComponent($0) }
        return ([lib] + arch).map { $0.appendingPathComponent("kamailio/modules").path }
            .first { FileManager.default.fileExists(atPath: $0 + "/tm.so") }
    }
    public static var available: Bool { binary != nil && modules != nil }

    public let port: Int
    public let directory: URL
    private var process: Process?

    /// `sip:USER@127.0.0.1:PORT`: an address routed by this proxy.
    public func uri(_ user: String) -> String { "sip:\(user)@127.0.0.1:\(port)" }
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("kamailio.log"), encoding: .utf8)) ?? "" }

    public init() throws {
        guard let binary = Self.binary, let modules = Self.modules else {
            throw Failure(description: "kamailio is not installed: run scripts/setup (Debian package kamailio)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-kamailio-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try LoopbackPort.free(.udp)
        let config = directory.appendingPathComponent("kamailio.cfg")
        try Self.config(port: port, modules: modules).write(to: config, atomically: true, encoding: .utf8)
        let logURL = directory.appendingPathComponent("kamailio.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: logURL)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["-f", config.path, "-DD", "-E"]
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        p.standardOutput = output
        p.standardError = output
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, p.isRunning {
            if log.contains("SO_RCVBUF is finally") || log.contains("main(): processes") { return }
            usleep(20_000)
        }
        let text = log
        stop()
        throw Failure(description: "kamailio did not start on 127.0.0.1:\(port); log:\n\(text)")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Kills Kamailio's workers and main process (SIGKILL: signals sent to children of the test runner may be
    /// blocked; nothing is persisted) and reaps the main process.
    public func stop() {
        guard let p = process else { return }
        process = nil
        let pid = p.processIdentifier
        let workers = Self.children(of: pid)
        for worker in workers { kill(worker, SIGKILL) }
        ProcessRunner.killAndReap(pid)
        // The workers are reparented when the main process dies: wait until they are gone too.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !Self.running(workers).isEmpty { usleep(10_000) }
    }

    /// Processes whose parent is `pid` (from /proc/<pid>/stat).
    public static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { return nil }
            // After "pid (comm) ": state, ppid, …
            let fields = stat[close.upperBound...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid ? child : nil
        }
    }

    /// Running processes still left from this proxy (tests assert none after `stop`).
    public static func running(_ pids: [Int32]) -> [Int32] {
        pids.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { return false }
            return stat[close.upperBound...].split(separator: " ").first != "Z"
        }
    }

    /// The main process and its workers now (for a leak check).
    public var processIDs: [Int32] {
        guard let pid = process?.processIdentifier else { return [] }
        return [pid] + Self.children(of: pid)
    }

    /// Registrar + ring-all proxy (no database, no authentication), logging to stderr.
    static func config(port: Int, modules: String) -> String {
        """
        #!KAMAILIO
        debug=2
        log_stderror=yes
        fork=no
        children=2
        listen=udp:127.0.0.1:\(port)
        mpath="\(modules)/"
        loadmodule "tm.so"
        loadmodule "sl.so"
        loadmodule "rr.so"
        loadmodule "pv.so"
        loadmodule "maxfwd.so"
        loadmodule "usrloc.so"
        loadmodule "registrar.so"
        loadmodule "textops.so"
        loadmodule "siputils.so"
        loadmodule "xlog.so"
        modparam("usrloc", "db_mode", 0)
        modparam("registrar", "max_contacts", 10)
        request_route {
          if (!mf_process_maxfwd_header("10")) { sl_send_reply("483","Too Many Hops"); exit; }
          if (has_totag()) { if (loose_route()) { t_relay(); exit; } if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; } sl_send_reply("404","Not here"); exit; }
          if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
          if (is_method("REGISTER")) { save("location"); exit; }
          record_route();
          if (!lookup("location")) { sl_send_reply("404","Not Found"); exit; }
          t_relay();
        }

        """
    }
}
