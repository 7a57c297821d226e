import Foundation

/// Finds files shipped in `Resources/`: `$RINGSIDE_RESOURCES`, then next to or above the executable, then the source tree.
public enum ResourceLocator {
    public static func path(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var candidates: [String] = []
        if let dir = environment["RINGSIDE_RESOURCES"] { candidates.append(dir) }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("Resources").path)
            candidates.append(dir.appendingPathComponent("share/ringside").path)
            dir.deleteLastPathComponent()
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("Resources").path)
        return candidates.map { ($0 as NSString).appendingPathComponent(name) }.first { FileManager.default.fileExists(atPath: $0) }
    }
}
