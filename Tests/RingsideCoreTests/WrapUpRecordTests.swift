import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

@Suite("Call record: wrap-up seconds")
struct WrapUpRecordTests {
    /// Answered, talked 30 s, hung up; the agent finishes wrap-up 12 s after the end of the call.
    @Test func theCompletedRecordCarriesTheWrapUpTime() throws {
        var driver = SessionDriver()
        _ = driver.send(.phone(.incoming("w1", remote: Fixtures.fredRaw)))
        _ = driver.send(.agent(.answer), after: 3)
        _ = driver.send(.phone(.established("w1")))
        let ended = driver.send(.phone(.closed("w1", reason: .remoteHangUp)), after: 30)
        for case .save(let draft) in ended { #expect(draft.wrapUpSeconds == nil, "still in wrap-up") }
        _ = driver.send(.recordSaved("call-1"))
        let effects = driver.send(.agent(.finishWrapUp(disposition: nil, notes: "")), after: 12)
        let completed = effects.compactMap { effect -> CallRecord? in
            if case .complete(let record) = effect { return record }
            return nil
        }
        let record = try #require(completed.first)
        #expect(record.wrapUpSeconds == 12)
        #expect(record.durationSeconds == 30)
        #expect(!record.taskFields.map(\.0).contains { $0.lowercased().contains("wrap") }, "the Task mapping has no wrap-up field")
    }

    @Test func aCallCompletedWithoutWrapUpHasNone() throws {
        var driver = SessionDriver()
        _ = driver.send(.phone(.incoming("w2", remote: Fixtures.fredRaw)))
        _ = driver.send(.agent(.answer), after: 2)
        _ = driver.send(.phone(.established("w2")))
        // Ringside stops with the call open and its calls do not outlive it: completed without wrap-up.
        driver.advance(10)
        let effects = driver.session.shutdown(callsOutliveRingside: false, at: driver.now)
        let records = effects.compactMap { effect -> CallRecord? in
            if case .complete(let record) = effect { return record }
            return nil
        }
        #expect(!records.isEmpty)
        for record in records { #expect(record.wrapUpSeconds == nil) }
    }
}
