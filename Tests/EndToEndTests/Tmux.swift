import Foundation

/// Drives `ringside` in a detached tmux session (own server socket, own XDG folders) for end-to-end tests.
/// Recipe: /work/shared/reference/tmux-testing.md.
final class Tmux {
    struct Timeout: Error, CustomStringConvertible {
        var waitingFor: String
        var screen: String
        var description: String { "timed out waiting for \(waitingFor); screen was:\n\(screen)" }
    }

    /// A private tmux server so tests never touch anyone else's sessions.
    static let socket = "ringside-e2e-\(getpid())"
    let name: String
    let home: URL
    let startedAt = Date()

    /// The `ringside` binary: `RINGSIDE_BIN`, else `<repo>/.build/debug/ringside`.
    static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["RINGSIDE_BIN"], !bin.isEmpty { return bin }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/ringside").path
    }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: binary) && (try? run(["-V"])) != nil
    }

    /// Starts `ringside ARGS` in a new session of `width`×`height`; after it exits the pane shows `EXIT=<status>`.
    /// `home` reuses another session's folders (a restart of the same installation); they are then kept
    /// when this session ends.
    init(_ test: String, width: Int = 100, height: Int = 30, args: [String] = ["demo"], environment: [String: String] = [:],
         home reused: URL? = nil) throws {
        name = "\(test)-\(UUID().uuidString.prefix(8))"
        home = reused ?? FileManager.default.temporaryDirectory.appendingPathComponent("ringside-e2e-\(name)")
        ownsHome = reused == nil
        let data = home.appendingPathComponent("data")
        let config = home.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        var env = Self.environment(home: home)
        env.merge(environment) { $1 }
        let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let command = "env \(assignments) \(Self.quote(Self.binary)) \(args.map(Self.quote).joined(separator: " ")); echo EXIT=$?; sleep 60"
        try Self.run(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
    }

    deinit { kill() }

    private let ownsHome: Bool

    /// The folders and locale every program of one installation sees.
    static func environment(home: URL) -> [String: String] {
        ["HOME": home.path, "XDG_DATA_HOME": home.appendingPathComponent("data").path,
         "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
         "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
    }

    func kill() {
        _ = try? Self.run(["kill-session", "-t", name])
        if ownsHome { try? FileManager.default.removeItem(at: home) }
    }

    /// Removes the folders (for a session that reused another's).
    func removeHome() { try? FileManager.default.removeItem(at: home) }

    /// Pastes `text` as a bracketed paste (what a terminal sends when the user pastes).
    func paste(_ text: String) throws {
        let buffer = "paste-\(name)"
        try Self.run(["set-buffer", "-b", buffer, text])
        try Self.run(["paste-buffer", "-p", "-d", "-b", buffer, "-t", name])
    }

    /// `tmux send-keys` with key names (`Enter`, `Escape`, `Down`, `C-c`) or single characters.
    func keys(_ keys: String...) throws {
        try Self.run(["send-keys", "-t", name] + keys)
    }

    /// Literal text (`send-keys -l`).
    func type(_ text: String) throws {
        try Self.run(["send-keys", "-t", name, "-l", text])
    }

    /// A left click at a 0-based cell, as an X10 mouse sequence (press, then release).
    func click(x: Int, y: Int) throws {
        let cx = Character(Unicode.Scalar(UInt8(33 + x)))
        let cy = Character(Unicode.Scalar(UInt8(33 + y)))
        try type("\u{1b}[M \(cx)\(cy)")
        try type("\u{1b}[M#\(cx)\(cy)")
    }

    func resize(width: Int, height: Int) throws {
        try Self.run(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    func capture() throws -> String {
        try Self.run(["capture-pane", "-p", "-t", name])
    }

    /// The screen with colours and attributes as escape sequences (`capture-pane -e`).
    func captureWithAttributes() throws -> String {
        try Self.run(["capture-pane", "-p", "-e", "-t", name])
    }

    /// Polls the screen until `predicate` holds (every 50 ms, up to `timeout`).
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 10, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if predicate(screen) { return screen }
            usleep(50_000)
        }
        throw Timeout(waitingFor: what, screen: screen)
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitUntil("“\(text)”", timeout: timeout) { $0.contains(text) }
    }

    /// The (column, row) of the first occurrence of `text` on screen (columns count characters:
    /// use it for ASCII text).
    func locate(_ text: String) throws -> (x: Int, y: Int)? {
        for (y, line) in try capture().components(separatedBy: "\n").enumerated() {
            if let range = line.range(of: text) { return (line.distance(from: line.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }

    /// The pid of the program in the pane (the child of the pane's shell).
    func programPID() throws -> Int32? {
        let shell = try Self.run(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let shellPID = Int32(shell) else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(shellPID)/task/\(shellPID)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.first
    }

    /// Runs `tmux -L <socket> ARGS` with posix_spawn + waitpid (Foundation's `Process` can miss the
    /// child's exit inside the test runner). Output goes to a file, not a pipe: a tmux server started
    /// by the command inherits the descriptors and would hold a pipe open forever.
    @discardableResult
    static func run(_ args: [String]) throws -> String {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)").path
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["tmux", "-L", socket] + args
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = "C.UTF-8"
        env.removeValue(forKey: "TMUX")
        // `swift test` runs tests with NO_COLOR=1; the tmux server would pass it on to every program it starts.
        env.removeValue(forKey: "NO_COLOR")
        let envp = env.map { "\($0.key)=\($0.value)" }
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = envp.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, &cArgs, &cEnv)
        guard spawned == 0 else {
            throw NSError(domain: "tmux", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot start tmux (\(spawned))"])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard exitCode == 0 else {
            throw NSError(domain: "tmux", code: Int(exitCode), userInfo: [NSLocalizedDescriptionKey: "tmux \(args.joined(separator: " ")) exited \(exitCode)"])
        }
        return output
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
