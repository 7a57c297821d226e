import Foundation

/// A real mosquitto on a random free loopback port for one test (presence, agent wiring and the SIP queue bench): `listener PORT 127.0.0.1`,
/// `allow_anonymous true`, no persistence; stopped (and restartable on the same port) by PID.
public final class MosquittoBroker: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static let binary = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    public let port: Int
    public let directory: URL
    private var process: Process?

    public var url: String { "mqtt://127.0.0.1:\(port)" }

    public init() throws {
        guard Self.binary != nil else { throw Failure(description: "mosquitto is not installed: run scripts/setup (Debian package mosquitto)") }
        port = try LoopbackPort.free(.tcp)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-mosquitto-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "listener \(port) 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\n"
            .write(to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts the broker and waits until it accepts connections.
    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary!)
        p.arguments = ["-c", directory.appendingPathComponent("mosquitto.conf").path]
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = try FileHandle(forWritingTo: logFile())
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.canConnect(port) { return }
            if !p.isRunning { break }
            usleep(20_000)
        }
        throw Failure(description: "mosquitto did not start on port \(port): \((try? String(contentsOf: logFile(), encoding: .utf8)) ?? "")")
    }

    /// Stops the broker by PID and waits for it to exit. SIGKILL: a child spawned from the test runner
    /// inherits libdispatch's blocked signal mask, so SIGTERM would never arrive (and nothing is persisted anyway).
    public func stop() {
        guard let p = process else { return }
        process = nil
        // Reap it ourselves (Foundation's waitUntilExit can miss the exit inside the test runner).
        ProcessRunner.killAndReap(p.processIdentifier)
        // The port is free once the listening socket is gone.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && Self.canConnect(port) { usleep(10_000) }
    }

    private func logFile() throws -> URL {
        let url = directory.appendingPathComponent("mosquitto.log")
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        return url
    }

    public static func canConnect(_ port: Int) -> Bool {
        LoopbackPort.accepts(port)
    }
}
