/// One decoded netstring: the payload between `<length>:` and the trailing `,`.
public struct NetstringFrame: Hashable, Sendable {
    /// The payload bytes (for baresip: one JSON object).
    public var payload: [UInt8]

    public init(payload: [UInt8]) {
        self.payload = payload
    }
}

/// Why a stretch of input is not a valid netstring.
///
/// Every case names what went wrong and the byte offset in the stream (counted from the first
/// byte ever appended to the decoder) where the broken frame started, so a log line can point at it.
public enum NetstringError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A byte other than an ASCII digit or `:` appeared in the length prefix
    /// (this includes a missing `:`).
    case invalidLengthByte(UInt8, offset: Int)
    /// The length prefix was empty (`:` came first).
    case emptyLength(offset: Int)
    /// The length had a leading zero (`05:`), which baresip's netstring reader rejects too.
    case leadingZero(offset: Int)
    /// The declared length exceeds the decoder's limit.
    case frameTooLarge(declaredAtLeast: Int, limit: Int, offset: Int)
    /// The byte after the payload was not `,`.
    case missingTrailingComma(found: UInt8, offset: Int)

    public var description: String {
        switch self {
        case .invalidLengthByte(let byte, let offset):
            return "netstring: byte 0x\(String(byte, radix: 16)) in the length prefix at offset \(offset) "
                + "(expected digits then ':'); the peer is not speaking netstrings, check the port"
        case .emptyLength(let offset):
            return "netstring: empty length prefix at offset \(offset); the stream is corrupt"
        case .leadingZero(let offset):
            return "netstring: length with a leading zero at offset \(offset); the stream is corrupt"
        case .frameTooLarge(let declared, let limit, let offset):
            return "netstring: frame at offset \(offset) declares at least \(declared) bytes, "
                + "more than the limit of \(limit); the stream is corrupt or not baresip"
        case .missingTrailingComma(let found, let offset):
            return "netstring: frame at offset \(offset) is not terminated by ',' (found 0x\(String(found, radix: 16))); "
                + "the length prefix does not match the payload"
        }
    }
}

/// Limits shared by the encoder and decoder.
public enum Netstring {
    /// Largest payload accepted by default: 64 KiB. baresip's events are a few hundred bytes;
    /// the longest responses (`callstat`) are a few KiB.
    public static let defaultMaxLength = 64 * 1024
}
