@testable import RingsideApp
import RingsideCore
import RingsideTestSupport
import Testing

/// The workers' shared wait: ended by its timer, a wake-up or cancellation; no wake-up lost, none left over.
@Suite("WakeableSleep")
struct WakeableSleepTests {
    @Test func aWakeUpWhileNobodyWaitsEndsTheNextWaitAtOnce() async {
        let sleeper = ManualSleeper()
        let waits = WakeableSleep(sleeper: sleeper)
        waits.wake()
        await waits.sleep(seconds: 60)
        #expect(sleeper.requested.isEmpty, "the wait never started a timer")
    }

    @Test func theTimerEndsTheWait() async throws {
        let sleeper = ManualSleeper()
        let waits = WakeableSleep(sleeper: sleeper)
        let waiting = Task { await waits.sleep(seconds: 5) }
        try await sleeper.waitForSleeps(1)
        sleeper.resumeAll()
        await waiting.value
        #expect(sleeper.requested == [5])
    }

    @Test func aWakeUpEndsTheWaitAndLeavesNothingForTheNextOne() async throws {
        let sleeper = ManualSleeper()
        let waits = WakeableSleep(sleeper: sleeper)
        let first = Task { await waits.sleep(seconds: 5) }
        try await sleeper.waitForSleeps(1)
        waits.wake()
        await first.value
        #expect(sleeper.sleeping == 0, "the first wait's timer was cancelled")
        // The next wait really waits (a left-over wake-up would end it before it starts its timer).
        let second = Task { await waits.sleep(seconds: 7) }
        try await sleeper.waitForSleeps(2)
        #expect(sleeper.requested == [5, 7])
        sleeper.resumeAll()
        await second.value
    }

    @Test func forgetWakeUpDropsAKeptWakeUp() async throws {
        let sleeper = ManualSleeper()
        let waits = WakeableSleep(sleeper: sleeper)
        waits.wake()
        waits.forgetWakeUp()
        let waiting = Task { await waits.sleep(seconds: 3) }
        try await sleeper.waitForSleeps(1)
        sleeper.resumeAll()
        await waiting.value
        #expect(sleeper.requested == [3])
    }

    @Test func cancellingTheWaitingTaskEndsTheWait() async throws {
        let sleeper = ManualSleeper()
        let waits = WakeableSleep(sleeper: sleeper)
        let waiting = Task { await waits.sleep(seconds: 3600) }
        try await sleeper.waitForSleeps(1)
        waiting.cancel()
        await waiting.value
        #expect(sleeper.sleeping == 0)
    }
}
