import Foundation
import Synchronization

/// Why the baresip harness (or its ctrl_tcp client) could not do what a test asked.
public enum BaresipHarnessError: Error, CustomStringConvertible {
    case notInstalled
    case noFreePorts(String)
    case notReady(name: String, log: String)
    case clientFailed(String)
    case timedOut(String)

    public var description: String {
        switch self {
        case .notInstalled: "baresip is not installed: run scripts/setup (Debian package baresip-core)"
        case .noFreePorts(let why): "could not find free loopback ports for baresip: \(why)"
        case .notReady(let name, let log): "baresip '\(name)' did not become ready; its output:\n\(log)"
        case .clientFailed(let message): "raw ctrl_tcp client: \(message)"
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

/// Headless baresip 1.0.0 instances on 127.0.0.1 for one test: the one harness for phone, runtime and end-to-end tests.
///
/// Each instance gets a generated config (reference: baresip-ctrl-tcp.md §2–3) on free loopback ports: SIP on `sipPort`
/// (baresip also binds TCP `sipPort+1` for SIP/TLS), ctrl_tcp on `ctrlPort`, RTP on a range of 10. `launch` returns once
/// baresip's output says it is ready and ctrl_tcp accepts. Use `BaresipHarness.with { harness in … }` so instances are
/// stopped in order (`quit`, then SIGKILL); otherwise call `killAll()` (or let the harness go): every process is
/// killed and reaped, and the temp folder removed.
public final class BaresipHarness: @unchecked Sendable {
    // @unchecked: `instances` is guarded by `lock`.
    /// Where baresip is looked for (the first executable one wins).
    public static let binary = ["/usr/bin/baresip", "/usr/local/bin/baresip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Whether baresip is installed; suites use `RequiredComponent.runs(BaresipHarness.available)`.
    public static var available: Bool { binary != nil }

    public let root: URL
    /// The baresip this harness starts.
    public let executable: String
    private let lock = NSLock()
    private var launched: [Instance] = []

    /// Every instance launched so far.
    public var instances: [Instance] { lock.withLock { launched } }

    /// Fails with `.notInstalled` when `binary` is missing (so a suite that runs on CI fails rather than skips).
    public init(binary: String? = BaresipHarness.binary) throws {
        guard let binary, FileManager.default.isExecutableFile(atPath: binary) else { throw BaresipHarnessError.notInstalled }
        executable = binary
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-baresip-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { killAll() }

    /// Runs `body` with a fresh harness; always stops every instance and removes the temp folder.
    public static func with<T>(_ body: (BaresipHarness) async throws -> T) async throws -> T {
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

    /// Configures and starts one instance; returns when it is ready.
    /// - `user`: the account's user part (defaults to `name`; numeric users make Ringside see a phone number).
    /// - `answerMode`: manual / auto / early.
    /// - `accountParams`: appended to the account line (e.g. another instance's `asOutboundProxy`).
    /// - `account`: the whole accounts line instead (e.g. a registrar account with `regint`).
    /// - `extraConfig`: lines appended to the config.
    public func launch(_ name: String, user: String? = nil, answerMode: String = "manual", accountParams: String = "",
                       account: String? = nil, extraConfig: String = "") async throws -> Instance {
        let display = name.prefix(1).uppercased() + name.dropFirst()
        let user = user ?? name
        let accountLine = account ?? "\"\(display)\" <sip:\(user)@127.0.0.1>;regint=0;answermode=\(answerMode)\(accountParams)"
        let instance = Instance(name: name, user: user, account: accountLine, extraConfig: extraConfig,
                                directory: root.appendingPathComponent(name), executable: executable)
        lock.withLock { launched.append(instance) }
        try await instance.launch()
        return instance
    }

    /// Stops every instance in order (`quit` over ctrl_tcp, then SIGKILL) and removes the temp folder.
    public func stopAll() async {
        for instance in instances { await instance.stop() }
        try? FileManager.default.removeItem(at: root)
    }

    /// Kills every instance now (SIGKILL, reaped before returning) and removes the temp folder; for `defer` blocks.
    public func killAll() {
        for instance in instances { instance.killNow() }
        try? FileManager.default.removeItem(at: root)
    }
}
