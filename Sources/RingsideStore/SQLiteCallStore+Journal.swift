import Foundation
import GRDB
import RingsideCore

/// The call journal: each open call's state machine, written at its first event and on every change, so that
/// no quit, signal, crash or `kill -9` loses a call that rang or was dialled.
extension SQLiteCallStore {
    /// Writes the changed calls and removes the ones that left the session without a record (a refused dial),
    /// in one transaction.
    public func journal(_ changed: [CallMachine], removing removed: [CallObjectID] = [], at now: Date) throws(StoreError) {
        guard !changed.isEmpty || !removed.isEmpty else { return }
        // Dates as the default (seconds as a double, exact): a call restored from the journal equals the call written.
        let encoder = JSONEncoder()
        var rows: [(CallObjectID, String)] = []
        for call in changed {
            do {
                rows.append((call.id, String(decoding: try encoder.encode(call), as: UTF8.self)))
            } catch {
                throw .failed(operation: "journalling call \(call.id)", reason: "\(error)")
            }
        }
        try database.write("journalling \(changed.count + removed.count) call(s)") { db in
            for (id, json) in rows {
                try db.execute(sql: """
                    INSERT INTO journal (callObject, machine, updatedAt) VALUES (?, ?, ?)
                    ON CONFLICT(callObject) DO UPDATE SET machine = excluded.machine, updatedAt = excluded.updatedAt
                    """, arguments: [id, json, now])
            }
            for id in removed {
                try db.execute(sql: "DELETE FROM journal WHERE callObject = ?", arguments: [id])
            }
        }
    }

    /// Calls open when Ringside last stopped, oldest first. Rows that can't be read are reported, not dropped.
    public func openJournal() throws(StoreError) -> (entries: [AgentSession.JournalEntry], unreadable: [CallObjectID]) {
        let rows = try database.read("reading the call journal") { db in
            try Row.fetchAll(db, sql: "SELECT callObject, machine, updatedAt FROM journal ORDER BY updatedAt, callObject")
        }
        let decoder = JSONDecoder()
        var entries: [AgentSession.JournalEntry] = []
        var unreadable: [CallObjectID] = []
        for row in rows {
            let id: String = row["callObject"]
            let json: String = row["machine"]
            let updatedAt: Date = row["updatedAt"]
            if let call = try? decoder.decode(CallMachine.self, from: Data(json.utf8)), call.id == id {
                entries.append(AgentSession.JournalEntry(call: call, updatedAt: updatedAt))
            } else {
                unreadable.append(id)
            }
        }
        return (entries, unreadable)
    }
}
