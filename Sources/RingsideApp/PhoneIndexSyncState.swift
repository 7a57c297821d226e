import Foundation
import RingsideCore
import RingsideStore

/// How a sync run brings the index up to date.
public enum PhoneIndexSyncMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Every phone-carrying record of the configured entities; afterwards, records not seen are removed.
    case full
    /// Records changed since the watermark (`SystemModstamp`), and deletions from the `deleted` resource.
    case incremental
}

/// The sync's checkpoint, kept as JSON in the `settings` table and rewritten in the same transaction as
/// each page of records, so an interrupted run continues exactly where the last page ended.
public struct PhoneIndexSyncState: Codable, Hashable, Sendable {
    /// A position in `ORDER BY SystemModstamp, Id`: the last record written.
    public struct Cursor: Codable, Hashable, Sendable {
        /// `SystemModstamp` as Salesforce wrote it (`2026-01-01T10:00:00.000+0000`).
        public var stamp: String
        public var id: String

        public init(stamp: String, id: String) {
            self.stamp = stamp
            self.id = id
        }
    }

    /// Counters of the run in progress (kept across an interruption for the final report).
    public struct Counters: Codable, Hashable, Sendable {
        public var fetched = 0
        public var upserted = 0
        public var removed = 0
        public var unparsedNumbers = 0
        public var pages = 0
        public var requests = 0

        public init() {}
    }

    /// Generation of the latest full sync started (rows are stamped with it).
    public var generation = 0
    /// Generation of the latest full sync completed; nil before the first.
    public var completedGeneration: Int?
    /// The run that has not finished (interrupted or in progress).
    public var running: PhoneIndexSyncMode?
    public var runStartedAt: Date?
    /// Whether the run in progress was resumed after an interruption.
    public var resumed = false
    /// Entities finished in the run in progress.
    public var entitiesDone: [String] = []
    /// Per entity: the last record reached — the resume point, and after a run the incremental watermark.
    public var cursors: [String: Cursor] = [:]
    /// Per entity: deletions are known up to this time (`latestDateCovered`).
    public var deletedSince: [String: Date] = [:]
    /// Entities (and person-account setting) of the last completed full sync; a change forces a full sync.
    public var scope: [String] = []
    /// When the last run completed.
    public var lastCompleted: Date?
    public var counters = Counters()
    /// Why the run in progress is a full sync (e.g. the deleted-records window was too old).
    public var fullReason: String?

    public init() {}

    static let key = "phoneIndex.state"
    static let reportKey = "phoneIndex.lastRun"

    /// The stored state (a fresh one when there is none).
    public static func load(from store: PhoneIndexStore) throws -> PhoneIndexSyncState {
        guard let text = try store.settings(prefix: key)[key] else { return PhoneIndexSyncState() }
        do {
            return try JSONDecoder.phoneIndex.decode(PhoneIndexSyncState.self, from: Data(text.utf8))
        } catch {
            throw PhoneIndexSyncError.corruptState(reason: "\(error)")
        }
    }

    /// The `settings` entry holding this state.
    var setting: [String: String?] {
        [Self.key: String(decoding: (try? JSONEncoder.phoneIndex.encode(self)) ?? Data(), as: UTF8.self)]
    }
}

/// What a completed (or failed) sync run did; `ringside sync --status` prints the last one.
public struct PhoneIndexSyncReport: Codable, Hashable, Sendable {
    public var mode: PhoneIndexSyncMode
    /// The run continued one that had been interrupted.
    public var resumed: Bool
    /// Why a full sync ran instead of an incremental one, if it did.
    public var fullReason: String?
    public var startedAt: Date
    public var finishedAt: Date
    public var seconds: Double
    /// Records received from Salesforce.
    public var fetched: Int
    /// Records written to the index.
    public var upserted: Int
    /// Records removed (deleted, converted, without phones, or not seen by a full sync).
    public var removed: Int
    /// Phone values that are not valid numbers (kept, but not matchable).
    public var unparsedNumbers: Int
    public var pages: Int
    /// REST requests this run sent (across an interruption, for resumed runs).
    public var requests: Int
    /// Index size after the run.
    public var records: Int
    public var numbers: Int
    public var byType: [String: Int]
    /// Set when the run failed; the index keeps everything up to the last completed page.
    public var error: String?

    /// Saves the report as the last run.
    func save(to store: PhoneIndexStore) throws {
        let text = String(decoding: try JSONEncoder.phoneIndex.encode(self), as: UTF8.self)
        try store.setSettings([PhoneIndexSyncState.reportKey: text])
    }

    /// The last run's report, if any.
    public static func last(from store: PhoneIndexStore) throws -> PhoneIndexSyncReport? {
        guard let text = try store.settings(prefix: PhoneIndexSyncState.reportKey)[PhoneIndexSyncState.reportKey] else { return nil }
        return try? JSONDecoder.phoneIndex.decode(PhoneIndexSyncReport.self, from: Data(text.utf8))
    }
}

extension JSONEncoder {
    static var phoneIndex: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var phoneIndex: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
