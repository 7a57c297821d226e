import Foundation
import RingsideCore
import RingsideSalesforce
import RingsideStore

/// Fills the local phone index from Salesforce: a full sync of every phone field of the searched entities,
/// then incremental syncs (records whose `SystemModstamp` passed the watermark, and deletions from the
/// `deleted` resource). Every page is written with its checkpoint in one transaction, so a run that is
/// interrupted — network, Ctrl-C, a crash — continues from the last page on the next run.
public struct PhoneIndexSync: Sendable {
    /// Tunables (defaults suit a real org).
    public struct Options: Sendable {
        /// Records per query (Salesforce returns at most 2,000 a page).
        public var pageSize = 2000
        /// Incremental runs re-read this much before the watermark: a record's `SystemModstamp` is set when its
        /// transaction starts, so a long transaction can commit a record "in the past".
        public var overlap: TimeInterval = 120
        /// Ask `SELECT COUNT()` first, so progress has a total (one request per entity).
        public var countFirst = true

        public init() {}
    }

    /// Progress of a run, for a progress bar or log lines.
    public enum Event: Sendable {
        /// A run starts (`reason`: why it is a full sync, when it is one).
        case started(mode: PhoneIndexSyncMode, resumed: Bool, reason: String?)
        /// Reading an entity's changed records; `total` when counted.
        case entity(name: String, total: Int?)
        /// A page was written: `done` of `total` records read for this entity.
        case page(entity: String, done: Int, total: Int?)
        /// Deletions were applied for an entity.
        case deletions(entity: String, count: Int)
        /// A full sync removed records it did not see.
        case swept(count: Int)
    }

    public let client: SalesforceClient
    public let store: PhoneIndexStore
    public let region: PhoneRegion
    public let internalNumberDigits: Int
    public let options: Options
    /// The searched entities (Contact, Account and Lead are synced).
    let searchedEntities: [EntityType]
    /// nil: the client's setting, else what describe found.
    let personAccounts: Bool?
    /// What is synced: filled from the org's describe at the start of each run (issue 15).
    var entities: [PhoneIndexEntity] = []

    /// - Parameters:
    ///   - searchedEntities: Contact, Account and Lead are synced (others have no indexed phone fields).
    ///   - personAccounts: read Person Account phone fields (nil: when the org has them, unless the settings say no).
    public init(client: SalesforceClient, store: PhoneIndexStore, searchedEntities: [EntityType]? = nil, personAccounts: Bool? = nil,
                region: PhoneRegion? = nil, internalNumberDigits: Int? = nil, options: Options = Options()) {
        self.client = client
        self.store = store
        self.region = region ?? client.settings.defaultRegion
        self.internalNumberDigits = internalNumberDigits ?? client.settings.internalNumberDigits
        self.options = options
        self.searchedEntities = searchedEntities ?? client.settings.searchedEntities
        self.personAccounts = personAccounts ?? client.settings.personAccounts
    }

    /// This sync with its entities taken from the org's describe: visible objects, their phone fields
    /// (custom ones too), Person Account fields only when the org has them.
    func resolved() async throws(PhoneIndexSyncError) -> PhoneIndexSync {
        let schema: OrgSchema
        do { schema = try await client.orgSchema() } catch { throw .salesforce(error, step: "describe", resumeFrom: nil) }
        var copy = self
        copy.entities = PhoneIndexEntity.configured(searchedEntities, schema: schema,
                                                    personAccounts: schema.hasPersonAccounts && personAccounts != false)
        return copy
    }

    /// Entities plus the person-account switch: when this changes, the next run is a full sync.
    var scope: [String] {
        entities.map { "\($0.name):\($0.phoneFields.joined(separator: ","))" }
    }

    /// Changes a run made, for the in-memory index.
    public struct Changes: Sendable {
        public var upserted: [CRMRecord] = []
        public var removed: [String] = []
        /// True after a full sync (the in-memory index should be rebuilt rather than patched).
        public var rebuild = false
    }

    /// Runs a sync: continues an interrupted run, else a full one when asked, when there has never been one
    /// or the scope changed, else an incremental one (which falls back to full when deletions are too old).
    /// - Parameters:
    ///   - full: force a full sync (an interrupted incremental run is abandoned; an interrupted full one continues).
    ///   - collectChanges: keep changed records for `IndexedCRM.apply` (incremental runs only).
    ///   - progress: called after each step.
    @discardableResult
    public func run(full: Bool = false, collectChanges: Bool = false,
                    progress: @Sendable (Event) async -> Void = { _ in }) async throws(PhoneIndexSyncError) -> (PhoneIndexSyncReport, Changes) {
        let sync = try await resolved()
        guard !sync.entities.isEmpty else { throw .noEntities }
        var run = try Run(sync: sync, collectChanges: collectChanges)
        do {
            try await run.execute(forceFull: full, progress: progress)
        } catch {
            run.saveFailure(error)
            throw error
        }
        return (run.finalReport!, run.changes)
    }

    func load() throws(PhoneIndexSyncError) -> PhoneIndexSyncState {
        do { return try PhoneIndexSyncState.load(from: store) } catch let error as PhoneIndexSyncError { throw error } catch {
            throw .corruptState(reason: "\(error)")
        }
    }
}

extension PhoneIndexSync {
    /// One run's working state.
    struct Run {
        let sync: PhoneIndexSync
        var state: PhoneIndexSyncState
        var changes = Changes()
        let collectChanges: Bool
        let startedAt = Date()
        /// The client's request count when this invocation started, and requests counted by earlier
        /// invocations of the same (interrupted) run.
        let requestsAtStart: Int
        var requestBase: Int
        var finalReport: PhoneIndexSyncReport?

        init(sync: PhoneIndexSync, collectChanges: Bool) throws(PhoneIndexSyncError) {
            self.sync = sync
            self.collectChanges = collectChanges
            state = try sync.load()
            requestsAtStart = sync.client.requestsSent
            requestBase = state.counters.requests
        }

        /// Requests the client sent for this run (including before an interruption).
        var requestsSoFar: Int { requestBase + sync.client.requestsSent - requestsAtStart }

        mutating func execute(forceFull: Bool, progress: @Sendable (Event) async -> Void) async throws(PhoneIndexSyncError) {
            if let running = state.running, !(forceFull && running == .incremental) {
                state.resumed = true
            } else if forceFull {
                try begin(.full, reason: "asked for (--full)")
            } else if state.completedGeneration == nil {
                try begin(.full, reason: "first sync")
            } else if state.scope != sync.scope {
                try begin(.full, reason: "the synced entities or fields changed")
            } else {
                try begin(.incremental, reason: nil)
            }
            await progress(.started(mode: state.running!, resumed: state.resumed, reason: state.fullReason))
            if state.running == .incremental, let reason = try await applyDeletions(progress: progress) {
                try begin(.full, reason: reason, keepCounters: true)
                await progress(.started(mode: .full, resumed: false, reason: reason))
            }
            let full = state.running == .full
            for entity in sync.entities where !state.entitiesDone.contains(entity.name) {
                try await readChanges(entity, full: full, progress: progress)
            }
            if full {
                let swept = try store { () throws(StoreError) in try sync.store.sweep(generationsBefore: state.generation) }
                state.counters.removed += swept
                await progress(.swept(count: swept))
                let since = state.runStartedAt ?? startedAt
                for entity in sync.entities { state.deletedSince[entity.name] = since.addingTimeInterval(-60) }
                state.completedGeneration = state.generation
                state.scope = sync.scope
                changes = Changes(rebuild: true)
            }
            state.counters.requests = requestsSoFar
            let report = report(error: nil)
            finalReport = report
            state.running = nil
            state.lastCompleted = Date()
            state.entitiesDone = []
            state.fullReason = nil
            state.resumed = false
            state.counters = .init()
            try persist()
            try? report.save(to: sync.store)
        }

        /// Starts a new run of `mode` (keeping watermarks for incremental runs).
        mutating func begin(_ mode: PhoneIndexSyncMode, reason: String?, keepCounters: Bool = false) throws(PhoneIndexSyncError) {
            if !keepCounters {
                state.counters = .init()
                requestBase = 0
            }
            state.running = mode
            state.runStartedAt = Date()
            state.entitiesDone = []
            state.resumed = false
            state.fullReason = reason
            if mode == .full {
                state.generation += 1
                state.cursors = [:]
            }
            try persist()
        }

        func persist() throws(PhoneIndexSyncError) {
            try store { () throws(StoreError) in try sync.store.setSettings(state.setting) }
        }

        func store<T>(_ body: () throws(StoreError) -> T) throws(PhoneIndexSyncError) -> T {
            do { return try body() } catch { throw .store(error) }
        }

        func salesforce<T>(_ step: String, resume: String?, _ body: () async throws(SalesforceError) -> T) async throws(PhoneIndexSyncError) -> T {
            if Task.isCancelled { throw .cancelled(resumeFrom: resume) }
            do { return try await body() } catch { throw .salesforce(error, step: step, resumeFrom: resume) }
        }

        /// Deletions since each entity's `deletedSince`; returns a reason to fall back to a full sync.
        mutating func applyDeletions(progress: @Sendable (Event) async -> Void) async throws(PhoneIndexSyncError) -> String? {
            let client = sync.client
            for entity in sync.entities {
                guard let since = state.deletedSince[entity.name] else { return "no deletion watermark for \(entity.name)" }
                // The resource takes whole seconds: round the end up so a deletion in this second is included
                // (`latestDateCovered` says how far Salesforce really got).
                let end = max(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.up) + 1), since.addingTimeInterval(1))
                let deleted = try await salesforce("reading deleted \(entity.name) records", resume: nil) { () async throws(SalesforceError) in
                    try await client.deleted(type: entity.name, start: since, end: end)
                }
                if let earliest = deleted.earliestDateAvailable, earliest > since {
                    return "\(entity.name) deletions before \(SalesforceDateTime.format(earliest)) are no longer available "
                        + "(last sync \(SalesforceDateTime.format(since)))"
                }
                state.deletedSince[entity.name] = deleted.latestDateCovered ?? end
                let ids = deleted.records.map(\.id)
                let applied = try store { () throws(StoreError) in
                    try sync.store.apply(.init(deletions: ids, generation: state.generation, settings: state.setting))
                }
                state.counters.removed += applied.deleted
                if collectChanges { changes.removed += ids }
                await progress(.deletions(entity: entity.name, count: applied.deleted))
            }
            return nil
        }

        /// Pages through an entity's records after its cursor, writing each page with the new cursor.
        mutating func readChanges(_ entity: PhoneIndexEntity, full: Bool, progress: @Sendable (Event) async -> Void) async throws(PhoneIndexSyncError) {
            let client = sync.client
            var cursor = state.cursors[entity.name]
            // An incremental run starts a little before the watermark (see `Options.overlap`).
            // With no record seen yet, it starts where deletions are known from (the last full sync's start).
            // With no overlap it continues strictly after the watermark record.
            var since: String?
            if !full, cursor == nil || sync.options.overlap > 0 {
                let watermark = cursor.flatMap { SalesforceDateTime.parse($0.stamp) } ?? state.deletedSince[entity.name]
                since = watermark.map { PhoneIndexEntity.soqlDateTime($0.addingTimeInterval(-sync.options.overlap)) }
                cursor = nil
            }
            let resumeText = { (c: PhoneIndexSyncState.Cursor?) in c.map { "\(entity.name) \($0.stamp) \($0.id)" } }
            var total: Int?
            if sync.options.countFirst {
                let soql = entity.countSOQL(after: cursor, since: since, full: full)
                total = try await salesforce("counting \(entity.name) records", resume: resumeText(cursor)) { () async throws(SalesforceError) in
                    try await client.query(soql).totalSize
                }
            }
            await progress(.entity(name: entity.name, total: total))
            let instance = try await salesforce("signing in", resume: resumeText(cursor)) { () async throws(SalesforceError) in
                try await client.auth.currentSession().instanceURL
            }
            var done = 0
            let columns = PhoneIndexEntity.PageColumns(entity)
            while true {
                let soql = entity.pageSOQL(after: cursor, since: since, full: full, limit: sync.options.pageSize)
                let page = try await salesforce("reading \(entity.name) records", resume: resumeText(cursor)) { () async throws(SalesforceError) in
                    try await client.queryRows(soql, columns: columns.columns)
                }
                var upserts: [CRMRecord] = []
                var removals: [String] = []
                for row in 0..<page.count {
                    switch entity.outcome(page, row: row, columns: columns, instanceURL: instance, region: sync.region,
                                          internalDigits: sync.internalNumberDigits) {
                    case .upsert(let record, let unparsed)?:
                        upserts.append(record)
                        state.counters.unparsedNumbers += unparsed
                    case .remove(let id)?:
                        removals.append(id)
                    case nil:
                        break
                    }
                    if let id = page[row, columns.id], let stamp = page[row, columns.stamp] {
                        cursor = .init(stamp: stamp, id: id)
                    }
                }
                let finished = page.count < sync.options.pageSize
                state.cursors[entity.name] = cursor
                if finished { state.entitiesDone.append(entity.name) }
                state.counters.fetched += page.count
                state.counters.pages += 1
                state.counters.upserted += upserts.count
                state.counters.requests = requestsSoFar
                let batch = PhoneIndexStore.Batch(upserts: upserts, deletions: removals, generation: state.generation, settings: state.setting)
                let applied = try store { () throws(StoreError) in try sync.store.apply(batch) }
                state.counters.removed += applied.deleted
                if collectChanges, !full {
                    changes.upserted += upserts
                    changes.removed += removals
                }
                done += page.count
                await progress(.page(entity: entity.name, done: done, total: total))
                if finished { return }
                if page.count == 0 || cursor == nil { return }
            }
        }

        func report(error: String?) -> PhoneIndexSyncReport {
            let counts = try? sync.store.counts()
            let now = Date()
            let started = state.runStartedAt ?? startedAt
            return PhoneIndexSyncReport(
                mode: state.running ?? .incremental, resumed: state.resumed, fullReason: state.fullReason, startedAt: started, finishedAt: now,
                seconds: now.timeIntervalSince(startedAt), fetched: state.counters.fetched, upserted: state.counters.upserted,
                removed: state.counters.removed, unparsedNumbers: state.counters.unparsedNumbers, pages: state.counters.pages,
                requests: requestsSoFar, records: counts?.syncedRecords ?? 0, numbers: counts?.syncedNumbers ?? 0,
                byType: counts?.syncedByType ?? [:], error: error)
        }

        /// Keeps the counters reached and records the failure as the last run.
        func saveFailure(_ error: PhoneIndexSyncError) {
            var state = self.state
            state.counters.requests = requestsSoFar
            try? sync.store.setSettings(state.setting)
            try? report(error: error.description).save(to: sync.store)
        }
    }
}
