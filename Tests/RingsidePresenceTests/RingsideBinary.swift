import Foundation

/// The built `ringside` binary: `RINGSIDE_BIN`, else next to this test bundle, else `<repo>/.build/debug/ringside`.
enum RingsideBinary {
    static var path: String? {
        if let bin = ProcessInfo.processInfo.environment["RINGSIDE_BIN"], !bin.isEmpty { return bin }
        var candidates: [String] = []
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("ringside").path)
            dir = dir.deletingLastPathComponent()
        }
        for arg in CommandLine.arguments where arg.contains(".xctest") {
            candidates.append(URL(fileURLWithPath: arg).deletingLastPathComponent().appendingPathComponent("ringside").path)
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repo.appendingPathComponent(".build/debug/ringside").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
