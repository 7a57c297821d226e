import RingsideCore
import Testing
@testable import RingsidePhone

@Suite("Netstring decoder")
struct NetstringDecoderTests {
    static let samples: [String] = [
        #"{"event":true,"type":"CALL_INCOMING","class":"call","id":"e6d6bc0f79b4e5fb","param":"sip:alice@127.0.0.1"}"#,
        #"{"response":true,"ok":true,"data":"","token":"d1"}"#,
        "",
        #"{"response":true,"ok":true,"data":"\n--- Active calls (0) ---\n\n","token":"l0"}"#,
        "hello, world: 12:34,",
    ]

    static func stream() -> [UInt8] {
        samples.flatMap { NetstringEncoder().encode(Array($0.utf8)) }
    }

    static func payloads(_ results: [Result<NetstringFrame, NetstringError>]) -> [String] {
        results.compactMap { try? $0.get() }.map { String(decoding: $0.payload, as: UTF8.self) }
    }

    @Test func encodesAsBaresipDoes() {
        let bytes = NetstringEncoder().encode(Array(#"{"command":"help","token":"h1"}"#.utf8))
        #expect(String(decoding: bytes, as: UTF8.self) == #"31:{"command":"help","token":"h1"},"#)
        #expect(NetstringEncoder().encode([]) == Array("0:,".utf8))
    }

    @Test func decodesWholeStream() {
        var decoder = NetstringDecoder()
        let results = decoder.append(Self.stream())
        #expect(Self.payloads(results) == Self.samples)
        #expect(results.count == Self.samples.count)
    }

    @Test func splitAtEveryByteBoundaryRecoversAllFrames() {
        let stream = Self.stream()
        for cut in 0...stream.count {
            var decoder = NetstringDecoder()
            var results = decoder.append(stream[..<cut])
            results += decoder.append(stream[cut...])
            #expect(Self.payloads(results) == Self.samples, "cut at \(cut)")
            #expect(results.allSatisfy { (try? $0.get()) != nil })
        }
    }

    @Test func byteByByte() {
        var decoder = NetstringDecoder()
        var results: [Result<NetstringFrame, NetstringError>] = []
        for byte in Self.stream() { results += decoder.append([byte]) }
        #expect(Self.payloads(results) == Self.samples)
    }

    @Test func randomSplitsRecoverAllFrames() {
        var rng = SplitMix64(state: 42)
        let stream = Array(repeating: Self.stream(), count: 20).flatMap { $0 }
        for _ in 0..<300 {
            var decoder = NetstringDecoder()
            var results: [Result<NetstringFrame, NetstringError>] = []
            var index = 0
            while index < stream.count {
                let size = Int.random(in: 1...64, using: &rng)
                let end = min(stream.count, index + size)
                results += decoder.append(stream[index..<end])
                index = end
            }
            #expect(results.count == Self.samples.count * 20)
            #expect(Self.payloads(results) == Array(repeating: Self.samples, count: 20).flatMap { $0 })
        }
    }

    @Test func rejectsNonDigitLength() {
        var decoder = NetstringDecoder()
        let results = decoder.append(Array("x5:hello,".utf8))
        guard case .failure(.invalidLengthByte(let byte, offset: 0)) = results.first else {
            Issue.record("expected invalidLengthByte, got \(results)")
            return
        }
        #expect(byte == UInt8(ascii: "x"))
        // And it resynchronises onto the valid frame after the garbage byte.
        #expect(Self.payloads(results) == ["hello"])
    }

    @Test func rejectsMissingColon() {
        var decoder = NetstringDecoder()
        let results = decoder.append(Array("5hello,".utf8))
        #expect(results.first == .failure(.invalidLengthByte(UInt8(ascii: "h"), offset: 0)))
    }

    @Test func rejectsEmptyLength() {
        var decoder = NetstringDecoder()
        #expect(decoder.append(Array(":,".utf8)).first == .failure(.emptyLength(offset: 0)))
    }

    @Test func rejectsLeadingZeroButAcceptsZeroLength() {
        var decoder = NetstringDecoder()
        #expect(decoder.append(Array("05:hello,".utf8)).first == .failure(.leadingZero(offset: 0)))
        var fresh = NetstringDecoder()
        #expect(Self.payloads(fresh.append(Array("0:,".utf8))) == [""])
    }

    @Test func rejectsMissingTrailingComma() {
        var decoder = NetstringDecoder()
        let results = decoder.append(Array("5:hello!".utf8))
        #expect(results == [.failure(.missingTrailingComma(found: UInt8(ascii: "!"), offset: 0))])
    }

    @Test func rejectsHugeLengthsWithoutBuffering() {
        var decoder = NetstringDecoder(maxLength: 65536)
        let results = decoder.append(Array("65537:".utf8))
        #expect(results == [.failure(.frameTooLarge(declaredAtLeast: 65537, limit: 65536, offset: 0))])
        var huge = NetstringDecoder(maxLength: 65536)
        let many = huge.append(Array("99999999999999999999999999999999999999999:".utf8))
        guard case .failure(.frameTooLarge)? = many.first else {
            Issue.record("expected frameTooLarge, got \(many)")
            return
        }
        #expect(many.count == 1, "one error per resync episode")
        // Exactly at the limit is fine.
        var exact = NetstringDecoder(maxLength: 10)
        #expect(Self.payloads(exact.append(Array("10:0123456789,".utf8))) == ["0123456789"])
    }

    @Test func recoversValidFramesAfterGarbage() {
        let garbage = Array("garbage 12 ,,: 999:{{{ 7:".utf8)
        var decoder = NetstringDecoder(expectedPayloadStart: UInt8(ascii: "{"))
        let results = decoder.append(garbage + Self.stream())
        let errors = results.filter { (try? $0.get()) == nil }
        #expect(errors.count == 1)
        // The empty sample cannot be told from garbage while resynchronising (it has no '{'); all JSON frames survive.
        #expect(Self.payloads(results).filter { $0.hasPrefix("{") } == Self.samples.filter { $0.hasPrefix("{") })
        #expect(decoder.isResynchronising == false)
    }

    @Test func backtracksWhenAGarbageLengthSwallowsAValidFrame() {
        // "40:{" looks like a frame start and claims the following valid frame; the decoder must backtrack.
        let valid = NetstringEncoder().encode(Array(#"{"a":1}"#.utf8))
        let stream = Array("x40:{".utf8) + valid + Array(repeating: UInt8(ascii: " "), count: 40) + valid
        var decoder = NetstringDecoder(expectedPayloadStart: UInt8(ascii: "{"))
        let results = decoder.append(stream)
        #expect(Self.payloads(results).filter { $0 == #"{"a":1}"# }.count >= 2)
    }

    @Test func randomBytesNeverCrashAndStayBounded() {
        var rng = SplitMix64(state: 7)
        let alphabet = Array("0123456789:,{}\"ab \n".utf8)
        for round in 0..<400 {
            var decoder = NetstringDecoder(maxLength: 1024, expectedPayloadStart: round.isMultiple(of: 2) ? UInt8(ascii: "{") : nil)
            for _ in 0..<20 {
                let count = Int.random(in: 0...200, using: &rng)
                let chunk: [UInt8] = (0..<count).map { _ in
                    Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                }
                for result in decoder.append(chunk) {
                    if case .success(let frame) = result { #expect(frame.payload.count <= 1024) }
                }
            }
            // Whatever state the garbage left, a valid JSON frame afterwards is recovered.
            let tail = Array(repeating: NetstringEncoder().encode(Array(#"{"ok":1}"#.utf8)), count: 3).flatMap { $0 }
            let padding = Array(repeating: UInt8(ascii: " "), count: 1100)  // lets any half-read garbage frame complete
            let recovered = Self.payloads(decoder.append(padding + tail))
            #expect(recovered.filter { $0 == #"{"ok":1}"# }.count >= 1, "round \(round)")
        }
    }

    @Test func randomTruncationsOfValidStreamsYieldPrefixOfFrames() {
        var rng = SplitMix64(state: 99)
        let stream = Self.stream()
        for _ in 0..<500 {
            let cut = Int.random(in: 0...stream.count, using: &rng)
            var decoder = NetstringDecoder()
            let results = decoder.append(stream[..<cut])
            let payloads = Self.payloads(results)
            #expect(results.allSatisfy { (try? $0.get()) != nil }, "a truncated valid stream is never an error")
            #expect(Array(Self.samples.prefix(payloads.count)) == payloads)
        }
    }
}
