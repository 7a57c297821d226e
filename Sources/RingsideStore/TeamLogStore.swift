import Foundation
import GRDB
import RingsideCore

/// What a supervisor's wallboard observed — queue events and agent presence, with when — kept in the `teamLog`
/// table for `ringside report` (issue 17). Payloads are stored as the bus's JSON and read back through the same
/// bounded decoders, so a row that no longer decodes is skipped, never a crash.
public final class TeamLogStore: Sendable {
    public let database: RingsideDatabase

    public init(database: RingsideDatabase) {
        self.database = database
    }

    /// One observation.
    public enum Entry: Hashable, Sendable {
        case queue(QueueEvent, observedAt: Date)
        case presence(AgentPresence, observedAt: Date)
    }

    /// Appends observations in one transaction.
    public func append(_ entries: [Entry]) throws(StoreError) {
        guard !entries.isEmpty else { return }
        try database.write("recording \(entries.count) wallboard observations") { db in
            for entry in entries {
                switch entry {
                case .queue(let event, let at):
                    try db.execute(sql: "INSERT INTO teamLog (observedAt, kind, agentId, payload) VALUES (?, 'queue', NULL, ?)",
                                   arguments: [at, String(decoding: event.jsonData(), as: UTF8.self)])
                case .presence(let presence, let at):
                    try db.execute(sql: "INSERT INTO teamLog (observedAt, kind, agentId, payload) VALUES (?, 'presence', ?, ?)",
                                   arguments: [at, presence.agentId, String(decoding: presence.jsonData(), as: UTF8.self)])
                }
            }
        }
    }

    /// Queue events and presence observed in `since ..< until` (presence: plus each agent's last one before `since`,
    /// so a state held across the start counts), oldest first.
    public func entries(since: Date, until: Date) throws(StoreError) -> (queue: [QueueEvent], presence: [ObservedPresence]) {
        try database.read("reading the wallboard's recorded observations") { db in
            var queue: [QueueEvent] = []
            var presence: [ObservedPresence] = []
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, observedAt, kind, payload FROM teamLog WHERE observedAt >= ? AND observedAt < ?
                UNION ALL
                SELECT id, observedAt, kind, payload FROM teamLog WHERE id IN (
                    SELECT MAX(id) FROM teamLog WHERE kind = 'presence' AND observedAt < ? GROUP BY agentId)
                ORDER BY observedAt, id
                """, arguments: [since, until, since])
            for row in rows {
                let at: Date = row["observedAt"]
                let kind: String = row["kind"]
                let payload = Data((row["payload"] as String).utf8)
                if kind == "queue", let event = try? QueueEvent.decodeBounded(payload) {
                    queue.append(event)
                } else if kind == "presence", let p = try? AgentPresence.decode(payload) {
                    presence.append(ObservedPresence(at: at, presence: p))
                }
            }
            return (queue, presence)
        }
    }

    /// Observations recorded (all kinds).
    public func count() throws(StoreError) -> Int {
        try database.read("counting the wallboard's recorded observations") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM teamLog") ?? 0 }
    }
}
