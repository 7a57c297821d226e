#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where the long-lived refresh token is kept between runs.
public protocol TokenStore: Sendable {
    /// The saved refresh token, or nil when none was saved.
    func loadRefreshToken() throws(SalesforceError) -> String?
    /// Saves (replaces) the refresh token.
    func saveRefreshToken(_ token: String) throws(SalesforceError)
    /// Forgets the refresh token (logout).
    func clear() throws(SalesforceError)
}

/// Keeps the refresh token in memory only (tests, one-off commands).
public final class InMemoryTokenStore: TokenStore, @unchecked Sendable {
    private let lock = NSLock()
    private var token: String?

    public init(refreshToken: String? = nil) { token = refreshToken }

    public func loadRefreshToken() throws(SalesforceError) -> String? { lock.withLock { token } }
    public func saveRefreshToken(_ token: String) throws(SalesforceError) { lock.withLock { self.token = token } }
    public func clear() throws(SalesforceError) { lock.withLock { token = nil } }
}

/// Keeps the refresh token in a file readable and writable by the owner only (mode 0600).
///
/// Writes go to a new temporary file in the same directory, created with
/// `O_CREAT | O_EXCL` and mode 0600 (then `fchmod` 0600, whatever the umask), synced, and
/// renamed over the target, so the token is never readable by others, not even briefly,
/// and a crash leaves either the old or the new token. The directory is created with 0700.
public struct FileTokenStore: TokenStore {
    public let path: String

    public init(path: String) { self.path = path }

    public func loadRefreshToken() throws(SalesforceError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("cannot open for reading")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 64 * 1024 { throw .tokenStore(path: path, reason: "file is too large to be a token file") }
        }
        let text = String(decoding: bytes, as: UTF8.self).trimmed(of: " \n\r\t")
        return text.isEmpty ? nil : text
    }

    public func saveRefreshToken(_ token: String) throws(SalesforceError) {
        guard !token.contains("\n"), !token.isEmpty else {
            throw .tokenStore(path: path, reason: "refusing to save an empty or multi-line token")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try makeDirectory(directory) }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        guard fchmod(fd, 0o600) == 0 else { let e = failure("cannot set mode 0600"); close(fd); throw e }
        let data = Array((token + "\n").utf8)
        var written = 0
        while written < data.count {
            let n = data[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = failure("cannot write")
                close(fd)
                throw e
            }
            written += n
        }
        guard fsync(fd) == 0 else { let e = failure("cannot sync"); close(fd); throw e }
        guard close(fd) == 0 else { throw failure("cannot close") }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename into place") }
        ok = true
    }

    public func clear() throws(SalesforceError) {
        if unlink(path) != 0 && errno != ENOENT { throw failure("cannot delete") }
    }

    /// The file's permission bits (e.g. 0o600), or nil when it does not exist.
    public func permissions() -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    private func makeDirectory(_ directory: String) throws(SalesforceError) {
        var info = stat()
        if stat(directory, &info) == 0 { return }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try makeDirectory(parent) }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST { throw failure("cannot create directory \(directory)") }
    }

    private func failure(_ what: String) -> SalesforceError {
        .tokenStore(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
