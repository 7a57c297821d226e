import GRDB

extension RingsideDatabase {
    /// Runs `body` — many directory writes inside the caller's write transaction — with the directory revision bumped
    /// once for all of them instead of once per row by the triggers (issue 16: a sync page, thousands of rows).
    ///
    /// While `body` runs, `directoryRevision.bulk` is 1 and the per-row triggers skip; it is back to 0 before the
    /// transaction can commit (on success and on error), so any other write still bumps the revision per row. The
    /// revision is bumped only when `body` changed rows, so an empty batch does not make a saved index snapshot stale.
    /// Every write path to `directory`/`directoryPhone` is therefore covered: triggers, or this bump.
    static func writingDirectoryInBulk<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        precondition(db.isInsideTransaction, "a bulk directory write must run inside a write transaction")
        try db.execute(sql: "UPDATE directoryRevision SET bulk = 1 WHERE id = 1")
        let changesBefore = db.totalChangesCount
        let result: T
        do {
            result = try body()
        } catch {
            // Rows written before the failure stay if the caller goes on to commit: count them as a change (a rollback
            // undoes this bump with them).
            try? db.execute(sql: "UPDATE directoryRevision SET bulk = 0, revision = revision + 1 WHERE id = 1")
            throw error
        }
        let changed = db.totalChangesCount != changesBefore
        try db.execute(sql: changed ? "UPDATE directoryRevision SET bulk = 0, revision = revision + 1 WHERE id = 1"
                                    : "UPDATE directoryRevision SET bulk = 0 WHERE id = 1")
        return result
    }
}
