#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import RingsideSalesforce

/// Issue 15 (seed 003): the saved refresh token is encrypted at rest with AES-256-GCM (OpenSSL libcrypto), its key
/// in the kernel keyring; without a key store the 0600 file stays as before; a modified file is refused.
@Suite("EncryptedFileTokenStore", .serialized)
struct EncryptedTokenStoreTests {
    static let secret = "5Aep861-refresh-SECRET-token.value"

    static func path() -> (dir: String, file: String) {
        let dir = NSTemporaryDirectory() + "ringside-enc-\(UUID().uuidString.prefix(8))"
        return (dir, dir + "/salesforce-refresh-token")
    }

    static func fileText(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func withAKeyStoreTheFileHoldsNoTokenAndReadsBack() throws {
        let (dir, file) = Self.path()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keys = InMemoryTokenKeyStore()
        let store = EncryptedFileTokenStore(path: file, keys: keys)
        try store.saveRefreshToken(Self.secret)
        let text = try Self.fileText(file)
        #expect(text.hasPrefix("rsg1:"))
        #expect(!text.contains(Self.secret))
        #expect(!text.contains("5Aep861"))
        #expect(TokenStoreTests.mode(file) == 0o600)
        #expect(try keys.loadKey()?.count == 32)
        #expect(try store.loadRefreshToken() == Self.secret)
        // A second save reuses the key; each save has a fresh IV.
        try store.saveRefreshToken(Self.secret)
        #expect(try Self.fileText(file) != text)
        #expect(try store.loadRefreshToken() == Self.secret)
        #expect(store.protection.hasPrefix("encrypted (AES-256-GCM)"))
        try store.clear()
        #expect(try keys.loadKey() == nil)
        #expect(try store.loadRefreshToken() == nil)
    }

    @Test func withoutAKeyStoreTheTokenIsAPlain0600FileAsBefore() throws {
        let (dir, file) = Self.path()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = EncryptedFileTokenStore.live(path: file, environment: ["RINGSIDE_TOKEN_KEYRING": "off"])
        #expect(store.keys == nil)
        #expect(store.protection.hasPrefix("not encrypted"))
        try store.saveRefreshToken(Self.secret)
        #expect(try Self.fileText(file) == Self.secret + "\n")
        #expect(TokenStoreTests.mode(file) == 0o600)
        #expect(try store.loadRefreshToken() == Self.secret)
        // A key store appearing later reads the old plain file, and the next save encrypts it.
        let upgraded = EncryptedFileTokenStore(path: file, keys: InMemoryTokenKeyStore())
        #expect(try upgraded.loadRefreshToken() == Self.secret)
        try upgraded.saveRefreshToken(Self.secret)
        #expect(!(try Self.fileText(file)).contains(Self.secret))
    }

    @Test(arguments: [0, 8, 20, 40, -1])
    func aModifiedFileIsRefusedWithAClearMessage(flipAt offset: Int) throws {
        let (dir, file) = Self.path()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = EncryptedFileTokenStore(path: file, keys: InMemoryTokenKeyStore())
        try store.saveRefreshToken(Self.secret)
        var bytes = [UInt8](Data(base64Encoded: String(try Self.fileText(file).dropFirst(5).dropLast()))!)
        let index = offset < 0 ? bytes.count - 1 : offset  // IV, tag, ciphertext
        bytes[index] ^= 0x01
        try ("rsg1:" + Data(bytes).base64EncodedString() + "\n").write(toFile: file, atomically: false, encoding: .utf8)
        #expect { try store.loadRefreshToken() } throws: { error in
            let text = "\(error)"
            return text.contains("modified or damaged") && text.contains("ringside login") && !text.contains(Self.secret)
        }
    }

    @Test func aLostKeySaysToLogInAgain() throws {
        let (dir, file) = Self.path()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keys = InMemoryTokenKeyStore()
        try EncryptedFileTokenStore(path: file, keys: keys).saveRefreshToken(Self.secret)
        try keys.removeKey()  // as after a reboot
        #expect { try EncryptedFileTokenStore(path: file, keys: keys).loadRefreshToken() } throws: { error in
            "\(error)".contains("gone from the in-memory key (tests)") && "\(error)".contains("run `ringside login` again")
        }
        // Another key (a new keyring entry) fails authentication instead of producing garbage.
        try keys.saveKey(try TokenCipher.randomKey())
        #expect(throws: SalesforceError.self) { try EncryptedFileTokenStore(path: file, keys: keys).loadRefreshToken() }
        #expect { try EncryptedFileTokenStore(path: file, keys: nil).loadRefreshToken() } throws: { error in
            "\(error)".contains("encrypted but no keyring")
        }
    }

    @Test func cipherRoundTripAndWrongKey() throws {
        let key = try TokenCipher.randomKey()
        let sealed = try TokenCipher.seal(Self.secret, key: key)
        #expect(TokenCipher.open(sealed, key: key) == Self.secret)
        #expect(TokenCipher.open(sealed, key: try TokenCipher.randomKey()) == nil)
        #expect(TokenCipher.open("rsg1:not base64!", key: key) == nil)
        #expect(TokenCipher.open(String(sealed.dropLast(4)), key: key) == nil)
    }

    /// The real kernel keyring (keyctl/add_key syscalls). Where the kernel refuses keyrings (some container
    /// seccomp profiles) there is nothing to test: the live store then falls back, checked above.
    @Test func theRealKernelKeyringKeepsTheKey() throws {
        let (dir, file) = Self.path()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = EncryptedFileTokenStore.live(path: file, environment: [:])
        guard let keys = store.keys else {
            // Refused here: the live store must then be exactly the plain 0600 file, and say so.
            print("kernel keyring refused here: checking the live fallback")
            #expect(store.protection.hasPrefix("not encrypted"))
            try store.saveRefreshToken(Self.secret)
            #expect(try Self.fileText(file) == Self.secret + "\n")
            #expect(TokenStoreTests.mode(file) == 0o600)
            #expect(try EncryptedFileTokenStore.live(path: file, environment: [:]).loadRefreshToken() == Self.secret)
            return
        }
        defer { try? store.clear() }
        #expect(keys.name.hasPrefix("kernel"))
        try store.saveRefreshToken(Self.secret)
        #expect(!(try Self.fileText(file)).contains(Self.secret))
        // A fresh store (as a new process would build) finds the key in the keyring.
        #expect(try EncryptedFileTokenStore.live(path: file, environment: [:]).loadRefreshToken() == Self.secret)
        try keys.removeKey()
        #expect { try EncryptedFileTokenStore.live(path: file, environment: [:]).loadRefreshToken() } throws: { error in
            "\(error)".contains("gone from the kernel") && "\(error)".contains("ringside login")
        }
    }
}
