import Foundation
@testable import RingsideApp
import RingsideCore
import Testing

/// Issue 16 (rebuild peak): the index builder's buffers grow without copying, in memory or in an unlinked spill
/// file whose pages are given back as they are written; either way they hold exactly what was appended.
@Suite struct GrowingBufferTests {
    static func check(_ buffer: GrowingBuffer<UInt32>) {
        var expected: [UInt32] = []
        var rng = SplitMix64(state: 16)
        // More than one release period (8 MiB) and past the first file length (1 MiB), with truncations (a dropped record).
        for round in 0..<3_000_000 {
            let value = UInt32(truncatingIfNeeded: rng.next())
            buffer.append(value)
            expected.append(value)
            if round % 1_000 == 999 {
                let keep = expected.count - Int(value % 7)
                buffer.truncate(to: keep)
                expected.removeSubrange(keep...)
            }
        }
        buffer.releaseResident()
        #expect(buffer.count == expected.count)
        let shared = buffer.shared
        #expect(shared.count == expected.count)
        #expect(shared.elementsEqual(expected))
    }

    @Test func anonymousBufferHoldsWhatWasAppended() {
        let buffer = GrowingBuffer<UInt32>()
        #expect(!buffer.spills)
        Self.check(buffer)
    }

    @Test func spilledBufferHoldsWhatWasAppended() throws {
        let folder = NSTemporaryDirectory() + "ringside-growing-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let buffer = GrowingBuffer<UInt32>(spillingTo: folder)
        #expect(buffer.spills)
        Self.check(buffer)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "the spill file is unlinked at once")
    }
}
