import Foundation
import RingsideApp
import RingsideCore
import RingsideStore
import RingsideTestSupport

/// A clock tests move by hand.
final class OutboxTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Fixtures.t0) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    func set(_ date: Date) { lock.withLock { current = date } }
    var function: @Sendable () -> Date { { [self] in now } }
}

/// A `RecordSink` that follows a script and remembers what it was asked and what "landed" in the CRM.
final class ScriptedSink: RecordSink, @unchecked Sendable {
    enum Step: Sendable {
        case success
        case fail(DeliveryFailure)
        /// The record is created, but the answer is lost (timeout or reset after sending).
        case landThenFail(DeliveryFailure)
    }

    private let lock = NSLock()
    private var steps: [CallObjectID: [Step]] = [:]
    private var rule: (@Sendable (CallRecord) -> Step?)?
    private var landedRecords: [CallObjectID: [CallRecord]] = [:]
    private var crmIds: [CallObjectID: String] = [:]
    private var sentBatches: [[CallRecord]] = []
    private var existingQueries: [[CallObjectID]] = []
    private var existingFailure: DeliveryFailure?
    private var counter = 0
    private var upserts = false
    let endpoint = "POST /fake/sobjects"

    /// Behave like an upsert by an external id: re-sending a landed record updates it (no duplicate).
    var idempotent: Bool {
        get { lock.withLock { upserts } }
        set { lock.withLock { upserts = newValue } }
    }

    func resendIsSafe() async -> Result<Bool, DeliveryFailure> { .success(idempotent) }

    /// Steps for one record's successive attempts (then success).
    func script(_ id: CallObjectID, _ steps: Step...) { lock.withLock { self.steps[id] = steps } }
    /// A rule applied before the per-record script (e.g. "fail while it has a WhoId").
    func setRule(_ rule: (@Sendable (CallRecord) -> Step?)?) { lock.withLock { self.rule = rule } }
    func failExisting(_ failure: DeliveryFailure?) { lock.withLock { existingFailure = failure } }

    var batches: [[CallRecord]] { lock.withLock { sentBatches } }
    var sent: [CallRecord] { lock.withLock { sentBatches.flatMap { $0 } } }
    var queries: [[CallObjectID]] { lock.withLock { existingQueries } }
    /// Every record created in the "CRM", per CallObject (more than one = a duplicate).
    var landed: [CallObjectID: [CallRecord]] { lock.withLock { landedRecords } }

    func deliver(_ records: [CallRecord]) async -> [(CallObjectID, Result<String, DeliveryFailure>)] {
        lock.withLock {
            sentBatches.append(records)
            return records.map { record in
                let step = rule?(record) ?? (steps[record.callObject]?.isEmpty == false ? steps[record.callObject]!.removeFirst() : .success)
                switch step {
                case .success:
                    return (record.callObject, .success(land(record)))
                case .fail(let failure):
                    return (record.callObject, .failure(failure))
                case .landThenFail(let failure):
                    _ = land(record)
                    return (record.callObject, .failure(failure))
                }
            }
        }
    }

    private func land(_ record: CallRecord) -> String {
        if upserts, let id = crmIds[record.callObject] { return id }
        counter += 1
        let id = String(format: "00T%015d", counter)
        landedRecords[record.callObject, default: []].append(record)
        crmIds[record.callObject] = id
        return id
    }

    func existing(callObjects: [CallObjectID]) async -> Result<[CallObjectID: String], DeliveryFailure> {
        lock.withLock {
            existingQueries.append(callObjects)
            if let existingFailure { return .failure(existingFailure) }
            return .success(crmIds.filter { callObjects.contains($0.key) })
        }
    }

    func nearDailyLimit() async -> Bool { false }
}

/// A notifier that keeps what it was asked to send.
actor RecordingNotifier: Notifier {
    struct Mail: Sendable, Equatable {
        var subject: String
        var body: String
    }

    private(set) var mails: [Mail] = []
    var failure: (any Error)?

    func setFailure(_ error: (any Error)?) { failure = error }

    func notify(subject: String, body: String) async throws {
        if let failure { throw failure }
        mails.append(Mail(subject: subject, body: body))
    }
}

/// Collects worker notices (banner level and text).
final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Banner.Level, String)] = []
    var all: [(Banner.Level, String)] { lock.withLock { entries } }
    func add(_ level: Banner.Level, _ text: String) { lock.withLock { entries.append((level, text)) } }
}

/// A SQLite file in a fresh temporary directory.
struct OutboxTestDatabase {
    let directory: String
    let path: String

    init(name: String = "outbox") {
        directory = NSTemporaryDirectory() + "ringside-\(name)-\(UUID().uuidString.prefix(8))"
        path = directory + "/ringside.sqlite"
    }

    func open(maxPageCount: Int? = nil, readOnly: Bool = false) throws -> SQLiteCallStore {
        SQLiteCallStore(database: try RingsideDatabase(path: path, maxPageCount: maxPageCount, readOnly: readOnly))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

enum OutboxRecords {
    /// A completed call record ready for delivery (Contact WhoId + Account WhatId from the fixture).
    static func record(_ id: CallObjectID, minutesAgo: Double = 60, who: EntityRef? = nil, what: EntityRef? = nil,
                       keepFixtureAssociation: Bool = true, disposition: String? = "Resolved") -> CallRecord {
        var record = ConsoleFixtures.finishedRecord(disposition: disposition, at: Fixtures.t0.addingTimeInterval(-minutesAgo * 60))
        record.callObject = id
        if !keepFixtureAssociation || who != nil || what != nil {
            record.who = who
            record.what = what
        }
        record.delivery = .queued
        return record
    }

    /// Completes `count` records `prefix-1…` in the store (queued at `now`).
    @discardableResult
    static func queue(_ count: Int, prefix: String, in store: SQLiteCallStore, now: Date,
                      keepFixtureAssociation: Bool = false) throws -> [CallRecord] {
        try (1...count).map { n in
            let record = record("\(prefix)-\(String(format: "%05d", n))", keepFixtureAssociation: keepFixtureAssociation)
            try store.complete(record, at: now)
            return record
        }
    }
}
