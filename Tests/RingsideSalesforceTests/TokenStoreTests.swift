#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import RingsideSalesforce

@Suite("FileTokenStore", .serialized)
struct TokenStoreTests {
    static func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "ringside-sf-\(UUID().uuidString)"
        return dir
    }

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    @Test func writesOwnerOnlyFileEvenWithAPermissiveUmask() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FileTokenStore(path: dir + "/nested/refresh-token")
        let old = umask(0)
        defer { umask(old) }
        #expect(try store.loadRefreshToken() == nil)
        try store.saveRefreshToken("5Aep-secret-refresh")
        #expect(Self.mode(store.path) == 0o600)
        #expect(store.permissions() == 0o600)
        #expect(Self.mode(dir + "/nested") == 0o700)
        #expect(try store.loadRefreshToken() == "5Aep-secret-refresh")
        try store.saveRefreshToken("5Aep-rotated")
        #expect(try store.loadRefreshToken() == "5Aep-rotated")
        #expect(Self.mode(store.path) == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/nested")
        #expect(leftovers == ["refresh-token"], "no temporary files left behind")
        try store.clear()
        #expect(try store.loadRefreshToken() == nil)
        try store.clear()
    }

    @Test func replacesAWorldReadableFileWithAPrivateOne() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/token"
        _ = FileManager.default.createFile(atPath: path, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(Self.mode(path) == 0o644)
        let store = FileTokenStore(path: path)
        #expect(try store.loadRefreshToken() == "old")
        try store.saveRefreshToken("new")
        #expect(Self.mode(path) == 0o600)
    }

    @Test func refusesMultiLineTokensAndReportsUnwritablePaths() {
        let store = FileTokenStore(path: "/proc/definitely/not/writable/token")
        #expect(throws: SalesforceError.self) { try store.saveRefreshToken("a\nb") }
        do {
            try store.saveRefreshToken("abc")
            Issue.record("expected a failure")
        } catch {
            guard case .tokenStore(let path, _) = error else { Issue.record("got \(error)"); return }
            #expect(path == store.path)
            #expect(!error.description.contains("abc"))
        }
    }
}
