import Foundation
import RingsideStore

/// What `ringside sync --status` shows: index size, the last run, and what the next run will do.
public struct PhoneIndexStatus: Codable, Hashable, Sendable {
    public var syncedRecords: Int
    public var syncedNumbers: Int
    public var byType: [String: Int]
    /// Every directory record (synced, demo, imported, created).
    public var directoryRecords: Int
    public var lastRun: PhoneIndexSyncReport?
    public var lastCompleted: Date?
    /// `continue the interrupted full sync (Contact done; Account at …)`, `incremental`, `full (first sync)`.
    public var nextRun: String
    public var generation: Int

    public static func load(from store: PhoneIndexStore) throws -> PhoneIndexStatus {
        let counts = try store.counts()
        let state = try PhoneIndexSyncState.load(from: store)
        let next: String
        if let running = state.running {
            let done = state.entitiesDone.isEmpty ? "" : "; done: " + state.entitiesDone.joined(separator: ", ")
            let at = state.cursors.filter { !state.entitiesDone.contains($0.key) }.sorted { $0.key < $1.key }
                .map { "\($0.key) at \($0.value.stamp)" }.joined(separator: ", ")
            next = "continue the interrupted \(running.rawValue) sync (\(state.counters.fetched.formatted()) records read so far\(done)"
                + (at.isEmpty ? "" : "; \(at)") + ")"
        } else if state.completedGeneration == nil {
            next = "full (first sync)"
        } else {
            next = "incremental (changes since the last run; full if deletions are older than Salesforce keeps)"
        }
        return PhoneIndexStatus(syncedRecords: counts.syncedRecords, syncedNumbers: counts.syncedNumbers, byType: counts.syncedByType,
                                directoryRecords: counts.records, lastRun: try PhoneIndexSyncReport.last(from: store),
                                lastCompleted: state.lastCompleted, nextRun: next, generation: state.generation)
    }
}
