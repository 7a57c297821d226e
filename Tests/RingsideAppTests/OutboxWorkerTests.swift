import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideTestSupport
import Testing

/// The delivery worker against a scripted sink and a real SQLite file.
@Suite("OutboxWorker", .serialized)
struct OutboxWorkerTests {
    let db = OutboxTestDatabase(name: "worker")
    let clock = OutboxTestClock()
    let sink = ScriptedSink()

    func worker(_ store: SQLiteCallStore, schedule: DeliverySchedule = .immediate, dailyAt: String = "23:00",
                timeZone: String = "UTC", notifier: (any Notifier)? = nil, failingAlertMinutes: Int = 15,
                batchSize: Int = 200, sleeper: any Sleeper = LiveSleeper()) -> OutboxWorker {
        OutboxWorker(store: store, sink: sink, policy: DeliveryPolicy(baseSeconds: 5, maxSeconds: 3600, jitter: 0.2),
                     schedule: schedule, dailyAt: dailyAt, timeZone: timeZone, notifier: notifier,
                     failingAlertMinutes: failingAlertMinutes, batchSize: batchSize, clock: clock.function, unit: { 0.5 },
                     sleeper: sleeper)
    }

    // MARK: Delivery

    @Test func eachRecordIsDeliveredOnceAndMarkedDelivered() async throws {
        defer { db.remove() }
        let store = try db.open()
        let records = try OutboxRecords.queue(3, prefix: "once", in: store, now: clock.now)
        let worker = worker(store)
        let summary = await worker.drain()
        #expect(summary.delivered == 3)
        #expect(summary.batches == 1)
        #expect(sink.batches.count == 1)
        #expect(sink.landed.mapValues(\.count) == Dictionary(uniqueKeysWithValues: records.map { ($0.callObject, 1) }))
        for record in records {
            let stored = try #require(try store.record(record.callObject))
            #expect(stored.delivery == .delivered)
            #expect(stored.crmId?.hasPrefix("00T") == true)
        }
        #expect(try store.outbox().isEmpty)
        // A second drain has nothing to do.
        let again = await worker.drain(allQueued: true)
        #expect(again.delivered == 0 && again.batches == 0)
        #expect(sink.sent.count == 3)
    }

    @Test func retryableFailuresAreRescheduledWithAPersistedNextAttempt() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "retry", in: store, now: clock.now)
        let id = "retry-00001"
        sink.script(id, .fail(.retryable(code: "SERVER_UNAVAILABLE", message: "Server unavailable", backoffSeconds: nil)),
                    .fail(.retryable(code: "UNABLE_TO_LOCK_ROW", message: "locked", backoffSeconds: 2)))
        let summary = await worker(store).drain()
        #expect(summary.retried == 1 && summary.delivered == 0)

        // Reopen the file: the next attempt time survives a restart (no hammering after a crash).
        let reopened = try db.open()
        let item = try #require(try reopened.outbox().first)
        #expect(item.attempts == 1)
        #expect(item.nextAttemptAt == clock.now.addingTimeInterval(5))
        #expect(item.lastErrorCode == "SERVER_UNAVAILABLE")
        #expect(!item.uncertain && !item.parked && item.claimedUntil == nil)
        #expect(try reopened.record(id)?.lastError == "SERVER_UNAVAILABLE: Server unavailable")
        #expect(try reopened.record(id)?.delivery == .queued)

        // Not due yet: a new worker on the reopened file sends nothing.
        let restarted = worker(reopened)
        clock.advance(4)
        #expect(await restarted.drain().batches == 0)
        // Due: second failure doubles the wait.
        clock.advance(1)
        #expect(await restarted.drain().retried == 1)
        let second = try #require(try reopened.outbox().first)
        #expect(second.attempts == 2)
        #expect(second.nextAttemptAt == clock.now.addingTimeInterval(10))
        clock.advance(10)
        #expect(await restarted.drain().delivered == 1)
        #expect(sink.sent.count == 3)
        #expect(sink.landed[id]?.count == 1)
    }

    @Test func anUncertainAttemptIsCheckedBeforeResendingAndNotResentWhenItLanded() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(2, prefix: "unc", in: store, now: clock.now)
        // unc-1 landed but the answer was lost; unc-2 did not land.
        sink.script("unc-00001", .landThenFail(.uncertain(message: "timed out after sending")))
        sink.script("unc-00002", .fail(.uncertain(message: "connection reset after sending")))
        let worker = worker(store)
        let first = await worker.drain()
        #expect(first.retried == 2)
        let items = try store.outbox()
        #expect(items.count == 2 && items.allSatisfy(\.uncertain))
        // Issue 14: not checked while the request may still be running (20 s timeout + 120 s grace after sending).
        #expect(items.allSatisfy { $0.sentAt == clock.now && $0.nextAttemptAt == clock.now.addingTimeInterval(140) })

        clock.advance(30)
        let early = await worker.drain(allQueued: true)
        #expect(early.waiting == 2)
        #expect(sink.queries.isEmpty)
        #expect(sink.sent.count == 2)
        #expect(try store.outbox().allSatisfy { $0.nextAttemptAt == clock.now.addingTimeInterval(110) && $0.claimedUntil == nil })

        clock.advance(110)
        let second = await worker.drain()
        // One batched existence check for both, before any re-send.
        #expect(sink.queries == [["unc-00001", "unc-00002"]])
        #expect(second.deduplicated == 1)
        #expect(second.delivered == 1)
        #expect(sink.landed.mapValues(\.count) == ["unc-00001": 1, "unc-00002": 1])
        // unc-1 was never sent again; unc-2 was sent once more.
        #expect(sink.sent.map(\.callObject) == ["unc-00001", "unc-00002", "unc-00002"])
        #expect(try store.record("unc-00001")?.delivery == .delivered)
        #expect(try store.record("unc-00001")?.crmId == "00T000000000000001")
        #expect(try store.outbox().isEmpty)
        let audit = try store.audit(since: nil, limit: 100)
        #expect(audit.contains { $0.callObject == "unc-00001" && $0.action == "deduplicated" })
    }

    @Test func aFailedExistenceCheckNeverSendsBlindly() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "chk", in: store, now: clock.now)
        sink.script("chk-00001", .landThenFail(.uncertain(message: "timed out after sending")))
        let worker = worker(store)
        await worker.drain()
        sink.failExisting(.retryable(code: "SERVER_UNAVAILABLE", message: "down", backoffSeconds: nil))
        clock.advance(140)
        let summary = await worker.drain()
        #expect(summary.retried == 1)
        #expect(sink.sent.count == 1)
        // Still uncertain: the next attempt asks again.
        #expect(try store.outbox().first?.uncertain == true)
        sink.failExisting(nil)
        clock.advance(3600)
        #expect(await worker.drain().deduplicated == 1)
        #expect(sink.sent.count == 1)
        #expect(sink.landed["chk-00001"]?.count == 1)
    }

    @Test func anExpiredClaimMeansTheSenderDiedAndIsCheckedFirst() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "dead", in: store, now: clock.now)
        // A sender claims the item, notes that it sends it, "sends" it (it lands), and dies before recording the result.
        let claimed = try store.claimDue(due: clock.now, now: clock.now, limit: 10)
        #expect(claimed.count == 1)
        try store.markSent(claimed.map(\.1.callObject), at: clock.now, idempotent: false)
        _ = await sink.deliver(claimed.map(\.1))
        // This process holds the delivery lock: the dead sender's claim is taken over at once, as uncertain —
        // but (issue 14) not checked while the dead sender's request may still be running.
        clock.advance(5)
        let early = await worker(store).drain(allQueued: true)
        #expect(early.waiting == 1 && early.deduplicated == 0)
        #expect(sink.queries.isEmpty && sink.sent.count == 1)
        clock.advance(135)
        let summary = await worker(store).drain()
        #expect(summary.deduplicated == 1)
        #expect(sink.queries == [["dead-00001"]])
        #expect(sink.landed["dead-00001"]?.count == 1)
        #expect(try store.record("dead-00001")?.delivery == .delivered)
    }

    @Test func aLiveClaimHeldByAnotherSenderIsLeftAlone() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "live", in: store, now: clock.now)
        _ = try store.claimDue(due: clock.now, now: clock.now, limit: 10)
        // Without the lock (another process is delivering) only expired claims may be taken.
        #expect(try store.claimDue(due: clock.now, now: clock.now, limit: 10).isEmpty)
        // Expired, but nothing was noted as sent: the sender died before sending, so it is sent without a check.
        #expect(try store.claimDue(due: clock.now, now: clock.now.addingTimeInterval(121), limit: 10).first?.0.uncertain == false)
        // Expired after its request went out: checked first.
        try store.markSent(["live-00001"], at: clock.now.addingTimeInterval(121), idempotent: false)
        #expect(try store.claimDue(due: clock.now, now: clock.now.addingTimeInterval(242), limit: 10).first?.0.uncertain == true)
    }

    /// Issue 14: with an upsert (external id) sink an uncertain record is sent again at once — no wait, no check —
    /// but a record last sent as a plain create is still checked (after the wait) before the first upsert.
    @Test func anUpsertSinkResendsUncertainUpsertsAtOnceButChecksEarlierCreates() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(2, prefix: "ups", in: store, now: clock.now)
        sink.script("ups-00001", .landThenFail(.uncertain(message: "timed out after sending")))
        sink.idempotent = true
        let worker = worker(store)
        #expect(await worker.drain().retried == 1)
        let item = try #require(try store.outbox().first)
        #expect(item.uncertain && item.sentIdempotent && item.nextAttemptAt.timeIntervalSince(clock.now) <= 30)
        clock.advance(30)
        let second = await worker.drain()
        #expect(second.delivered == 1 && second.waiting == 0)
        #expect(sink.queries.isEmpty)
        #expect(sink.sent.map(\.callObject) == ["ups-00001", "ups-00002", "ups-00001"])

        // Sent as a create before the field existed, then the field appeared: checked (after the wait) first.
        try OutboxRecords.queue(1, prefix: "old", in: store, now: clock.now)
        sink.idempotent = false
        sink.script("old-00001", .landThenFail(.uncertain(message: "timed out after sending")))
        await worker.drain()
        sink.idempotent = true
        clock.advance(30)
        #expect(await worker.drain(allQueued: true).waiting == 1)
        clock.advance(110)
        #expect(await worker.drain().deduplicated == 1)
        #expect(sink.queries == [["old-00001"]])
    }

    /// Issue 14: what the outbox remembers about a sent request, across reschedule, park, retry and a reopen.
    @Test func sentAtSurvivesWhatKeepsARecordUncertainAndIsClearedByADefiniteAnswer() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(2, prefix: "sent", in: store, now: clock.now)
        _ = try store.claimDue(due: clock.now, now: clock.now, limit: 10)
        try store.markSent(["sent-00001", "sent-00002"], at: clock.now, idempotent: true)
        try store.reschedule("sent-00001", at: clock.now, attempts: 1, error: .uncertain(message: "reset"), uncertain: true)
        try store.reschedule("sent-00002", at: clock.now, attempts: 1, error: .retryable(code: "X", message: "503", backoffSeconds: nil), uncertain: false)
        var items = Dictionary(uniqueKeysWithValues: try db.open().outbox().map { ($0.callObject, $0) })
        #expect(items["sent-00001"]?.sentAt == clock.now && items["sent-00001"]?.sentIdempotent == true)
        #expect(items["sent-00002"]?.sentAt == nil && items["sent-00002"]?.uncertain == false)
        // Parked while uncertain, then retried by an admin: still uncertain, still knows when it was sent.
        try store.park("sent-00001", error: .permanent(code: "INVALID_FIELD", message: "x", association: false), attempts: 2, uncertain: true)
        try store.retryParked(nil, now: clock.now)
        items = Dictionary(uniqueKeysWithValues: try db.open().outbox().map { ($0.callObject, $0) })
        #expect(items["sent-00001"].map { !$0.parked && $0.uncertain && $0.sentAt == clock.now } == true)
        // Deferred: given back until the check may run, nothing else changed.
        _ = try store.claimDue(due: clock.now, now: clock.now, limit: 10)
        try store.deferCheck("sent-00001", until: clock.now.addingTimeInterval(99))
        let deferred = try #require(try store.outbox().first { $0.callObject == "sent-00001" })
        #expect(deferred.claimedUntil == nil && deferred.nextAttemptAt == clock.now.addingTimeInterval(99) && deferred.uncertain)
        #expect(deferred.attempts == 0)
    }

    @Test func permanentFailuresAreParkedWithTheCodeAndMessage() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "perm", in: store, now: clock.now)
        let failure = DeliveryFailure.permanent(code: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                                message: "Call Type: bad value for restricted picklist field: Conference", association: false)
        sink.script("perm-00001", .fail(failure))
        let notices = NoticeLog()
        let worker = worker(store)
        await worker.setHandlers(notice: { notices.add($0, $1) }, change: {})
        let summary = await worker.drain()
        #expect(summary.parked == 1)
        let item = try #require(try store.outbox().first)
        #expect(item.parked)
        #expect(item.lastErrorCode == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        #expect(item.lastError == failure.message)
        let record = try #require(try store.record("perm-00001"))
        #expect(record.delivery == .parked)
        #expect(record.lastError == failure.description)
        #expect(try store.outboxCounts() == OutboxCounts(queued: 0, parked: 1))
        // Parked records are not retried by drains, even --all.
        #expect(await worker.drain(allQueued: true).batches == 0)
        #expect(notices.all.contains { $0.0 == .error && $0.1.contains("parked") && $0.1.contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST") })
    }

    @Test func anAssociationErrorResendsWithoutWhoAndWhatAndNotesIt() async throws {
        defer { db.remove() }
        let store = try db.open()
        let record = OutboxRecords.record("assoc-1")
        #expect(record.who != nil && record.what != nil)
        try store.complete(record, at: clock.now)
        sink.setRule { record in
            record.who != nil || record.what != nil
                ? .fail(.permanent(code: "ENTITY_IS_DELETED", message: "entity is deleted", association: true)) : nil
        }
        let summary = await worker(store).drain()
        #expect(summary.associationsDropped == 1)
        #expect(summary.delivered == 1)
        #expect(sink.sent.count == 2)
        let delivered = try #require(sink.landed["assoc-1"]?.first)
        #expect(delivered.who == nil && delivered.what == nil)
        #expect(delivered.description.hasPrefix(record.description))
        #expect(delivered.description.contains("Saved without its association (Contact \(record.who!.id), Account \(record.what!.id)): ENTITY_IS_DELETED: entity is deleted"))
        let stored = try #require(try store.record("assoc-1"))
        #expect(stored.delivery == .delivered)
        #expect(stored.who == nil && stored.what == nil)
        #expect(stored.associationNote?.contains("ENTITY_IS_DELETED") == true)
        #expect(stored.description == delivered.description)
    }

    @Test func anAssociationIsDroppedOnlyOnceThenTheRecordParks() async throws {
        defer { db.remove() }
        let store = try db.open()
        try store.complete(OutboxRecords.record("assoc-2"), at: clock.now)
        sink.setRule { _ in .fail(.permanent(code: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", association: true)) }
        let summary = await worker(store).drain()
        #expect(summary.associationsDropped == 1)
        #expect(summary.parked == 1)
        #expect(sink.sent.count == 2)
        #expect(try store.record("assoc-2")?.delivery == .parked)
    }

    @Test func aParkedRecordRetriedAfterTheFixIsDelivered() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(2, prefix: "park", in: store, now: clock.now)
        sink.script("park-00001", .fail(.permanent(code: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "rule", association: false)))
        sink.script("park-00002", .fail(.permanent(code: "FIELD_CUSTOM_VALIDATION_EXCEPTION", message: "rule", association: false)))
        let worker = worker(store)
        #expect(await worker.drain().parked == 2)
        // The admin fixes the rule and retries one of them.
        #expect(try store.retryParked(["park-00001"], now: clock.now) == 1)
        #expect(try store.record("park-00001")?.delivery == .queued)
        #expect(try store.outboxCounts() == OutboxCounts(queued: 1, parked: 1))
        #expect(await worker.drain().delivered == 1)
        #expect(try store.record("park-00001")?.delivery == .delivered)
        #expect(try store.record("park-00002")?.delivery == .parked)
        #expect(try store.retryParked(nil, now: clock.now) == 1)
        #expect(await worker.drain().delivered == 1)
        #expect(sink.landed.mapValues(\.count) == ["park-00001": 1, "park-00002": 1])
    }

    @Test func drainAllReachesEveryRecordEvenWhenFailuresAreDueFirst() async throws {
        defer { db.remove() }
        let store = try db.open()
        // 3 fresh records, and 3 backing off for an hour after earlier failures; batches of 3.
        try OutboxRecords.queue(6, prefix: "all", in: store, now: clock.now)
        for n in 4...6 {
            try store.reschedule("all-0000\(n)", at: clock.now.addingTimeInterval(3600), attempts: 1,
                                 error: .retryable(code: "SERVER_UNAVAILABLE", message: "down", backoffSeconds: nil), uncertain: false)
        }
        for n in 1...6 {
            sink.script("all-0000\(n)", .fail(.retryable(code: "SERVER_UNAVAILABLE", message: "down", backoffSeconds: nil)))
        }
        let worker = worker(store, batchSize: 3)
        let summary = await worker.drain(allQueued: true)
        // The fresh ones fail and are rescheduled 5 s out — before the backing-off ones — yet those are still
        // tried: every record exactly once, none re-tried within the drain, no claim left behind.
        #expect(summary.retried == 6)
        #expect(sink.sent.map(\.callObject).sorted() == (1...6).map { "all-0000\($0)" })
        #expect(try store.outbox().allSatisfy { $0.claimedUntil == nil })
        let second = await worker.drain(allQueued: true)
        #expect(second.delivered == 6)
        #expect(second.batches == 2)
        #expect(sink.landed.values.allSatisfy { $0.count == 1 })
    }

    @Test func aRecordParkedAfterAFailedCheckIsCheckedAgainWhenRetried() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "pchk", in: store, now: clock.now, keepFixtureAssociation: true)
        sink.script("pchk-00001", .landThenFail(.uncertain(message: "timed out after sending")))
        let worker = worker(store)
        await worker.drain()
        // The check itself is refused for good (e.g. the CallObject field is not readable).
        sink.failExisting(.permanent(code: "INVALID_FIELD", message: "No such column 'CallObject'", association: true))
        clock.advance(140)
        let summary = await worker.drain()
        #expect(summary.parked == 1)
        #expect(summary.associationsDropped == 0)
        let item = try #require(try store.outbox().first)
        #expect(item.parked && item.uncertain)
        #expect(try store.record("pchk-00001")?.who != nil)
        // Fixed and retried: asks first, finds it, never sends a duplicate.
        sink.failExisting(nil)
        try store.retryParked(nil, now: clock.now)
        #expect(await worker.drain().deduplicated == 1)
        #expect(sink.sent.count == 1)
        #expect(sink.landed["pchk-00001"]?.count == 1)
    }

    @Test func concurrentDrainsNeitherOverlapNorHang() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(30, prefix: "conc", in: store, now: clock.now)
        let worker = worker(store, batchSize: 7)
        async let a = worker.drain()
        async let b = worker.drain(allQueued: true)
        async let c = worker.drain()
        let total = await [a, b, c].map(\.delivered).reduce(0, +)
        #expect(total == 30)
        #expect(sink.landed.count == 30)
        #expect(sink.landed.values.allSatisfy { $0.count == 1 })
    }

    // MARK: Schedules

    @Test func dailyBatchTimeFollowsTheAgentsZoneAcrossDST() async throws {
        let store = try db.open()
        defer { db.remove() }
        let london = worker(store, schedule: .daily, dailyAt: "23:00", timeZone: "Europe/London")
        func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        // Plain day: 22:00 GMT → 23:00 GMT.
        #expect(await london.secondsUntilDailyBatch(from: utc("2024-01-10T22:00:00Z")) == 3600)
        // Just after the batch: the next is tomorrow.
        #expect(await london.secondsUntilDailyBatch(from: utc("2024-01-10T23:00:00Z")) == 86_400)
        // Spring forward (31 March 2024): from 23:30 GMT on the 30th to 23:00 BST (22:00Z) on the 31st is 22.5 h.
        #expect(await london.secondsUntilDailyBatch(from: utc("2024-03-30T23:30:00Z")) == 22.5 * 3600)
        // Fall back (27 October 2024): from 23:30 BST (22:30Z) on the 26th to 23:00 GMT on the 27th is 24.5 h.
        #expect(await london.secondsUntilDailyBatch(from: utc("2024-10-26T22:30:00Z")) == 24.5 * 3600)

        // A batch time inside the skipped hour runs at the next existing time (03:00 EDT), not a day late.
        let newYork = worker(store, schedule: .daily, dailyAt: "02:30", timeZone: "America/New_York")
        let beforeGap = utc("2024-03-10T05:00:00Z") // 00:00 EST
        let wait = await newYork.secondsUntilDailyBatch(from: beforeGap)
        #expect(wait > 0 && wait <= 3 * 3600, "waits \(wait / 3600) h")
        // The repeated hour (3 November 2024, 01:30 happens twice): one batch, within the next 24 h.
        let repeated = worker(store, schedule: .daily, dailyAt: "01:30", timeZone: "America/New_York")
        let seconds = await repeated.secondsUntilDailyBatch(from: utc("2024-11-03T04:00:00Z")) // 00:00 EDT
        #expect(seconds == 1.5 * 3600)
    }

    @Test func offSendsNothing() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(2, prefix: "off", in: store, now: clock.now)
        let sleeper = ManualSleeper()
        let worker = worker(store, schedule: .off, sleeper: sleeper)
        let run = Task { await worker.run() }
        try await sleeper.waitForSleeps(1)
        await worker.wake()
        // Back asleep after the wake-up: whatever it did for it is done.
        try await sleeper.waitForSleeps(2)
        run.cancel()
        await run.value
        #expect(sink.sent.isEmpty)
        #expect(sleeper.requested == [3600, 3600])
        #expect(try store.outboxCounts().queued == 2)
    }

    @Test func dailyIgnoresWakeUpsBeforeTheBatchTime() async throws {
        defer { db.remove() }
        let store = try db.open()
        // 22:00 UTC, batch at 23:00: a completed call wakes the worker, which must keep waiting.
        clock.set(ISO8601DateFormatter().date(from: "2024-01-10T22:00:00Z")!)
        try OutboxRecords.queue(1, prefix: "daily", in: store, now: clock.now)
        let sleeper = ManualSleeper()
        let worker = worker(store, schedule: .daily, dailyAt: "23:00", sleeper: sleeper)
        let run = Task { await worker.run() }
        try await sleeper.waitForSleeps(1)
        for wake in 1...5 {
            await worker.wake()
            // Back asleep after each wake-up, still until the batch time.
            try await sleeper.waitForSleeps(1 + wake)
        }
        run.cancel()
        await run.value
        #expect(sink.sent.isEmpty)
        #expect(sleeper.requested == Array(repeating: 3600, count: 6), "every wait lasts until 23:00")
    }

    @Test func dailyDeliversEverythingAtTheBatchTime() async throws {
        defer { db.remove() }
        let store = try db.open()
        // One second before the batch time.
        let start = ISO8601DateFormatter().date(from: "2024-01-10T22:59:59Z")!
        let started = Date()
        let realClock: @Sendable () -> Date = { start.addingTimeInterval(Date().timeIntervalSince(started)) }
        try OutboxRecords.queue(3, prefix: "batch", in: store, now: start)
        // One of them is backing off for an hour: the daily batch sends it anyway.
        try store.reschedule("batch-00003", at: start.addingTimeInterval(3600), attempts: 1,
                             error: .retryable(code: "SERVER_UNAVAILABLE", message: "down", backoffSeconds: nil), uncertain: false)
        let worker = OutboxWorker(store: store, sink: sink, schedule: .daily, dailyAt: "23:00", timeZone: "UTC", clock: realClock, unit: { 0.5 })
        let run = Task { await worker.run() }
        for _ in 0..<100 where sink.sent.count < 3 { try await Task.sleep(nanoseconds: 50_000_000) }
        run.cancel()
        await run.value
        #expect(sink.sent.count == 3)
        #expect(try store.outbox().isEmpty)
    }

    @Test func immediateDeliversSoonAfterAWakeUp() async throws {
        defer { db.remove() }
        let store = try db.open()
        let sleeper = ManualSleeper()
        let worker = worker(store, sleeper: sleeper)
        let run = Task { await worker.run() }
        try await sleeper.waitForSleeps(1)  // the first (empty) drain ran; the worker waits
        try store.complete(OutboxRecords.record("now-1"), at: clock.now)
        await worker.wake()
        try await sleeper.waitForSleeps(2)  // it drained again and waits once more
        run.cancel()
        await run.value
        #expect(sink.sent.map(\.callObject) == ["now-1"])
        #expect(try store.record("now-1")?.delivery == .delivered)
    }

    // MARK: Notifications and audit

    @Test func parkingSendsOneNotificationNamingTheRecords() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(2, prefix: "mail", in: store, now: clock.now)
        sink.setRule { _ in .fail(.permanent(code: "REQUIRED_FIELD_MISSING", message: "Required fields are missing: [Region__c]", association: false)) }
        let notifier = RecordingNotifier()
        await worker(store, notifier: notifier).drain()
        let mails = await notifier.mails
        #expect(mails.count == 1)
        #expect(mails.first?.subject == "Ringside: 2 call record(s) could not be delivered")
        #expect(mails.first?.body.contains("REQUIRED_FIELD_MISSING: Required fields are missing: [Region__c]") == true)
        #expect(mails.first?.body.split(separator: "\n").count == 2)
        #expect(try store.audit(since: nil, limit: 100).contains { $0.action == "notify" && $0.endpoint == "smtp" && $0.errorCode == nil })
    }

    @Test func failingForLongerThanTheLimitNotifiesOnceAndRearmsAfterRecovery() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "long", in: store, now: clock.now)
        sink.setRule { _ in .fail(.retryable(code: "SERVER_UNAVAILABLE", message: "down", backoffSeconds: nil)) }
        let notifier = RecordingNotifier()
        let notices = NoticeLog()
        let worker = worker(store, notifier: notifier, failingAlertMinutes: 15)
        await worker.setHandlers(notice: { notices.add($0, $1) }, change: {})
        // The call ended an hour ago, but failures only started now: no alert yet.
        await worker.drain(allQueued: true)
        #expect(await notifier.mails.isEmpty)
        clock.advance(10 * 60)
        await worker.drain(allQueued: true)
        #expect(await notifier.mails.isEmpty)
        clock.advance(6 * 60)
        await worker.drain(allQueued: true)
        #expect(await notifier.mails.map(\.subject) == ["Ringside: deliveries failing for 16 minutes"])
        #expect(notices.all.contains { $0.0 == .warning && $0.1.contains("failing to deliver for 16 min") })
        // Still failing: not repeated.
        clock.advance(30 * 60)
        await worker.drain(allQueued: true)
        #expect(await notifier.mails.count == 1)
        // Recovered, then a new outage: alerts again after another 15 minutes.
        sink.setRule(nil)
        await worker.drain(allQueued: true)
        try OutboxRecords.queue(1, prefix: "long2", in: store, now: clock.now)
        sink.setRule { _ in .fail(.retryable(code: "SERVER_UNAVAILABLE", message: "down", backoffSeconds: nil)) }
        await worker.drain(allQueued: true)
        clock.advance(16 * 60)
        await worker.drain(allQueued: true)
        #expect(await notifier.mails.count == 2)
    }

    @Test func aFailingMailServerIsAuditedAndShownButDeliveryGoesOn() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "smtp", in: store, now: clock.now)
        sink.script("smtp-00001", .fail(.permanent(code: "INVALID_FIELD", message: "No such column", association: false)))
        struct SMTPDown: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let notifier = RecordingNotifier()
        await notifier.setFailure(SMTPDown())
        let notices = NoticeLog()
        let worker = worker(store, notifier: notifier)
        await worker.setHandlers(notice: { notices.add($0, $1) }, change: {})
        #expect(await worker.drain().parked == 1)
        let audit = try store.audit(since: nil, limit: 100)
        #expect(audit.contains { $0.action == "notify" && $0.errorCode == "SMTP" && $0.detail == "connection refused" })
        #expect(notices.all.contains { $0.0 == .warning && $0.1.contains("Could not send the notification e-mail") })
    }

    @Test func everyAttemptIsAuditedWithItsOutcome() async throws {
        defer { db.remove() }
        let store = try db.open()
        try OutboxRecords.queue(1, prefix: "aud", in: store, now: clock.now)
        let id = "aud-00001"
        sink.script(id, .fail(.retryable(code: "UNABLE_TO_LOCK_ROW", message: "unable to obtain exclusive access", backoffSeconds: 2)),
                    .landThenFail(.uncertain(message: "timed out after sending")))
        let worker = worker(store)
        await worker.drain()
        clock.advance(60)
        await worker.drain()
        clock.advance(140)
        await worker.drain()
        let entries = try store.audit(since: nil, limit: 100).reversed().filter { $0.callObject == id }
        #expect(entries.map(\.action) == ["create", "create", "deduplicated"])
        #expect(entries.map(\.attempt) == [1, 2, 3])
        #expect(entries.map(\.errorCode) == ["UNABLE_TO_LOCK_ROW", "UNCERTAIN", nil])
        #expect(entries.dropLast().allSatisfy { $0.endpoint == sink.endpoint })
        #expect(entries.last?.endpoint?.contains("CallObject") == true)
        #expect(entries.last?.detail?.hasPrefix("delivered as 00T") == true)
        #expect(entries.first?.detail?.contains("next attempt") == true)
    }
}
