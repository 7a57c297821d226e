import Foundation
import RingsideCore
import RingsideStore

/// A `CRM` that answers phone lookups from the local phone index and asks the wrapped CRM only on a miss.
///
/// * hit: the records from memory, no request (`LookupSource.index(syncedAt:)`, the last completed sync);
/// * miss: one lookup on the wrapped CRM (one SOSL request for Salesforce); its records are written back to
///   SQLite and memory, so the next call from that number is a hit;
/// * New: the created record is indexed too.
///
/// The in-memory index is an immutable `PhoneIndex` snapshot plus a small overlay of changes made since it
/// was built (write-backs, incremental syncs); `reload()` folds everything back into a fresh snapshot.
public final class IndexedCRM: CRM, Sendable {
    public let base: any CRM
    public let store: PhoneIndexStore
    /// Whether answers from `base` are written to SQLite (Salesforce); the local directory already has them.
    public let writesBack: Bool
    private let state: PhoneIndexLock<State>
    /// The snapshot file used by `reload()`, if any.
    public let snapshotPath: String?
    /// The background load started by `loadInBackground()`.
    private let loading = PhoneIndexLock<Task<Void, Never>?>(nil)

    struct State {
        var snapshot = PhoneIndex()
        /// Records added or changed since the snapshot, by number key.
        var overlay: [UInt64: [CRMRecord]] = [:]
        /// Number keys of each overlay record (to replace it cleanly).
        var overlayKeys: [String: [UInt64]] = [:]
        /// Snapshot records removed or replaced since the snapshot was built.
        var hidden: Set<String> = []
        var syncedAt: Date?
        var loadSeconds: Double = 0
        /// The number list's rows over `snapshot` (built on first use).
        var numberList: PhoneIndexNumberList?
        /// Whether `snapshot` was loaded from SQLite (until then lookups use an indexed query).
        var loaded = false
        /// Loads started, and the latest one applied: a slow load never replaces a newer one's snapshot.
        var loadsStarted = 0
        var loadApplied = 0
        /// Where the latest load came from (snapshot or SQLite, and why not the snapshot).
        var loadSource: PhoneIndexSnapshot.Source?
    }

    /// - Parameters:
    ///   - base: the CRM asked on a miss (Salesforce, or the local directory).
    ///   - store: the phone index tables.
    ///   - writesBack: write live answers and new records to SQLite (true for Salesforce; false when `base` is
    ///     the local directory, whose records are already in these tables).
    ///   - snapshotPath: where a binary snapshot of the index is kept between starts (issue 16); nil: none.
    public init(base: any CRM, store: PhoneIndexStore, writesBack: Bool = true, snapshotPath: String? = nil) {
        self.base = base
        self.store = store
        self.writesBack = writesBack
        self.snapshotPath = snapshotPath
        state = PhoneIndexLock(State())
    }

    /// Builds the in-memory index from SQLite (at start, and after a full sync). Returns its figures.
    @discardableResult
    public func reload() throws -> PhoneIndexFigures {
        let ticket = state.withValue { s -> Int in
            s.loadsStarted += 1
            return s.loadsStarted
        }
        let started = ContinuousClock.now
        let snapshot: PhoneIndex
        var source: PhoneIndexSnapshot.Source?
        if let snapshotPath {
            (snapshot, source) = try PhoneIndexSnapshot.load(store: store, path: snapshotPath)
        } else {
            snapshot = try PhoneIndex.load(from: store)
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        let syncedAt = try PhoneIndexSyncState.load(from: store).lastCompleted
        state.withValue { s in
            guard ticket > s.loadApplied else { return }
            var new = State(snapshot: snapshot, syncedAt: syncedAt, loadSeconds: seconds, loaded: true,
                            loadsStarted: s.loadsStarted, loadApplied: ticket, loadSource: source)
            if !s.loaded {
                // The first load (in the background while the console runs): keep what was remembered meanwhile
                // (it may have been written after this load read the tables).
                new.overlay = s.overlay
                new.overlayKeys = s.overlayKeys
                new.hidden = s.hidden
            }
            s = new
        }
        return figures
    }

    /// Loads the index on a background task and returns at once (paint first): until it is loaded, lookups are
    /// answered by an indexed SQLite query over the same tables, so they are correct from the first ring.
    /// A load that fails leaves that fallback in place.
    public func loadInBackground() {
        loading.withValue { task in
            guard task == nil else { return }
            // On a thread of its own: the load is seconds of blocking work when the snapshot must be rebuilt, and on
            // the cooperative pool (one thread per core) it held up the console's first paint until it finished.
            task = Task.detached(priority: .userInitiated) { [self] in
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let thread = Thread { [self] in
                        _ = try? reload()
                        done.resume()
                    }
                    thread.name = "phone index load"
                    thread.start()
                }
            }
        }
    }

    /// Waits for the background load (returns at once when none was started).
    public func waitUntilLoaded() async {
        await loading.withValue { $0 }?.value
    }

    /// Where the latest load came from: the snapshot, or SQLite and why the snapshot was not used (nil: no snapshot kept).
    public var loadSource: PhoneIndexSnapshot.Source? { state.withValue(\.loadSource) }

    /// Whether the in-memory index has been loaded.
    public var isLoaded: Bool { state.withValue(\.loaded) }

    /// The number list's rows if already built for the current snapshot.
    public var builtNumberList: PhoneIndexNumberList? { state.withValue(\.numberList) }

    /// The number list's directory rows over the current snapshot, built once per snapshot (outside the lock,
    /// so lookups go on meanwhile). Records in `excluding` (favourites) are left out.
    public func numberList(excluding: Set<String>) -> PhoneIndexNumberList {
        let (cached, snapshot) = state.withValue { ($0.numberList, $0.snapshot) }
        if let cached { return cached }
        let built = PhoneIndexNumberList(snapshot, excluding: excluding)
        state.withValue { s in
            if s.numberList == nil, s.snapshot.numberCount == snapshot.numberCount, s.snapshot.recordCount == snapshot.recordCount {
                s.numberList = built
            }
        }
        return built
    }

    /// Size and memory of the in-memory index.
    public var figures: PhoneIndexFigures {
        state.withValue { s in
            PhoneIndexFigures(numbers: s.snapshot.numberCount + s.overlay.values.reduce(0) { $0 + $1.count },
                              records: s.snapshot.recordCount + s.overlayKeys.count,
                              memoryBytes: s.snapshot.memoryBytes + s.overlayKeys.count * 512,
                              loadSeconds: s.loadSeconds, syncedAt: s.syncedAt)
        }
    }

    /// Records carrying `number` according to the index alone (no request).
    public func indexed(_ number: PhoneNumber) -> [CRMRecord] {
        guard let key = PhoneIndex.key(number.e164) else { return [] }
        if !isLoaded {
            // Not loaded yet: the same records from SQLite by the e164 index (plus what was remembered meanwhile).
            let stored = (try? store.records(withNumber: number.e164)) ?? []
            let remembered = state.withValue { $0.overlay[key] ?? [] }
            return stored.filter { record in !remembered.contains { $0.id == record.id } } + remembered
        }
        return state.withValue { s in
            var out = s.snapshot.recordIndexes(forKey: key).map { s.snapshot.record(at: $0) }.filter { !s.hidden.contains($0.id) }
            out += s.overlay[key] ?? []
            return out
        }
    }

    // MARK: CRM

    public func lookup(_ number: PhoneNumber) async throws -> LookupResult {
        guard !number.isInternal, number.kind == .external else { return LookupResult(candidates: [], source: .skipped) }
        let hits = indexed(number)
        if !hits.isEmpty {
            return LookupResult(candidates: hits, source: .index(syncedAt: state.withValue(\.syncedAt)))
        }
        let live = try await base.lookup(number)
        switch live.source {
        case .live:
            if !live.candidates.isEmpty { try? remember(live.candidates) }
        case .index, .skipped:
            break
        }
        return live
    }

    public func createRecord(_ type: EntityType, number: PhoneNumber, name: String?) async throws -> CRMRecord {
        let record = try await base.createRecord(type, number: number, name: name)
        try? remember([record])
        return record
    }

    public func search(_ text: String) async throws -> [CRMRecord] { try await base.search(text) }

    public func currentUser() async throws -> AgentUser { try await base.currentUser() }

    public func relatedWork(for entity: EntityRef) async throws -> [CRMRecord] { try await base.relatedWork(for: entity) }

    public func updateRecord(_ entity: EntityRef, fields: [String: String]) async throws {
        try await base.updateRecord(entity, fields: fields)
    }

    // MARK: Changes

    /// Writes records to SQLite (when `writesBack`) and memory (a live answer, a new record).
    public func remember(_ records: [CRMRecord]) throws {
        if writesBack {
            let generation = try PhoneIndexSyncState.load(from: store).generation
            try store.apply(.init(upserts: records, generation: generation))
        }
        apply(upserted: records, removed: [])
    }

    /// Applies changes already written to SQLite (an incremental sync) to memory.
    public func apply(upserted: [CRMRecord], removed: [String]) {
        state.withValue { s in
            for id in removed { Self.drop(id, from: &s) }
            for record in upserted {
                Self.drop(record.id, from: &s)
                var keys: [UInt64] = []
                for phone in record.phones {
                    guard let key = phone.e164.flatMap(PhoneIndex.key), !keys.contains(key) else { continue }
                    keys.append(key)
                    s.overlay[key, default: []].append(record)
                }
                if !keys.isEmpty { s.overlayKeys[record.id] = keys }
            }
        }
    }

    /// Records a completed sync's time (shown as the pop's freshness).
    public func setSyncedAt(_ date: Date?) {
        state.withValue { $0.syncedAt = date }
    }

    private static func drop(_ id: String, from s: inout State) {
        s.hidden.insert(id)
        for key in s.overlayKeys.removeValue(forKey: id) ?? [] {
            s.overlay[key]?.removeAll { $0.id == id }
            if s.overlay[key]?.isEmpty == true { s.overlay[key] = nil }
        }
    }
}

/// Size, memory and freshness of the in-memory phone index.
public struct PhoneIndexFigures: Hashable, Sendable, Codable {
    public var numbers: Int
    public var records: Int
    public var memoryBytes: Int
    public var loadSeconds: Double
    public var syncedAt: Date?
}

/// The phone index's lock box: the shared `RingsideCore.Locked` (a `Mutex`).
typealias PhoneIndexLock = Locked

extension Duration {
    /// The duration in seconds as a `Double`.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
