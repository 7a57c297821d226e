import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

/// The outbox's pure rules: backoff growth, cap and jitter; what each failure kind leads to.
@Suite("DeliveryPolicy")
struct DeliveryPolicyTests {
    static let policy = DeliveryPolicy(baseSeconds: 5, maxSeconds: 3600, jitter: 0.2)
    static let now = Fixtures.t0

    static func record(who: EntityRef? = nil, what: EntityRef? = nil) -> CallRecord {
        var record = ConsoleFixtures.finishedRecord()
        record.who = who
        record.what = what
        return record
    }

    // MARK: Backoff

    @Test func withoutJitterTheDelayDoublesPerAttempt() {
        let policy = DeliveryPolicy(baseSeconds: 5, maxSeconds: 3600, jitter: 0)
        let delays = (1...8).map { policy.delay(afterAttempts: $0, unit: 0.5) }
        #expect(delays == [5, 10, 20, 40, 80, 160, 320, 640])
    }

    @Test func theDelayIsCappedAndHugeAttemptCountsDoNotOverflow() {
        let policy = DeliveryPolicy(baseSeconds: 5, maxSeconds: 3600, jitter: 0)
        #expect(policy.delay(afterAttempts: 10, unit: 0.5) == 2560)
        #expect(policy.delay(afterAttempts: 11, unit: 0.5) == 3600)
        #expect(policy.delay(afterAttempts: 1_000_000, unit: 0.5) == 3600)
        #expect(policy.delay(afterAttempts: Int.max, unit: 0.99) == 3600)
        // Attempt 0 or negative (never happens) is treated like the first.
        #expect(policy.delay(afterAttempts: 0, unit: 0.5) == 5)
        #expect(policy.delay(afterAttempts: -3, unit: 0.5) == 5)
    }

    @Test(arguments: [1, 2, 3, 5, 8, 12, 30])
    func jitterStaysWithinItsFractionAndTheCap(attempts: Int) {
        let policy = Self.policy
        let nominal = min(3600, 5 * pow(2, Double(min(attempts - 1, 20))))
        var seen: [Double] = []
        for step in 0..<100 {
            let unit = Double(step) / 100
            let delay = policy.delay(afterAttempts: attempts, unit: unit)
            seen.append(delay)
            #expect(delay >= nominal * 0.8 - 1e-9, "attempt \(attempts) unit \(unit): \(delay)")
            #expect(delay <= min(3600, nominal * 1.2) + 1e-9, "attempt \(attempts) unit \(unit): \(delay)")
            #expect(delay >= 1)
        }
        // The jitter really spreads retries over (almost) its whole range: no thundering herd.
        let range = min(3600, nominal * 1.2) - nominal * 0.8
        #expect((seen.max() ?? 0) - (seen.min() ?? 0) >= range * 0.9)
        // unit 0 is the low end, 0.5 the nominal value.
        #expect(abs(policy.delay(afterAttempts: attempts, unit: 0) - nominal * 0.8) < 1e-9)
        #expect(abs(policy.delay(afterAttempts: attempts, unit: 0.5) - nominal) < 1e-9)
    }

    @Test func neverLessThanOneSecondEvenWithATinyBase() {
        let policy = DeliveryPolicy(baseSeconds: 0.01, maxSeconds: 3600, jitter: 0.5)
        #expect(policy.delay(afterAttempts: 1, unit: 0) == 1)
    }

    @Test func aSuggestedBackoffRaisesTheDelayButNeverPastTheCap() {
        let policy = DeliveryPolicy(baseSeconds: 5, maxSeconds: 3600, jitter: 0)
        // REQUEST_LIMIT_EXCEEDED suggests 15 minutes: longer than attempt 1's 5 s.
        #expect(policy.delay(afterAttempts: 1, suggested: 900, unit: 0.5) == 900)
        // A short suggestion never shortens the exponential delay.
        #expect(policy.delay(afterAttempts: 6, suggested: 2, unit: 0.5) == 160)
        #expect(policy.delay(afterAttempts: 1, suggested: 86_400, unit: 0.5) == 3600)
    }

    // MARK: Decisions

    @Test func successIsDelivered() {
        let decision = Self.policy.decide(.success("00T000000000001AAA"), record: Self.record(), attempts: 3, now: Self.now, unit: 0.5)
        #expect(decision == .delivered(crmId: "00T000000000001AAA"))
    }

    @Test func retryableFailuresAreRescheduledWithGrowingPersistedTimes() {
        let failure = DeliveryFailure.retryable(code: "SERVER_UNAVAILABLE", message: "down", backoffSeconds: nil)
        var previous = 0.0
        for attempts in 0..<6 {
            let decision = Self.policy.decide(.failure(failure), record: Self.record(), attempts: attempts, now: Self.now, unit: 0.5)
            guard case .retry(let at, let next, let error, let uncertain) = decision else {
                Issue.record("expected a retry, got \(decision)")
                return
            }
            #expect(next == attempts + 1)
            #expect(error == failure)
            #expect(!uncertain)
            let wait = at.timeIntervalSince(Self.now)
            #expect(wait > previous, "attempt \(next) waits \(wait), the one before \(previous)")
            previous = wait
        }
    }

    @Test func rateLimitFollowsTheSuggestedBackoff() {
        let failure = DeliveryFailure.retryable(code: "REQUEST_LIMIT_EXCEEDED", message: "limit", backoffSeconds: 900)
        let decision = Self.policy.decide(.failure(failure), record: Self.record(), attempts: 0, now: Self.now, unit: 0.5)
        guard case .retry(let at, _, _, _) = decision else { Issue.record("expected a retry, got \(decision)"); return }
        #expect(at.timeIntervalSince(Self.now) == 900)
    }

    /// Issue 14: an uncertain record is not checked while its request may still be running.
    @Test func anUncertainOutcomeWaitsForTimeoutPlusGraceAfterItsSend() {
        let policy = DeliveryPolicy(baseSeconds: 5, maxSeconds: 3600, jitter: 0.2, requestTimeoutSeconds: 20, uncertainGraceSeconds: 120)
        #expect(policy.uncertainWindowSeconds == 140)
        #expect(policy.earliestCheck(sentAt: nil) == nil)
        let sent = Self.now.addingTimeInterval(-20) // the client timed out after 20 s
        #expect(policy.earliestCheck(sentAt: sent) == sent.addingTimeInterval(140))
        let decision = policy.decide(.failure(.uncertain(message: "timed out")), record: Self.record(), attempts: 0, now: Self.now,
                                     unit: 0.5, sentAt: sent)
        #expect(decision == .retry(at: sent.addingTimeInterval(140), attempts: 1, error: .uncertain(message: "timed out"), uncertain: true))
        // A re-send that can't duplicate (upsert): soon, no wait.
        guard case .retry(let at, _, _, true) = policy.decide(.failure(.uncertain(message: "x")), record: Self.record(), attempts: 0,
                                                               now: Self.now, unit: 0.5) else { Issue.record("expected an uncertain retry"); return }
        #expect(at.timeIntervalSince(Self.now) <= 30)
        // A definite failure is not held back by the window.
        guard case .retry(let retryAt, _, _, false) = policy.decide(.failure(.retryable(code: "X", message: "x", backoffSeconds: nil)),
                                                                     record: Self.record(), attempts: 0, now: Self.now, unit: 0.5, sentAt: sent)
        else { Issue.record("expected a retry"); return }
        #expect(retryAt == Self.now.addingTimeInterval(5))
        // A claim outlives any request, so a live sender is never taken over.
        #expect(policy.claimLeaseSeconds >= 120)
        #expect(DeliveryPolicy(requestTimeoutSeconds: 300).claimLeaseSeconds > 300)
    }

    @Test func uncertainOutcomesAreCheckedSoonAndMarkedUncertain() {
        let failure = DeliveryFailure.uncertain(message: "timed out after sending")
        for attempts in [0, 1, 5, 15] {
            let decision = Self.policy.decide(.failure(failure), record: Self.record(), attempts: attempts, now: Self.now, unit: 0.99)
            guard case .retry(let at, let next, _, let uncertain) = decision else {
                Issue.record("expected a retry, got \(decision)")
                return
            }
            #expect(uncertain)
            #expect(next == attempts + 1)
            #expect(at.timeIntervalSince(Self.now) <= 30)
            #expect(at.timeIntervalSince(Self.now) >= 1)
        }
        #expect(failure.code == "UNCERTAIN")
    }

    @Test func authenticationFailuresWaitAtLeastAMinute() {
        let failure = DeliveryFailure.authentication(message: "invalid_grant")
        let first = Self.policy.decide(.failure(failure), record: Self.record(), attempts: 0, now: Self.now, unit: 0)
        guard case .retry(let at, _, _, let uncertain) = first else { Issue.record("expected a retry, got \(first)"); return }
        #expect(at.timeIntervalSince(Self.now) == 60)
        #expect(!uncertain)
        let late = Self.policy.decide(.failure(failure), record: Self.record(), attempts: 9, now: Self.now, unit: 0.5)
        guard case .retry(let lateAt, _, _, _) = late else { Issue.record("expected a retry, got \(late)"); return }
        #expect(lateAt.timeIntervalSince(Self.now) == 2560)
        #expect(failure.code == "AUTHENTICATION")
    }

    @Test func permanentFailuresPark() {
        let failure = DeliveryFailure.permanent(code: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", message: "bad value", association: false)
        let record = Self.record(who: Fixtures.contact().ref, what: Fixtures.account().ref)
        #expect(Self.policy.decide(.failure(failure), record: record, attempts: 0, now: Self.now, unit: 0.5) == .park(failure))
        #expect(failure.description == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: bad value")
    }

    @Test func anAssociationErrorDropsTheAssociationWithANote() {
        let failure = DeliveryFailure.permanent(code: "ENTITY_IS_DELETED", message: "entity is deleted", association: true)
        let contact = Fixtures.contact("003000000000001AAA", name: "Fred Bloggs")
        let account = Fixtures.account("001000000000001AAA")
        let record = Self.record(who: contact.ref, what: account.ref)
        let decision = Self.policy.decide(.failure(failure), record: record, attempts: 0, now: Self.now, unit: 0.5)
        guard case .retryWithoutAssociation(let note) = decision else { Issue.record("expected a drop, got \(decision)"); return }
        #expect(note.contains("Contact 003000000000001AAA"))
        #expect(note.contains("Account 001000000000001AAA"))
        #expect(note.contains("ENTITY_IS_DELETED: entity is deleted"))
        // Only a WhatId: dropped as well.
        let whatOnly = Self.policy.decide(.failure(failure), record: Self.record(what: account.ref), attempts: 0, now: Self.now, unit: 0.5)
        guard case .retryWithoutAssociation = whatOnly else { Issue.record("expected a drop, got \(whatOnly)"); return }
    }

    @Test func theAssociationIsDroppedOnlyOnce() {
        // After the drop the record has neither WhoId nor WhatId: the same error now parks it.
        let failure = DeliveryFailure.permanent(code: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", association: true)
        let record = Self.record()
        #expect(Self.policy.decide(.failure(failure), record: record, attempts: 1, now: Self.now, unit: 0.5) == .park(failure))
    }

    @Test func failureCodesAndDescriptions() {
        #expect(DeliveryFailure.retryable(code: nil, message: "network down", backoffSeconds: nil).description == "network down")
        #expect(DeliveryFailure.retryable(code: "UNABLE_TO_LOCK_ROW", message: "locked", backoffSeconds: 2).code == "UNABLE_TO_LOCK_ROW")
        #expect(DeliveryFailure.permanent(code: nil, message: "m", association: false).code == nil)
        #expect(DeliveryFailure.authentication(message: "m").message == "m")
    }
}
