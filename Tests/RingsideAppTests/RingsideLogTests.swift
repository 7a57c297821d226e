import Foundation
import Logging
@testable import RingsideApp
import Testing

/// Issue 19: the log file is private, rotates within its size cap, and never holds a secret or a control sequence.
@Suite struct RingsideLogTests {
    let folder = NSTemporaryDirectory() + "ringside-log-\(UUID().uuidString)/state/ringside"

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theLogFileIsCreatedPrivateInAPrivateFolder() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        FileManager.default.createFile(atPath: folder + "/ringside.log", contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644])
        let file = try RotatingLogFile(directory: folder)
        file.write("hello\n")
        #expect(try mode(folder) == 0o700)
        #expect(try mode(file.path) == 0o600)
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "old\nhello\n")
    }

    @Test func itRotatesAtTheCapKeepingNFiles() throws {
        let file = try RotatingLogFile(directory: folder, maxBytes: 1000, keep: 3)
        let line = String(repeating: "x", count: 99) + "\n"
        for _ in 0..<75 { file.write(line) }   // 7,500 bytes: 7 full files and a half
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["ringside.log", "ringside.log.1", "ringside.log.2", "ringside.log.3"])
        for name in names {
            let size = (try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? NSNumber)?.intValue ?? 0
            #expect(size <= 1000, "\(name): \(size) bytes")
            #expect(try mode(folder + "/" + name) == 0o600)
        }
        #expect((try FileManager.default.attributesOfItem(atPath: folder + "/ringside.log.1")[.size] as? NSNumber)?.intValue == 1000)
    }

    @Test func secretsURLPasswordsAndControlsAreRedactedInLogLines() throws {
        let file = try RotatingLogFile(directory: folder)
        let handler = RingsideLogHandler(label: "mqtt", file: file, redactor: LogRedactor(secrets: ["s3cr3t-client-secret"]), level: .debug)
        var logger = Logger(label: "mqtt", factory: { _ in handler })
        logger.logLevel = .debug
        logger.info("connecting to mqtt://agent:Mq77pw@broker.example.com:1883 with s3cr3t-client-secret", metadata: ["url": "smtp://u:Sm7p@mail:25"])
        logger.warning("name \u{1B}]0;owned\u{07}Eve\u{202E}\nforged line")
        logger.trace("below the level: not written")
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        #expect(!text.contains("Mq77pw") && !text.contains("s3cr3t-client-secret") && !text.contains("Sm7p"))
        #expect(lines[0].contains(" info mqtt: connecting to mqtt://agent:[REDACTED]@broker.example.com:1883 with [REDACTED] url=smtp://u:[REDACTED]@mail:25"))
        #expect(lines[1].contains(" warning mqtt: name \u{FFFD}Eve forged line"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }
}
