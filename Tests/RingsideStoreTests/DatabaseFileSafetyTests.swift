import Foundation
import RingsideStore
import Testing

/// Issue 19: the database is private (folder 0700, file and WAL 0600), and a zero-byte or damaged file is refused
/// with a message saying what to do, never started over or deleted.
@Suite struct DatabaseFileSafetyTests {
    let folder = NSTemporaryDirectory() + "ringside-dbsafety-\(UUID().uuidString)/data"

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func anExistingOpenFolderAndANewFileArePrivate() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        #expect(try mode(folder) == 0o755)
        let path = folder + "/ringside.sqlite"
        let database = try RingsideDatabase(path: path)
        try database.execute("CREATE TABLE probe (x); INSERT INTO probe VALUES (1)")
        #expect(try mode(folder) == 0o700)
        #expect(try mode(path) == 0o600)
        #expect(try mode(path + "-wal") == 0o600)
    }

    @Test func anExistingWorldReadableFileIsMadePrivate() throws {
        let path = folder + "/ringside.sqlite"
        _ = try RingsideDatabase(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        _ = try RingsideDatabase(path: path)
        #expect(try mode(path) == 0o600)
    }

    @Test func aZeroByteFileIsRefusedAndKept() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/ringside.sqlite"
        FileManager.default.createFile(atPath: path, contents: Data())
        #expect { try RingsideDatabase(path: path) } throws: { error in
            "\(error)".contains("empty file (0 bytes)") && "\(error)".contains("restore it from a backup")
        }
        #expect(FileManager.default.fileExists(atPath: path))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue == 0)
    }

    @Test func aFileDamagedMidWayIsRefusedUntouched() throws {
        let path = folder + "/ringside.sqlite"
        do {
            let database = try RingsideDatabase(path: path)
            try database.execute("CREATE TABLE filler (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO filler SELECT printf('%0500d', i) FROM n")
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 200_000)
        let middle = bytes.count / 2 / 4096 * 4096
        bytes.replaceSubrange(middle..<middle + 4096, with: Data(repeating: 0xA5, count: 4096))
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect { try RingsideDatabase(path: path) } throws: { error in
            "\(error)".contains("is damaged") && "\(error)".contains(".recover")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "the damaged file is left exactly as it was")
    }
}

extension DatabaseFileSafetyTests {
    @Test func theWriteProbeFailsOnAReadOnlyDatabase() throws {
        let path = folder + "/ringside.sqlite"
        _ = try RingsideDatabase(path: path)
        try RingsideDatabase(path: path).checkWritable()
        let readOnly = try RingsideDatabase(path: path, readOnly: true)
        #expect(throws: StoreError.self) { try readOnly.checkWritable() }
    }
}
