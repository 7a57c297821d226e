import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs child processes from tests WITHOUT blocking Swift's cooperative thread pool (2 threads on a
/// 2-core machine: one blocked `waitUntilExit` or `readDataToEndOfFile` can stall every other test,
/// and an in-process server can then never answer). Output goes to temporary files, not pipes, so a
/// daemon the child forks (tmux's server) can't keep a pipe open; waiting happens on a dedicated thread.
public enum ProcessRunner {
    /// What a finished process left behind.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
    }

    /// A started process.
    public final class Running: @unchecked Sendable {
        public let pid: pid_t
        let outPath: String
        let errPath: String
        private let lock = NSLock()
        private var finished: Int32?
        private var waiters: [CheckedContinuation<Int32, Never>] = []

        init(pid: pid_t, outPath: String, errPath: String) {
            self.pid = pid
            self.outPath = outPath
            self.errPath = errPath
            let thread = Thread { [self] in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                let resume = lock.withLock { () -> [CheckedContinuation<Int32, Never>] in
                    finished = code
                    defer { waiters = [] }
                    return waiters
                }
                resume.forEach { $0.resume(returning: code) }
            }
            thread.start()
        }

        /// Output written so far.
        public var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
        public var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
        public var isRunning: Bool { lock.withLock { finished == nil } }

        /// Sends a signal (SIGKILL by default).
        public func kill(_ signal: Int32 = SIGKILL) { _ = Glibc.kill(pid, signal) }

        /// Waits for exit; returns the exit status (128 + signal when killed).
        public func wait() async -> Int32 {
            await withCheckedContinuation { continuation in
                let done = lock.withLock { () -> Int32? in
                    if let finished { return finished }
                    waiters.append(continuation)
                    return nil
                }
                if let done { continuation.resume(returning: done) }
            }
        }

        /// Waits up to `seconds`; kills the process if it is still running then.
        public func wait(timeout seconds: Double) async -> (status: Int32, timedOut: Bool) {
            let deadline = Date().addingTimeInterval(seconds)
            while isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
            if isRunning {
                kill()
                return (await wait(), true)
            }
            return (await wait(), false)
        }

        /// Polls stdout until it contains `text` (or the process exits / the timeout passes).
        public func waitForOutput(containing text: String, timeout seconds: Double) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if stdout.contains(text) { return true }
                if !isRunning { return stdout.contains(text) }
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            return false
        }

        deinit {
            unlink(outPath)
            unlink(errPath)
        }
    }

    /// Why a process could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `executable` (a path, or a name looked up in PATH) with `arguments`.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Running {
        let id = UUID().uuidString
        let outPath = NSTemporaryDirectory() + "ringside-proc-\(id).out"
        let errPath = NSTemporaryDirectory() + "ringside-proc-\(id).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so killing it never signals the test runner.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = [executable] + arguments
        var pid: pid_t = 0
        let rc = withCStrings(argv) { argvPointers in
            withCStrings(env) { envPointers in
                executable.contains("/")
                    ? posix_spawn(&pid, executable, &actions, &attributes, argvPointers, envPointers)
                    : posix_spawnp(&pid, executable, &actions, &attributes, argvPointers, envPointers)
            }
        }
        guard rc == 0 else { throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(rc)))") }
        return Running(pid: pid, outPath: outPath, errPath: errPath)
    }

    /// Sends SIGKILL to `pid` (a child of this process) and reaps it, or notices that Foundation's `Process` did
    /// (`ECHILD`); gives up after `seconds`. SIGKILL because a child spawned from the test runner may inherit a signal
    /// mask that blocks SIGTERM.
    public static func killAndReap(_ pid: pid_t, within seconds: Double = 5) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno == ECHILD) { return }
            usleep(10_000)
        }
    }

    /// Runs to completion (killed after `timeout` seconds) and returns its output.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           timeout: Double = 120) async throws -> Result {
        let process = try start(executable, arguments, environment: environment)
        let (status, timedOut) = await process.wait(timeout: timeout)
        return Result(status: status, stdout: process.stdout, stderr: process.stderr, timedOut: timedOut)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
