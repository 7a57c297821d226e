import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0
private func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }

/// Builds a call that waits `wait` seconds from `start` and then is answered or abandoned.
private func answered(_ id: String, start: TimeInterval, wait: TimeInterval) -> [QueueEvent] {
    [.arrived(callId: id, at: at(start)), .answered(callId: id, at: at(start + wait))]
}

private func abandoned(_ id: String, start: TimeInterval, wait: TimeInterval) -> [QueueEvent] {
    [.arrived(callId: id, at: at(start)), .abandoned(callId: id, at: at(start + wait))]
}

@Suite("QueueStats")
struct QueueStatsTests {
    @Test func defaultsFollowSeed002() {
        let s = QueueSettings()
        #expect(s.serviceLevelThreshold == 20)
        #expect(s.shortAbandonThreshold == 5)
        #expect(s.window == 1800)
    }

    @Test func emptyQueueHasNoRatios() {
        let f = QueueStats().figures(at: t0)
        #expect(f == QueueFigures())
        #expect(f.serviceLevel == nil && f.abandonRate == nil && f.averageHandleTime == nil && f.longestWait == nil)
    }

    @Test func serviceLevelIsShareOfAnsweredCallsWithinThresholdInclusive() {
        let s = stats(answered("a", start: 0, wait: 5) + answered("b", start: 0, wait: 20) + answered("c", start: 0, wait: 20.001)
                      + answered("d", start: 0, wait: 90))
        let f = s.figures(at: at(100))
        #expect(f.answered == 4)
        #expect(f.answeredWithinThreshold == 2)
        #expect(f.serviceLevel == 50)
    }

    @Test func abandonsDoNotEnterServiceLevel() {
        let s = stats(answered("a", start: 0, wait: 1) + abandoned("b", start: 0, wait: 60))
        let f = s.figures(at: at(100))
        #expect(f.serviceLevel == 100)
        #expect(f.abandoned == 1)
    }

    @Test func shortAbandonsAreCountedApartAndExcludedFromTheRate() {
        let s = stats(answered("a", start: 0, wait: 3) + answered("b", start: 0, wait: 3) + answered("c", start: 0, wait: 3)
                      + abandoned("s1", start: 0, wait: 2) + abandoned("s2", start: 0, wait: 5)
                      + abandoned("l1", start: 0, wait: 5.5))
        let f = s.figures(at: at(60))
        #expect(f.shortAbandoned == 2)      // 2 s and exactly 5 s
        #expect(f.abandoned == 1)           // 5.5 s
        #expect(f.abandonRate == 25)        // 1 / (3 answered + 1 abandoned)
    }

    @Test func onlyShortAbandonsGiveNoRateWithoutAnsweredCalls() {
        let f = stats(abandoned("s", start: 0, wait: 1)).figures(at: at(10))
        #expect(f.shortAbandoned == 1)
        #expect(f.abandonRate == nil)
    }

    @Test func configurableThresholds() {
        let settings = QueueSettings(serviceLevelThreshold: 10, shortAbandonThreshold: 0)
        let s = stats(answered("a", start: 0, wait: 15) + abandoned("b", start: 0, wait: 1), settings: settings)
        let f = s.figures(at: at(30))
        #expect(f.serviceLevel == 0)
        #expect(f.shortAbandoned == 0 && f.abandoned == 1)
        #expect(f.abandonRate == 50)
    }

    @Test func waitingCallsAndLongestWaitAreMeasuredToNow() {
        var s = stats([.arrived(callId: "a", at: at(0)), .arrived(callId: "b", at: at(30))])
        #expect(s.figures(at: at(45)).waiting == 2)
        #expect(s.figures(at: at(45)).longestWait == 45)
        s.apply(.answered(callId: "a", at: at(50)))
        #expect(s.figures(at: at(60)).waiting == 1)
        #expect(s.figures(at: at(60)).longestWait == 30)
        s.apply(.abandoned(callId: "b", at: at(61)))
        #expect(s.figures(at: at(62)).waiting == 0)
        #expect(s.figures(at: at(62)).longestWait == nil)
    }

    @Test func duplicateArrivalKeepsFirstTime() {
        let s = stats([.arrived(callId: "a", at: at(0)), .arrived(callId: "a", at: at(10)), .answered(callId: "a", at: at(25))])
        #expect(s.figures(at: at(30)).answeredWithinThreshold == 0) // waited 25 s, not 15 s
    }

    @Test func unknownAndRepeatedOutcomesAreCountedNotApplied() {
        let s = stats(answered("a", start: 0, wait: 1) + [
            .answered(callId: "a", at: at(2)),       // again
            .abandoned(callId: "a", at: at(3)),      // after being answered
            .answered(callId: "ghost", at: at(4)),   // never arrived
        ])
        let f = s.figures(at: at(10))
        #expect(f.answered == 1 && f.abandoned == 0 && f.shortAbandoned == 0)
        #expect(s.unmatchedEvents == 3)
    }

    @Test func outcomeBeforeArrivalCountsAsZeroWait() {
        let s = stats([.arrived(callId: "a", at: at(10)), .answered(callId: "a", at: at(5))])
        #expect(s.figures(at: at(10)).answeredWithinThreshold == 1)
    }

    @Test func averageHandleTimeOverCompletedCalls() {
        let s = stats([
            .completed(callId: "a", at: at(100), handleSeconds: 120),
            .completed(callId: "b", at: at(200), handleSeconds: 240),
            .completed(callId: "b", at: at(201), handleSeconds: 999),  // duplicate ignored
            .completed(callId: "c", at: at(202), handleSeconds: -1),   // invalid ignored
            .completed(callId: "d", at: at(203), handleSeconds: .nan), // invalid ignored
        ])
        let f = s.figures(at: at(300))
        #expect(f.completed == 2)
        #expect(f.averageHandleTime == 180)
        #expect(s.unmatchedEvents == 3)
    }

    @Test func windowIsHalfOpenAndSlides() {
        let settings = QueueSettings(window: 600)
        let s = stats(answered("old", start: 0, wait: 30) + answered("new", start: 500, wait: 5)
                      + [.completed(callId: "old", at: at(30), handleSeconds: 100)], settings: settings)
        // At 630 the first answer and its completion (at 30) are exactly window old: excluded.
        let f = s.figures(at: at(630))
        #expect(f.answered == 1 && f.serviceLevel == 100)
        #expect(f.completed == 0 && f.averageHandleTime == nil)
        // At 629 it is still inside.
        #expect(s.figures(at: at(629)).answered == 2)
        #expect(s.figures(at: at(629)).serviceLevel == 50)
        // Events after `now` are not counted yet.
        #expect(s.figures(at: at(100)).answered == 1)
    }

    @Test func pruningForgetsOldOutcomesButKeepsWaitingCalls() {
        var s = QueueStats(settings: QueueSettings(window: 60))
        for i in 0..<100 {
            for e in answered("c\(i)", start: Double(i * 10), wait: 1) { s.apply(e) }
        }
        s.apply(.arrived(callId: "w", at: at(0)))
        s.prune(at: at(2000))
        let f = s.figures(at: at(2000))
        #expect(f.answered == 0)
        #expect(f.waiting == 1 && f.longestWait == 2000)
    }

    @Test func staleWaitingCallsAreDropped() {
        var s = QueueStats(settings: QueueSettings(staleWait: 3600))
        s.apply(.arrived(callId: "lost", at: at(0)))
        s.apply(.arrived(callId: "live", at: at(3700)))
        #expect(s.figures(at: at(3700)).waiting == 1)
        #expect(s.staleDropped == 1)
    }

    @Test func completedIdsAreForgottenWithTheWindow() {
        var s = QueueStats(settings: QueueSettings(window: 60))
        s.apply(.completed(callId: "x", at: at(0), handleSeconds: 10))
        s.apply(.completed(callId: "y", at: at(100), handleSeconds: 20))  // prunes x
        s.apply(.completed(callId: "x", at: at(110), handleSeconds: 30))  // a new call reusing the id counts
        #expect(s.figures(at: at(120)).completed == 2)
        #expect(s.figures(at: at(120)).averageHandleTime == 25)
    }

    @Test func queueEventJSONRoundTrip() throws {
        let events: [QueueEvent] = [
            .arrived(callId: "c1", at: at(0.5)), .answered(callId: "c1", at: at(3)), .abandoned(callId: "c2", at: at(4)),
            .completed(callId: "c1", at: at(200), handleSeconds: 197.5),
        ]
        for e in events {
            #expect(try QueueEvent.decode(e.jsonData()) == e)
            #expect(e.callId.hasPrefix("c"))
        }
        #expect(throws: PresenceDecodingError.self) { _ = try QueueEvent.decode(Data("{\"left\":{}}".utf8)) }
    }
}

@Suite("ActivityTime")
struct ActivityTimeTests {
    @Test func parsesSemicolonListsLikeTheSeed() {
        #expect(ActivityCategoryMapping.parse("Ready; On call") == ["Ready", "On call"])
        #expect(ActivityCategoryMapping.parse(" Not ready ;Training;; ") == ["Not ready", "Training"])
        #expect(ActivityCategoryMapping.parse("") == [])
        let m = ActivityCategoryMapping(admin: "Admin", idle: "", notReady: "Not ready; Training", ready: "Ready; On call")
        #expect(m.list(.ready) == "Ready; On call")
        #expect(m.list(.idle) == "")
    }

    @Test func mapsStatesAndReasonsCaseInsensitively() {
        let m = ActivityCategoryMapping(admin: "admin; wrap-up", idle: "Ready", notReady: "Not ready; Training", ready: "READY; on call")
        #expect(m.categories(state: .ready, reason: nil) == [.ready, .idle])
        #expect(m.categories(state: .onCall, reason: nil) == [.ready])
        #expect(m.categories(state: .wrapUp, reason: nil) == [.admin])
        #expect(m.categories(state: .notReady, reason: "Training") == [.notReady])
        #expect(m.categories(state: .notReady, reason: " Admin ") == [.admin])
        #expect(m.categories(state: .notReady, reason: "Dentist") == [.notReady]) // unknown reason: the state's label
        #expect(m.categories(state: .notReady, reason: nil) == [.notReady])
        #expect(m.categories(state: .offline, reason: nil) == [])
        let none = ActivityCategoryMapping(admin: "", idle: "", notReady: "", ready: "")
        #expect(none.categories(state: .ready, reason: nil) == [])
    }

    @Test func offlineNeverCountsEvenIfListed() {
        let m = ActivityCategoryMapping(admin: "Offline", idle: "", notReady: "Offline", ready: "")
        #expect(m.categories(state: .offline, reason: nil) == [])
    }

    @Test func accumulatesPerCategoryIncludingOpenIntervals() {
        let start = Fixtures.t0
        var a = ActivityTime(trackingStart: start)
        func p(_ id: String, _ state: PresenceState, _ reason: String? = nil, since: TimeInterval) -> AgentPresence {
            AgentPresence(agentId: id, name: id, state: state, reason: reason, since: start.addingTimeInterval(since))
        }
        a.apply(p("a", .ready, since: 0), at: start)
        a.apply(p("b", .notReady, "Lunch", since: 0), at: start)
        a.apply(p("a", .onCall, since: 60), at: start.addingTimeInterval(60))
        a.apply(p("a", .wrapUp, since: 180), at: start.addingTimeInterval(180))
        a.apply(p("b", .offline, since: 300), at: start.addingTimeInterval(300))
        // a: Ready 0–60 (Ready + Idle), On call 60–180 (Ready), Wrap-up from 180 (Admin, still open);
        // b: Lunch 0–300 (Not ready), then offline (nothing).
        let t = a.totals(at: start.addingTimeInterval(350))
        #expect(t[.ready] == 180)
        #expect(t[.idle] == 60)
        #expect(t[.admin] == 170)
        #expect(t[.notReady] == 300)
        let later = a.totals(at: start.addingTimeInterval(400))
        #expect(later[.admin] == 220)
        #expect(later[.notReady] == 300)
        #expect(later[.ready] == 180)
    }

    @Test func retainedStateFromBeforeTrackingCountsFromTrackingStart() {
        let start = Fixtures.t0
        var a = ActivityTime(trackingStart: start)
        a.apply(AgentPresence(agentId: "x", name: "X", state: .ready, since: start.addingTimeInterval(-86_400)), at: start.addingTimeInterval(10))
        #expect(a.totals(at: start.addingTimeInterval(70))[.ready] == 70)
        a.remove(agentId: "x", at: start.addingTimeInterval(100))
        #expect(a.totals(at: start.addingTimeInterval(500))[.ready] == 100)
    }
}
