import Foundation
import RingsideCore
import Logging
import RingsideStore

/// A way to tell an admin about delivery trouble (e-mail via libcurl SMTP in production).
public protocol Notifier: Sendable {
    func notify(subject: String, body: String) async throws
}

/// Delivers queued call records exactly once: saved records only, uncertain attempts checked by `CallObject`
/// before re-sending, retries with persisted backoff, permanent failures parked with the CRM's reason.
public actor OutboxWorker {
    /// What one drain did.
    public struct Summary: Hashable, Sendable {
        public var delivered = 0
        public var deduplicated = 0
        public var retried = 0
        public var parked = 0
        public var associationsDropped = 0
        /// Uncertain records not checked yet: their request may still be running at the CRM.
        public var waiting = 0
        public var batches = 0
        public var nearLimit = false
        /// Another process was delivering the whole time this drain waited: nothing was sent.
        public var busy = false

        public init() {}
    }

    let store: SQLiteCallStore
    let sink: any RecordSink
    let policy: DeliveryPolicy
    let schedule: DeliverySchedule
    let dailyAt: (hour: Int, minute: Int)
    let timeZone: TimeZone
    let clock: @Sendable () -> Date
    let unit: @Sendable () -> Double
    /// The schedule's waits (through the `Sleeper` a test may pass), ended early by `wake()`.
    private let waits: WakeableSleep
    let notifier: (any Notifier)?
    let failingAlertSeconds: Double
    let batchSize: Int
    let lockWaitSeconds: Double
    /// Held while delivering, so a sender that finds it free may take over a dead sender's claims.
    private let drainLock: OutboxDrainLock
    private var onNotice: (@Sendable (Banner.Level, String) -> Void)?
    private var onChange: (@Sendable () -> Void)?
    private var alertedFailing = false
    /// When deliveries started failing (first drain that left failing items since the last clean one).
    private var failingSince: Date?
    private var draining: Task<Summary, Never>?
    /// Deliveries of the current batch, written in one transaction (one commit per batch, not per record).
    private var deliveredInBatch: [(id: CallObjectID, crmId: String, audit: AuditEntry)] = []

    public init(store: SQLiteCallStore, sink: any RecordSink, policy: DeliveryPolicy = DeliveryPolicy(),
                schedule: DeliverySchedule = .immediate, dailyAt: String = "23:00", timeZone: String = "UTC",
                notifier: (any Notifier)? = nil, failingAlertMinutes: Int = 15, batchSize: Int = 200,
                lockWaitSeconds: Double = 30,
                clock: @escaping @Sendable () -> Date = { Date() },
                unit: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                sleeper: any Sleeper = LiveSleeper()) {
        self.store = store
        self.sink = sink
        self.policy = policy
        self.schedule = schedule
        let parts = dailyAt.split(separator: ":").compactMap { Int($0) }
        self.dailyAt = (parts.first ?? 23, parts.count > 1 ? parts[1] : 0)
        self.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        self.notifier = notifier
        self.failingAlertSeconds = Double(failingAlertMinutes) * 60
        self.batchSize = batchSize
        self.lockWaitSeconds = lockWaitSeconds
        self.drainLock = OutboxDrainLock(databasePath: store.database.path)
        self.clock = clock
        self.unit = unit
        self.waits = WakeableSleep(sleeper: sleeper)
    }

    public func setHandlers(notice: @escaping @Sendable (Banner.Level, String) -> Void, change: @escaping @Sendable () -> Void) {
        onNotice = notice
        onChange = change
    }

    /// Something was queued (or the agent asked to retry): deliver now if the schedule allows.
    public func wake() {
        waits.wake()
    }

    /// Runs until cancelled, following the schedule.
    public func run() async {
        while !Task.isCancelled {
            switch schedule {
            case .off:
                await sleep(seconds: 3600)
            case .immediate:
                let summary = await drain()
                let next = (try? store.nextDue()).map { $0.timeIntervalSince(clock()) } ?? 3600
                await sleep(seconds: summary.nearLimit ? 60 : max(0.05, min(next, 3600)))
            case .daily:
                // Wake-ups (a call was completed) must not start the batch early: sleep until the batch time.
                let batchTime = clock().addingTimeInterval(secondsUntilDailyBatch(from: clock()))
                while !Task.isCancelled, clock() < batchTime {
                    await sleep(seconds: batchTime.timeIntervalSince(clock()))
                }
                if Task.isCancelled { return }
                waits.forgetWakeUp()
                _ = await drain(allQueued: true)
            }
        }
    }

    /// Seconds from `now` to the next daily batch time in the agent's time zone.
    public func secondsUntilDailyBatch(from now: Date) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let target = DateComponents(hour: dailyAt.hour, minute: dailyAt.minute, second: 0)
        let next = calendar.nextDate(after: now, matching: target, matchingPolicy: .nextTime) ?? now.addingTimeInterval(86400)
        return next.timeIntervalSince(now)
    }

    /// Delivers everything due now (all queued records with `allQueued`), in batches, until nothing is due.
    /// Drains never overlap: a second caller waits for the running one, then drains what is left.
    @discardableResult
    public func drain(allQueued: Bool = false) async -> Summary {
        while let running = draining { _ = await running.value }
        // The drain clears `draining` itself, on the actor, before it finishes: a waiter resuming after it
        // must not find the finished task still there (awaiting a finished task doesn't suspend, so it would
        // spin forever and starve the caller that was about to clear it).
        let task = Task { () -> Summary in
            let summary = await self.lockedDrain(allQueued: allQueued)
            self.draining = nil
            return summary
        }
        draining = task
        return await task.value
    }

    /// Takes the delivery lock (waiting up to `lockWaitSeconds` for another process's drain), then drains.
    private func lockedDrain(allQueued: Bool) async -> Summary {
        var waited = 0.0
        var outcome = drainLock.tryLock()
        while outcome == .busy, waited < lockWaitSeconds, !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 50_000_000)
            waited += 0.05
            outcome = drainLock.tryLock()
        }
        switch outcome {
        case .acquired:
            defer { drainLock.unlock() }
            return await drainNow(allQueued: allQueued, exclusive: true)
        case .unavailable:
            return await drainNow(allQueued: allQueued, exclusive: false)
        case .busy:
            var summary = Summary()
            summary.busy = true
            return summary
        }
    }

    /// `exclusive`: this process holds the delivery lock, so claims left by dead senders are taken over now.
    private func drainNow(allQueued: Bool, exclusive: Bool) async -> Summary {
        var summary = Summary()
        var parkedNow: [String] = []
        var attempted = Set<CallObjectID>()
        for _ in 0..<10_000 {
            let now = clock()
            // Claiming marks the batch in flight before anything is sent: a crash from here on leaves
            // an expired claim, and the next attempt asks the CRM before sending again.
            // Each record is tried at most once per drain (except a re-send without its association).
            guard let due = try? store.claimDue(due: allQueued ? .distantFuture : now, now: now, limit: batchSize,
                                                lease: policy.claimLeaseSeconds, excluding: attempted, takeOverClaims: exclusive),
                  !due.isEmpty else { break }
            attempted.formUnion(due.map(\.0.callObject))
            if summary.batches > 0, await sink.nearDailyLimit() {
                summary.nearLimit = true
                onNotice?(.warning, "Salesforce daily API limit nearly used: delivering slowly")
                for (item, _) in due { try? store.release(item.callObject) }
                break
            }
            // With an external-id field every send is an upsert; without one (or when that can't be told now)
            // records whose earlier request may have been processed are looked up first.
            let idempotent: Bool
            switch await sink.resendIsSafe() {
            case .success(let safe):
                idempotent = safe
            case .failure(let failure):
                for (item, record) in due {
                    var decision = policy.decide(.failure(failure), record: record, attempts: item.attempts, now: clock(), unit: unit())
                    if case .retry(let at, let attempts, let error, _) = decision {
                        decision = .retry(at: at, attempts: attempts, error: error, uncertain: item.uncertain)
                    } else if case .park(let error) = decision {
                        decision = .retry(at: clock().addingTimeInterval(policy.delay(afterAttempts: item.attempts + 1, unit: unit())),
                                          attempts: item.attempts + 1, error: error, uncertain: item.uncertain)
                    }
                    _ = apply(decision, item: item, record: record, action: "describe", summary: &summary, parked: &parkedNow)
                }
                onChange?()
                continue
            }
            summary.batches += 1
            // An upsert sent earlier can be sent again as it is; anything else uncertain is checked first.
            var toSend = due.filter { !$0.0.uncertain || (idempotent && $0.0.sentIdempotent) }
            var uncertain: [(OutboxItem, CallRecord)] = []
            for (item, record) in due where item.uncertain && !(idempotent && item.sentIdempotent) {
                // Not while its request may still be running: the check would find nothing and the re-send duplicate.
                if let earliest = policy.earliestCheck(sentAt: item.sentAt), earliest > clock() {
                    do {
                        try store.deferCheck(record.callObject, until: earliest)
                    } catch {
                        onNotice?(.error, "Could not update the outbox: \(error)")
                    }
                    summary.waiting += 1
                } else {
                    uncertain.append((item, record))
                }
            }
            if !uncertain.isEmpty {
                switch await sink.existing(callObjects: uncertain.map(\.1.callObject)) {
                case .success(let found):
                    for (item, record) in uncertain {
                        if let id = found[record.callObject] {
                            _ = apply(.delivered(crmId: id), item: item, record: record, action: "deduplicated", summary: &summary, parked: &parkedNow)
                            summary.deduplicated += 1
                        } else {
                            toSend.append((item, record))
                        }
                    }
                    flushDelivered()
                case .failure(let failure):
                    // The check failed, so it is still unknown whether these records landed: whatever happens
                    // next (retry or park), they stay uncertain and are checked again before any re-send.
                    // A failed check says nothing about the association, so it is never dropped for it.
                    let checkFailure: DeliveryFailure = switch failure {
                    case .permanent(let code, let message, _): .permanent(code: code, message: message, association: false)
                    case .retryable, .uncertain, .authentication: failure
                    }
                    for (item, record) in uncertain {
                        var decision = policy.decide(.failure(checkFailure), record: record, attempts: item.attempts, now: clock(), unit: unit())
                        if case .retry(let at, let attempts, let error, _) = decision {
                            decision = .retry(at: at, attempts: attempts, error: error, uncertain: true)
                        }
                        _ = apply(decision, item: item, record: record, action: "check", summary: &summary, parked: &parkedNow)
                    }
                }
            }
            if !toSend.isEmpty {
                // Written before anything goes out: a sender killed from here on leaves "sent at" for its successor.
                let sentAt = clock()
                do {
                    try store.markSent(toSend.map(\.1.callObject), at: sentAt, idempotent: idempotent)
                } catch {
                    onNotice?(.error, "Could not update the outbox, nothing sent: \(error)")
                    for (item, _) in toSend { try? store.release(item.callObject) }
                    break
                }
                let results = await sink.send(toSend.map(\.1))
                let byID = Dictionary(results.map { ($0.callObject, $0) }, uniquingKeysWith: { first, _ in first })
                for (item, record) in toSend {
                    let attempt = byID[record.callObject]
                        ?? DeliveryAttempt(callObject: record.callObject, result: .failure(.uncertain(message: "the CRM gave no result for this record")),
                                           endpoint: sink.endpoint)
                    let decision = policy.decide(attempt.result, record: record, attempts: item.attempts, now: clock(), unit: unit(),
                                                 sentAt: idempotent ? nil : sentAt)
                    if apply(decision, item: item, record: record, action: idempotent ? "upsert" : "create", summary: &summary,
                             parked: &parkedNow, attempt: attempt) {
                        // Saved without its association: send it again in this drain.
                        attempted.remove(record.callObject)
                    }
                }
                flushDelivered()
            }
            onChange?()
        }
        await notifyIfNeeded(parked: parkedNow)
        return summary
    }

    /// Records the decision in the store and the audit log. Returns true when the record is due again at once
    /// (its association was dropped).
    /// `attempt`: what was sent and what came back (endpoint, HTTP status), when something was sent.
    private func apply(_ decision: DeliveryDecision, item: OutboxItem, record: CallRecord, action: String,
                       summary: inout Summary, parked: inout [String], attempt: DeliveryAttempt? = nil) -> Bool {
        var again = false
        let now = clock()
        let endpoint = attempt?.endpoint ?? (action == "check" || action == "deduplicated" ? checkEndpoint : sink.endpoint)
        var audit = AuditEntry(at: now, callObject: record.callObject, action: action, endpoint: endpoint,
                               httpStatus: attempt?.httpStatus, attempt: item.attempts + 1)
        do {
            switch decision {
            case .delivered(let id):
                audit.httpStatus = attempt?.httpStatus ?? 200
                audit.detail = "delivered as \(id)"
                if attempt != nil { summary.delivered += 1 }
                deliveredInBatch.append((record.callObject, id, audit))
                return false
            case .retry(let at, let attempts, let error, let uncertain):
                try store.reschedule(record.callObject, at: at, attempts: attempts, error: error, uncertain: uncertain)
                audit.errorCode = error.code
                audit.detail = "\(error.message); next attempt \(ISO8601DateFormatter().string(from: at))"
                summary.retried += 1
            case .retryWithoutAssociation(let note):
                try store.dropAssociation(record.callObject, note: note, now: now)
                audit.errorCode = "ASSOCIATION_DROPPED"
                audit.detail = note
                summary.associationsDropped += 1
                again = true
            case .park(let error):
                // Parked after a failed check: still maybe delivered, so a later retry checks first.
                try store.park(record.callObject, error: error, attempts: item.attempts + 1, uncertain: action == "check")
                audit.errorCode = error.code
                audit.detail = "parked: \(error.message)"
                summary.parked += 1
                parked.append("\(record.subject): \(error)")
            }
        } catch {
            onNotice?(.error, "Could not update the outbox: \(error)")
            again = false
        }
        try? store.appendAudit(audit)
        OutboxWorker.log.notice("\(audit.action) \(record.callObject): \(audit.errorCode.map { "\($0) " } ?? "")\(audit.detail ?? "")")
        return again
    }

    /// Delivery events in the log file (the audit log in the database stays the record of truth).
    static let log = RingsideLog.logger("delivery")

    /// The CallObject check, as named in the audit log.
    private var checkEndpoint: String { "GET /query (CallObject IN …)" }

    /// Marks the batch's deliveries and appends their audit entries in one transaction.
    private func flushDelivered() {
        guard !deliveredInBatch.isEmpty else { return }
        defer { deliveredInBatch = [] }
        do {
            try store.markDelivered(deliveredInBatch.map { ($0.id, $0.crmId) }, audit: deliveredInBatch.map(\.audit))
            for item in deliveredInBatch { Self.log.info("delivered \(item.id) as \(item.crmId)") }
        } catch {
            // Left claimed: the next drain finds them uncertain, asks the CRM, and records them then.
            onNotice?(.error, "Could not update the outbox: \(error)")
        }
    }

    private func notifyIfNeeded(parked: [String]) async {
        if !parked.isEmpty {
            let text = "\(parked.count) call record(s) parked: \(parked[0])\(parked.count > 1 ? " (and \(parked.count - 1) more)" : "") — see `ringside outbox`"
            onNotice?(.error, text)
            await mail(subject: "Ringside: \(parked.count) call record(s) could not be delivered", body: parked.joined(separator: "\n"))
        }
        // Measured from the first drain that saw failures, not from the calls' end: a daily batch of
        // morning calls that fails once at 23:00 has been failing for seconds, not for 14 hours.
        guard (try? store.oldestFailingSince()) != nil else {
            failingSince = nil
            alertedFailing = false
            return
        }
        let since = failingSince ?? clock()
        failingSince = since
        if clock().timeIntervalSince(since) > failingAlertSeconds {
            if !alertedFailing {
                alertedFailing = true
                let minutes = Int(clock().timeIntervalSince(since) / 60)
                onNotice?(.warning, "Call records have been failing to deliver for \(minutes) min; they are safe and will be retried")
                await mail(subject: "Ringside: deliveries failing for \(minutes) minutes",
                           body: "Call records are queued and being retried. See `ringside outbox` and `ringside audit`.")
            }
        }
    }

    private func mail(subject: String, body: String) async {
        guard let notifier else { return }
        do {
            try await notifier.notify(subject: subject, body: body)
            try? store.appendAudit(AuditEntry(at: clock(), callObject: nil, action: "notify", endpoint: "smtp", detail: subject))
        } catch {
            try? store.appendAudit(AuditEntry(at: clock(), callObject: nil, action: "notify", endpoint: "smtp", errorCode: "SMTP",
                                              detail: "\(error)"))
            onNotice?(.warning, "Could not send the notification e-mail: \(error)")
        }
    }

    private func sleep(seconds: Double) async {
        await waits.sleep(seconds: seconds)
    }
}
