import Foundation
import Logging
import RingsideCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ringside's log file, `$XDG_STATE_HOME/ringside/ringside.log` (0600 in a 0700 folder), rotated when it would
/// pass `maxBytes`: `ringside.log.1` … `ringside.log.<keep>`, the oldest dropped.
public final class RotatingLogFile: Sendable {
    public let path: String
    public let maxBytes: Int
    public let keep: Int

    private struct State: ~Copyable {
        var fd: Int32 = -1
        var size = 0
    }
    private let state = Mutex(State())

    public init(directory: String, maxBytes: Int = 1 << 20, keep: Int = 5) throws {
        path = (directory as NSString).appendingPathComponent("ringside.log")
        self.maxBytes = maxBytes
        self.keep = max(1, keep)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var info = stat()
        if stat(directory, &info) == 0, info.st_uid == getuid(), info.st_mode & S_ISVTX == 0, info.st_mode & 0o777 != 0o700 {
            guard chmod(directory, 0o700) == 0 else { throw LogFileError(path: directory, what: "chmod 700", code: errno) }
        }
        try state.withLock { state throws in try Self.open(path, into: &state) }
    }

    deinit {
        state.withLock { state in if state.fd >= 0 { _ = close(state.fd) } }
    }

    private static func open(_ path: String, into state: inout State) throws {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LogFileError(path: path, what: "open", code: errno) }
        guard fchmod(fd, 0o600) == 0 else {
            let code = errno
            _ = close(fd)
            throw LogFileError(path: path, what: "chmod 600", code: code)
        }
        var info = stat()
        state.size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        state.fd = fd
    }

    /// Appends one line (with its newline); rotates first if the file would pass `maxBytes`. A failing write is
    /// dropped: logging never stops the agent.
    public func write(_ line: String) {
        let bytes = Array(line.utf8)
        state.withLock { state in
            if state.size > 0, state.size + bytes.count > maxBytes { rotate(&state) }
            guard state.fd >= 0 else { return }
            let written = bytes.withUnsafeBytes { Glibc.write(state.fd, $0.baseAddress, $0.count) }
            if written > 0 { state.size += written }
        }
    }

    private func rotate(_ state: inout State) {
        if state.fd >= 0 { _ = close(state.fd); state.fd = -1 }
        for index in stride(from: keep - 1, through: 1, by: -1) {
            _ = rename("\(path).\(index)", "\(path).\(index + 1)")
        }
        _ = rename(path, "\(path).1")
        try? Self.open(path, into: &state)
    }
}

/// Why the log file can't be used (the agent then runs without a log and says so).
public struct LogFileError: Error, CustomStringConvertible {
    public var path: String
    public var what: String
    public var code: Int32
    public var description: String { "log file \(path): \(what) failed: \(String(cString: strerror(code)))" }
}

/// Makes log text safe: URL passwords and known secrets become `[REDACTED]`, and control characters can't forge
/// lines or drive the terminal of whoever reads the log (`SafeText`).
public struct LogRedactor: Sendable {
    public var secrets: [String]

    public init(secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    public func clean(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: URLUserInfo.placeholder)
        }
        if out.contains("://") {
            out = out.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.contains("://") ? URLUserInfo.redacted(String($0)) : String($0) }
                .joined(separator: " ")
        }
        return SafeText.line(out)
    }
}

/// A swift-log handler writing `2026-12-06T21:30:00.123Z info baresip: text key=value` lines to a `RotatingLogFile`.
public struct RingsideLogHandler: LogHandler {
    public let label: String
    public let file: RotatingLogFile
    public let redactor: LogRedactor
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, file: RotatingLogFile, redactor: LogRedactor, level: Logger.Level) {
        self.label = label
        self.file = file
        self.redactor = redactor
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let fields = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
        let text = redactor.clean("\(event.message)" + (fields.isEmpty ? "" : " " + fields))
        file.write("\(ISO8601.string(Date())) \(event.level) \(label): \(text)\n")
    }
}

/// Where the log lives and how the process's logging is set up.
public enum RingsideLog {
    /// `$XDG_STATE_HOME/ringside`, else `~/.local/state/ringside`.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["XDG_STATE_HOME"], !dir.isEmpty { return dir + "/ringside" }
        return (environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/state/ringside"
    }

    struct Sink {
        var file: RotatingLogFile
        var redactor: LogRedactor
        var level: Logger.Level
    }
    static let sink = Mutex<Sink?>(nil)

    /// A logger writing to the log file once `configure` has run (and dropping lines before, or in tests).
    public static func logger(_ label: String) -> Logger {
        Logger(label: label, factory: { ForwardingLogHandler(label: $0) })
    }

    /// Called once when the process starts: every `Logger` then goes to the log file as soon as `configure` has
    /// run; until then (and in commands that never read the config, such as `bench`) log lines are dropped, so
    /// nothing is ever printed over the user's output or screen.
    public static func bootstrapProcess() {
        LoggingSystem.bootstrap { label in ForwardingLogHandler(label: label) }
    }

    /// Opens the log file and starts writing to it (the first call wins); secrets of `config` are redacted.
    /// Returns the file, or the reason there is none (logging then stays off; nothing else changes).
    @discardableResult
    public static func configure(config: RingsideConfig, level: Logger.Level,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<RotatingLogFile, LogFileError> {
        sink.withLock { current -> Result<RotatingLogFile, LogFileError> in
            if let current { return .success(current.file) }
            let file: RotatingLogFile
            do { file = try RotatingLogFile(directory: directory(environment: environment)) } catch let error as LogFileError {
                return .failure(error)
            } catch {
                return .failure(LogFileError(path: directory(environment: environment), what: "\(error)", code: 0))
            }
            current = Sink(file: file, redactor: LogRedactor(secrets: config.secrets), level: level)
            return .success(file)
        }
    }

    /// The configured level; `.critical` before `configure` (almost nothing passes, and no trace is built).
    static var currentLevel: Logger.Level { sink.withLock { $0?.level ?? .critical } }

    /// `trace` … `critical` (case-insensitive).
    public static func level(_ name: String) -> Logger.Level? { Logger.Level(rawValue: name.lowercased()) }

    /// An HTTP trace closure writing to the `curl` logger at debug, or nil when debug is off (no cost then).
    public static func curlTrace() -> (@Sendable (String) -> Void)? {
        let logger = logger("curl")
        guard logger.logLevel <= .debug else { return nil }
        return { text in logger.debug("\(text)") }
    }


}

/// The handler every `Logger` of the process gets: forwards to the log file once `RingsideLog.configure` ran.
struct ForwardingLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private var levelOverride: Logger.Level?

    init(label: String) { self.label = label }

    var logLevel: Logger.Level {
        get { levelOverride ?? RingsideLog.currentLevel }
        set { levelOverride = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard let sink = RingsideLog.sink.withLock({ $0.map { ($0.file, $0.redactor) } }) else { return }
        var handler = RingsideLogHandler(label: label, file: sink.0, redactor: sink.1, level: logLevel)
        handler.metadata = metadata
        handler.log(event: event)
    }
}
