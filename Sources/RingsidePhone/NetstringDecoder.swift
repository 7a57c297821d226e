/// A pure, incremental netstring decoder.
///
/// Feed it bytes as they arrive (split anywhere); it returns every frame completed by those bytes
/// and every error found, in stream order.
///
/// **Length policy** (as baresip's reader): ASCII digits only, no leading zeros (`0:,` is the only
/// length starting with `0`), at most `maxLength` bytes of payload (a longer declaration is rejected
/// as soon as its digits exceed the limit, without waiting for the payload).
///
/// **Resynchronisation strategy.** After an error the decoder reports it once and enters *resync*:
/// it drops the first byte of the broken frame and scans forward for the next plausible frame start,
/// i.e. a digit that begins `<digits>:` followed (when `expectedPayloadStart` is set, e.g. `{` for JSON)
/// by that byte. Candidates are parsed normally; a failing candidate is dropped one byte at a time,
/// silently, until a frame decodes — then the decoder is back in normal mode and later errors are reported
/// again. Because undecided bytes stay buffered, a valid frame that follows garbage is always recovered,
/// even when a garbage candidate's declared length swallowed it first (the decoder backtracks), and a garbage
/// candidate claiming a long length cannot stall the stream: while it is incomplete, a later candidate that already
/// forms a whole frame wins.
/// The buffer never holds more than `maxLength` + 8 bytes, so memory is bounded.
/// A caller that cannot tolerate lost frames (events may have been inside the garbage) should resynchronise
/// its own state after any error — `BaresipLink` re-reads the call list.
public struct NetstringDecoder: Sendable {
    /// Largest payload accepted.
    public let maxLength: Int
    /// When set, a frame found while resynchronising must start with this payload byte.
    public let expectedPayloadStart: UInt8?

    /// Undecided bytes, starting at the beginning of the next (candidate) frame.
    private var buffer: [UInt8] = []
    /// Read position in `buffer`; bytes before it are consumed and trimmed lazily.
    private var start = 0
    /// Stream offset of `buffer[start]`.
    private var streamOffset = 0
    /// Total bytes needed before the current candidate can be decided (0 = unknown).
    private var needed = 0
    /// True after an error until the next successfully decoded frame.
    private(set) public var isResynchronising = false
    /// Bytes discarded while resynchronising (for diagnostics).
    private(set) public var discardedByteCount = 0

    public init(maxLength: Int = Netstring.defaultMaxLength, expectedPayloadStart: UInt8? = nil) {
        precondition(maxLength >= 0, "maxLength must not be negative")
        self.maxLength = maxLength
        self.expectedPayloadStart = expectedPayloadStart
    }

    /// Appends bytes and returns the frames and errors they complete, in stream order.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [Result<NetstringFrame, NetstringError>] {
        buffer.append(contentsOf: bytes)
        var results: [Result<NetstringFrame, NetstringError>] = []
        while start < buffer.count {
            if needed > 0 && !isResynchronising && buffer.count - start < needed { break }
            switch parseOne(at: start) {
            case .incomplete(let total):
                if isResynchronising, let later = laterCompleteCandidate() {
                    // The pending candidate may be garbage claiming a long length; a complete frame further on wins.
                    discardedByteCount += later - start
                    consume(later - start)
                    continue
                }
                needed = total
                compact()
                return results
            case .frame(let frame, let length):
                results.append(.success(frame))
                consume(length)
                isResynchronising = false
            case .failure(let error):
                if !isResynchronising {
                    results.append(.failure(error))
                    isResynchronising = true
                }
                // Drop the first byte of the broken candidate, then skip to the next plausible start.
                consume(1)
                discardedByteCount += 1
                skipToPlausibleStart()
            }
        }
        compact()
        return results
    }

    // MARK: - Parsing

    private enum Step {
        /// `total` = bytes needed for a decision, or 0 when the header itself is incomplete.
        case incomplete(total: Int)
        case frame(NetstringFrame, length: Int)
        case failure(NetstringError)
    }

    /// While resynchronising: the position of the first later plausible start that already decodes to a whole frame.
    private func laterCompleteCandidate() -> Int? {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        var position = start + 1
        while position < buffer.count {
            let byte = buffer[position]
            let previous = buffer[position - 1]
            if byte >= zero && byte <= nine && !(previous >= zero && previous <= nine),
               case .frame = parseOne(at: position) {
                return position
            }
            position += 1
        }
        return nil
    }

    private func parseOne(at start: Int) -> Step {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9"), colon = UInt8(ascii: ":")
        var index = start
        var length = 0
        var digits = 0
        let offset = streamOffset + (start - self.start)
        while true {
            guard index < buffer.count else { return .incomplete(total: 0) }
            let byte = buffer[index]
            if byte == colon { break }
            guard byte >= zero && byte <= nine else {
                return .failure(.invalidLengthByte(byte, offset: offset))
            }
            if digits == 1 && buffer[start] == zero {
                return .failure(.leadingZero(offset: offset))
            }
            length = length * 10 + Int(byte - zero)
            digits += 1
            if length > maxLength {
                return .failure(.frameTooLarge(declaredAtLeast: length, limit: maxLength, offset: offset))
            }
            index += 1
        }
        guard digits > 0 else { return .failure(.emptyLength(offset: offset)) }
        let payloadStart = index + 1
        let total = payloadStart - start + length + 1
        if isResynchronising, let expected = expectedPayloadStart, length > 0 {
            guard payloadStart < buffer.count else { return .incomplete(total: payloadStart - start + 1) }
            guard buffer[payloadStart] == expected else {
                return .failure(.invalidLengthByte(buffer[payloadStart], offset: offset))
            }
        }
        guard buffer.count - start >= total else { return .incomplete(total: total) }
        let commaIndex = payloadStart + length
        guard buffer[commaIndex] == UInt8(ascii: ",") else {
            return .failure(.missingTrailingComma(found: buffer[commaIndex], offset: offset))
        }
        return .frame(NetstringFrame(payload: Array(buffer[payloadStart..<commaIndex])), length: total)
    }

    private mutating func consume(_ count: Int) {
        start += count
        streamOffset += count
        needed = 0
    }

    private mutating func skipToPlausibleStart() {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        while start < buffer.count {
            let byte = buffer[start]
            if byte >= zero && byte <= nine { return }
            consume(1)
            discardedByteCount += 1
        }
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
