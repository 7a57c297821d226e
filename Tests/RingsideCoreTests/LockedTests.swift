import RingsideCore
import Testing

/// Issue 19: the one lock box (a `Mutex` shared by reference) that replaced three NSLock copies.
@Suite struct LockedTests {
    @Test func concurrentUpdatesAreNeverLost() async {
        let counter = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<10_000 { counter.withLock { $0 += 1 } } }
            }
        }
        #expect(counter.value == 80_000)
        #expect(counter.withValue { value -> Int in value *= 2; return value } == 160_000)
    }

    @Test func errorsFromTheBodyPassThroughTyped() {
        struct Refused: Error {}
        let box = Locked([1, 2])
        #expect(throws: Refused.self) { try box.withLock { (_: inout [Int]) throws(Refused) -> Void in throw Refused() } }
        #expect(box.value == [1, 2])
    }
}
