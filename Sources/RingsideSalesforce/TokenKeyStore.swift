#if canImport(Glibc)
import Glibc
#endif
import CCrypto
import Foundation

/// Where the key that encrypts the saved token lives (issue 15, seed 003: tokens encrypted at rest).
public protocol TokenKeyStore: Sendable {
    /// What `ringside doctor` says about the protection, e.g. "kernel persistent keyring".
    var name: String { get }
    /// The 32-byte key, or nil when none is stored (never made, or gone after a reboot).
    func loadKey() throws(SalesforceError) -> [UInt8]?
    func saveKey(_ key: [UInt8]) throws(SalesforceError)
    func removeKey() throws(SalesforceError)
}

/// A key held in memory (tests; one process).
public final class InMemoryTokenKeyStore: TokenKeyStore, @unchecked Sendable {
    private let lock = NSLock()
    private var key: [UInt8]?
    public let name = "in-memory key (tests)"

    public init(key: [UInt8]? = nil) { self.key = key }

    public func loadKey() throws(SalesforceError) -> [UInt8]? { lock.withLock { key } }
    public func saveKey(_ key: [UInt8]) throws(SalesforceError) { lock.withLock { self.key = key } }
    public func removeKey() throws(SalesforceError) { lock.withLock { key = nil } }
}

/// The Linux kernel key-retention service: a "user" key in the caller's persistent keyring when the kernel
/// offers one (it survives logout, not a reboot), else in the user keyring. The key never touches the disk.
public struct KernelKeyringTokenKeyStore: TokenKeyStore {
    public let description: String
    let keyring: Int
    let persistent: Bool

    public var name: String { persistent ? "kernel persistent keyring" : "kernel user keyring" }

    /// The keyring, or nil when the kernel refuses keyrings here (e.g. a container's seccomp filter).
    public init?(description: String) {
        var persistent: Int32 = 0
        let id = ringside_keyring(&persistent)
        guard id != -1 else { return nil }
        self.description = description
        self.keyring = id
        self.persistent = persistent == 1
    }

    public func loadKey() throws(SalesforceError) -> [UInt8]? {
        let serial = ringside_search_key(description, keyring)
        if serial < 0 {
            if errno == ENOKEY || errno == EKEYEXPIRED || errno == EKEYREVOKED { return nil }
            throw failure("cannot search the keyring")
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { ringside_read_key(serial, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw failure("cannot read the key") }
        guard n == 32 else { throw .tokenStore(path: description, reason: "the keyring entry is not a 32-byte key; run `ringside login` again") }
        return Array(buffer[0..<32])
    }

    public func saveKey(_ key: [UInt8]) throws(SalesforceError) {
        let serial = key.withUnsafeBytes { ringside_add_key(description, $0.baseAddress, $0.count, keyring) }
        guard serial > 0 else { throw failure("cannot add the key to the keyring") }
    }

    public func removeKey() throws(SalesforceError) {
        let serial = ringside_search_key(description, keyring)
        if serial < 0 { return }
        guard ringside_invalidate_key(serial) == 0 else { throw failure("cannot remove the key") }
    }

    private func failure(_ what: String) -> SalesforceError {
        .tokenStore(path: "keyring \(description)", reason: "\(what): \(String(cString: strerror(errno)))")
    }
}

/// AES-256-GCM through OpenSSL's EVP interface. Sealed text: `rsg1:` + base64(12-byte IV ‖ 16-byte tag ‖ ciphertext).
public enum TokenCipher {
    static let prefix = "rsg1:"
    static let aad = Array("ringside refresh token v1".utf8)

    public static func randomKey() throws(SalesforceError) -> [UInt8] { try random(32) }

    static func random(_ count: Int) throws(SalesforceError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { ringside_random($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw .tokenStore(path: "libcrypto", reason: "RAND_bytes failed") }
        return bytes
    }

    public static func seal(_ plain: String, key: [UInt8]) throws(SalesforceError) -> String {
        let input = Array(plain.utf8)
        let iv = try random(12)
        var out = [UInt8](repeating: 0, count: max(1, input.count))
        var tag = [UInt8](repeating: 0, count: 16)
        let ok = key.withUnsafeBufferPointer { k in
            iv.withUnsafeBufferPointer { v in
                aad.withUnsafeBufferPointer { a in
                    input.withUnsafeBufferPointer { i in
                        out.withUnsafeMutableBufferPointer { o in
                            tag.withUnsafeMutableBufferPointer { t in
                                ringside_gcm_seal(k.baseAddress, v.baseAddress, a.baseAddress, Int32(a.count), i.baseAddress,
                                                  Int32(input.count), o.baseAddress, t.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw .tokenStore(path: "libcrypto", reason: "AES-256-GCM encryption failed") }
        return prefix + Data(iv + tag + out.prefix(input.count)).base64EncodedString()
    }

    /// The plain text, or nil when the sealed text was modified or the key is not the one that sealed it.
    public static func open(_ sealed: String, key: [UInt8]) -> String? {
        guard sealed.hasPrefix(prefix), let data = Data(base64Encoded: String(sealed.dropFirst(prefix.count))),
              data.count >= 28, key.count == 32 else { return nil }
        let bytes = [UInt8](data)
        let iv = Array(bytes[0..<12]), tag = Array(bytes[12..<28]), body = Array(bytes[28...])
        var out = [UInt8](repeating: 0, count: max(1, body.count))
        let ok = key.withUnsafeBufferPointer { k in
            iv.withUnsafeBufferPointer { v in
                aad.withUnsafeBufferPointer { a in
                    body.withUnsafeBufferPointer { i in
                        tag.withUnsafeBufferPointer { t in
                            out.withUnsafeMutableBufferPointer { o in
                                ringside_gcm_open(k.baseAddress, v.baseAddress, a.baseAddress, Int32(a.count), i.baseAddress,
                                                  Int32(body.count), t.baseAddress, o.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        guard ok == 1 else { return nil }
        return String(bytes: out.prefix(body.count), encoding: .utf8)
    }
}

/// The refresh token in a 0600 file, encrypted with AES-256-GCM when a key store is available (the key is kept
/// in the kernel keyring, never on disk); without one, the file holds the token as before (0600 only).
public struct EncryptedFileTokenStore: TokenStore {
    public let file: FileTokenStore
    public let keys: (any TokenKeyStore)?

    public init(path: String, keys: (any TokenKeyStore)?) {
        self.file = FileTokenStore(path: path)
        self.keys = keys
    }

    /// The live store: the kernel keyring unless `RINGSIDE_TOKEN_KEYRING=off` (or the kernel refuses keyrings).
    public static func live(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> EncryptedFileTokenStore {
        let off = ["off", "0", "no", "false"].contains(environment["RINGSIDE_TOKEN_KEYRING"]?.lowercased() ?? "")
        let keys = off ? nil : KernelKeyringTokenKeyStore(description: "ringside:token-key:\(path)")
        return EncryptedFileTokenStore(path: path, keys: keys)
    }

    /// One line for `ringside doctor`: which protection the saved token has.
    public var protection: String {
        if let keys { return "encrypted (AES-256-GCM), key in the \(keys.name); file \(file.path) mode 0600" }
        return "not encrypted: no key store available (kernel keyring refused or RINGSIDE_TOKEN_KEYRING=off); file \(file.path) mode 0600 only"
    }

    public func loadRefreshToken() throws(SalesforceError) -> String? {
        guard let text = try file.loadRefreshToken() else { return nil }
        guard text.hasPrefix(TokenCipher.prefix) else { return text }  // saved before encryption (or without a key store)
        guard let keys else {
            throw .tokenStore(path: file.path, reason: "the saved token is encrypted but no keyring is available here; run `ringside login` again")
        }
        guard let key = try keys.loadKey() else {
            throw .tokenStore(path: file.path, reason: "the key that encrypts the saved token is gone from the \(keys.name) (after a reboot?); run `ringside login` again")
        }
        guard let token = TokenCipher.open(text, key: key) else {
            throw .tokenStore(path: file.path, reason: "the saved token file was modified or damaged (it fails authentication) and was not used; run `ringside login` again")
        }
        return token
    }

    public func saveRefreshToken(_ token: String) throws(SalesforceError) {
        guard let keys else { return try file.saveRefreshToken(token) }
        guard !token.contains("\n"), !token.isEmpty else {
            throw .tokenStore(path: file.path, reason: "refusing to save an empty or multi-line token")
        }
        let key: [UInt8]
        if let existing = try keys.loadKey() {
            key = existing
        } else {
            key = try TokenCipher.randomKey()
            try keys.saveKey(key)
        }
        try file.saveRefreshToken(try TokenCipher.seal(token, key: key))
    }

    public func clear() throws(SalesforceError) {
        try file.clear()
        try keys?.removeKey()
    }
}
