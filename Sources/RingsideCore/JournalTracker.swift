/// Which calls the journal must write or drop after an event: the pure half of the runtime's journalling. A call is written whenever it differs from what was last written; a call that
/// left the session is dropped unless its record carries it out (a completed record deletes its journal row in the
/// same transaction) or the store refused that record (the row stays until the record is saved).
public struct JournalTracker: Sendable {
    public private(set) var written: [CallObjectID: CallMachine] = [:]

    public init() {}

    /// Calls known to be in the journal already (restored at start-up).
    public mutating func adopt(_ calls: [CallMachine]) {
        for call in calls { written[call.id] = call }
    }

    /// What to write and drop so the journal equals `current`.
    public func changes(current: [CallMachine], completed: Set<CallObjectID>, refused: Set<CallObjectID>)
        -> (changed: [CallMachine], removed: [CallObjectID]) {
        let ids = Set(current.map(\.id))
        let changed = current.filter { written[$0.id] != $0 }.sorted { $0.id < $1.id }
        let removed = written.keys.filter { !ids.contains($0) && !completed.contains($0) && !refused.contains($0) }.sorted()
        return (changed, removed)
    }

    /// True when `current` differs from what was written (something to do).
    public func isStale(current: [CallMachine]) -> Bool {
        current.count != written.count || current.contains { written[$0.id] != $0 }
    }

    /// The write succeeded: the journal holds `current` (rows of refused records stay on disk but are not tracked:
    /// they leave with their record).
    public mutating func committed(current: [CallMachine]) {
        written = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0) })
    }
}
