import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process run by the bench, so a figure (resident memory, CPU, start-up time) belongs to that process
/// alone and not to the bench's own allocations: spawned with `posix_spawn`, reaped with `wait4` for its
/// resource usage.
struct BenchChild {
    /// What the child did.
    struct Run: Sendable {
        var exitStatus: Int32
        var wallSeconds: Double
        /// User + system CPU of the child.
        var cpuSeconds: Double
        /// Peak resident set: the child's VmHWM, polled every few milliseconds while it runs (`ru_maxrss` can't be
        /// used: Linux carries the parent's peak over into a spawned child's).
        var maxRSSBytes: Int
        /// Everything it wrote to stdout (and, on a pseudo-terminal, stderr and the screen).
        var output: Data
    }

    /// A child failed to start or exited with an error.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `_IOW('T', 0x31, int)` and `_IOR('T', 0x30, unsigned int)` (Linux).
    static let TIOCSPTLCK: UInt = 0x4004_5431
    static let TIOCGPTN: UInt = 0x8004_5430

    /// This executable (`/proc/self/exe`).
    static var executable: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Monotonic nanoseconds (`CLOCK_MONOTONIC`, the same clock in every process).
    static func monotonicNanos() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The environment for a child: PATH, HOME, LANG and TERM from ours (no RINGSIDE_* setting leaks in), plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        for name in ["PATH", "HOME", "LANG", "LC_ALL", "TERM"] {
            if let value = ProcessInfo.processInfo.environment[name] { out[name] = value }
        }
        for (name, value) in extra { out[name] = value }
        return out
    }

    /// Runs `arguments` of `executable` to completion; stdout is captured (stdin and stderr are /dev/null), or with
    /// `terminal` all three are a new pseudo-terminal of that size whose output is captured.
    /// `environment` is built just before the spawn from the spawn's monotonic time (nanoseconds).
    static func run(_ executable: String, _ arguments: [String], terminal: (columns: Int, rows: Int)? = nil,
                    environment: (UInt64) -> [String: String]) throws -> Run {
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw Failure(description: "posix_spawn_file_actions_init failed") }
        defer { posix_spawn_file_actions_destroy(&actions) }
        let reader: Int32
        var childEnds: [Int32] = []
        if let terminal {
            // posix_openpt/unlockpt/ptsname by hand (Glibc's module does not export them): /dev/ptmx, TIOCSPTLCK, TIOCGPTN.
            let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            var unlock: Int32 = 0
            var number: UInt32 = 0
            guard master >= 0, ioctl(master, Self.TIOCSPTLCK, &unlock) == 0, ioctl(master, Self.TIOCGPTN, &number) == 0 else {
                throw Failure(description: "no pseudo-terminal: \(String(cString: strerror(errno)))")
            }
            let name = "/dev/pts/\(number)"
            var size = winsize(ws_row: UInt16(terminal.rows), ws_col: UInt16(terminal.columns), ws_xpixel: 0, ws_ypixel: 0)
            guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else { throw Failure(description: "TIOCSWINSZ: \(String(cString: strerror(errno)))") }
            let slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard slave >= 0 else { throw Failure(description: "open \(name): \(String(cString: strerror(errno)))") }
            for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
            reader = master
            childEnds = [slave]
        } else {
            var pipeEnds: [Int32] = [0, 0]
            guard pipe(&pipeEnds) == 0, fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC) == 0 else {
                throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
            }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            reader = pipeEnds[0]
            childEnds = [pipeEnds[1]]
        }
        defer { close(reader) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        let started = monotonicNanos()
        let envp: [UnsafeMutablePointer<CChar>?] = environment(started).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for entry in envp { free(entry) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        for fd in childEnds { close(fd) }
        guard spawned == 0 else { throw Failure(description: "could not start \(executable): \(String(cString: strerror(spawned)))") }
        // The child's peak memory, polled until it exits (a zombie has no VmHWM left to read).
        let watch = PeakWatch()
        let child = pid
        let poller = Thread {
            while !watch.done.load(ordering: .acquiring) {
                let hwm = ProcessMemory.status("VmHWM", pid: child)
                watch.peak.withLock { $0 = Swift.max($0, hwm) }
                usleep(2_000)
            }
        }
        poller.start()
        // Read until the child's side closes (EOF on a pipe, EIO on a pseudo-terminal).
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
        }
        var status: Int32 = 0
        var usage = rusage()
        // Wait without reaping first (waitid WNOWAIT), so the last VmHWM read sees the finished child's final peak.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        watch.done.store(true, ordering: .releasing)
        while !poller.isFinished { usleep(1_000) }
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "wait4: \(String(cString: strerror(errno)))") }
        }
        let wall = Double(monotonicNanos() - started) / 1e9
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let exit: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Run(exitStatus: exit, wallSeconds: wall, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
                   maxRSSBytes: watch.peak.withLock { $0 }, output: output)
    }
}

/// The polled peak of a child, shared with the polling thread.
private final class PeakWatch: Sendable {
    let peak = Mutex<Int>(0)
    let done = Atomic<Bool>(false)
}
