import ArgumentParser
import Foundation
import RingsideApp

/// `ringside logs`: the end of the log file, optionally followed as it grows (across rotations).
struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the end of the log ($XDG_STATE_HOME/ringside/ringside.log); -f keeps printing new lines.",
        discussion: """
            The log holds phone-link events (baresip connects, disconnects, garbage and resyncs), MQTT link changes, \
            deliveries, and with --log-level debug the HTTP traces. Secrets and URL passwords are never written. \
            The file is rotated at 1 MiB; five old files are kept (ringside.log.1 … .5).
            """)
    @Option(name: [.customShort("n"), .long], help: "How many lines to show.") var lines = 40
    @Flag(name: .shortAndLong, help: "Keep printing lines as they are written (Ctrl-C stops).") var follow = false

    func run() async throws {
        let path = RingsideLog.directory() + "/ringside.log"
        guard let data = FileManager.default.contents(atPath: path) else {
            if !follow { print("No log yet at \(path): it starts when Ringside first runs."); return }
            return try await self.follow(path, from: 0)
        }
        let all = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let complete = all.last == "" ? all.dropLast() : all[...]
        for line in complete.suffix(max(0, lines)) { print(String(line)) }
        guard follow else { return }
        fflush(nil)  // into a pipe (`ringside logs -f | grep …`) the last lines must not wait for a new one
        try await self.follow(path, from: data.count)
    }

    /// Polls the file (a log reader has no event to wait for); a shorter file means it was rotated: start again.
    func follow(_ path: String, from start: Int) async throws {
        var offset = start
        var pending = Data()
        while !Task.isCancelled {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            if size < offset { offset = 0; pending = Data() }
            if size > offset, let handle = FileHandle(forReadingAtPath: path) {
                try handle.seek(toOffset: UInt64(offset))
                let chunk = handle.readData(ofLength: size - offset)
                try handle.close()
                offset += chunk.count
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    print(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
                fflush(nil)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
