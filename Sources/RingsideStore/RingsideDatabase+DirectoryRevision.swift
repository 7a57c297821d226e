import CSQLiteShim
import GRDB

extension RingsideDatabase {
    /// Runs `body` — many directory writes inside the caller's write transaction — with the directory revision bumped
    /// once for all of them instead of once per row by the triggers (issue 16: a sync page, thousands of rows).
    ///
    /// While `body` runs, this connection's triggers are off (SQLite's per-connection switch: every other connection
    /// and process still fires them); they are on again before the transaction can commit, on success and on error.
    /// The revision is bumped only when `body` changed rows, so an empty batch does not make a saved index snapshot
    /// stale. Every write path to `directory`/`directoryPhone` is therefore covered: triggers, or this bump.
    static func writingDirectoryInBulk<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        precondition(db.isInsideTransaction, "a bulk directory write must run inside a write transaction")
        try setTriggers(db, on: false)
        let changesBefore = db.totalChangesCount
        let result: T
        do {
            result = try body()
        } catch {
            // Rows written before the failure stay if the caller goes on to commit: count them as a change (a rollback
            // undoes this bump with them).
            try setTriggers(db, on: true)
            try db.execute(sql: "UPDATE directoryRevision SET revision = revision + 1 WHERE id = 1")
            throw error
        }
        try setTriggers(db, on: true)
        if db.totalChangesCount != changesBefore {
            try db.execute(sql: "UPDATE directoryRevision SET revision = revision + 1 WHERE id = 1")
        }
        return result
    }

    /// Turns this connection's triggers on or off, checking SQLite's answer and the setting it reports.
    static func setTriggers(_ db: Database, on: Bool) throws {
        var now: Int32 = -1
        let code = ringside_sqlite_set_triggers(UnsafeMutableRawPointer(db.sqliteConnection), on ? 1 : 0, &now)
        guard code == SQLITE_OK, now == (on ? 1 : 0) else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code == SQLITE_OK ? SQLITE_ERROR : code),
                                message: "could not turn triggers \(on ? "on" : "off") (SQLite \(code), now \(now))")
        }
    }

    /// Whether this connection's triggers are on (tests).
    static func triggersAreOn(_ db: Database) -> Bool {
        var now: Int32 = -1
        return ringside_sqlite_set_triggers(UnsafeMutableRawPointer(db.sqliteConnection), -1, &now) == SQLITE_OK && now == 1
    }
}
