import Foundation
import RingsideCore

/// What quitting could not write to the database: the refused records and unjournalled calls, as one JSON
/// file (0600) under `$XDG_STATE_HOME/ringside/`, imported at the next start.
public struct EmergencyCopy: Codable, Sendable {
    public var records: [CallRecord]
    public var calls: [CallMachine]

    public init(records: [CallRecord], calls: [CallMachine]) {
        self.records = records
        self.calls = calls
    }

    /// `$XDG_STATE_HOME/ringside`, else `~/.local/state/ringside`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["XDG_STATE_HOME"], !dir.isEmpty { return dir + "/ringside" }
        return NSHomeDirectory() + "/.local/state/ringside"
    }

    /// Writes the copy; returns its path.
    public func write(into directory: String?, at now: Date) throws -> String {
        let directory = directory ?? Self.defaultDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stamp = Int(now.timeIntervalSince1970 * 1000)
        let path = (directory as NSString).appendingPathComponent("emergency-\(stamp)-\(getpid()).json")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .deferredToDate
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return path
    }

    public static func read(_ path: String) throws -> EmergencyCopy {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return try decoder.decode(EmergencyCopy.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Emergency copies waiting in `directory`, oldest first.
    public static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("emergency-") && $0.hasSuffix(".json") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}
