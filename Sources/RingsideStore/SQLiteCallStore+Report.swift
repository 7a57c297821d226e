import Foundation
import GRDB
import RingsideCore

extension SQLiteCallStore {
    /// Finished and wrap-up records whose call started in `since ..< until`, oldest first (for `ringside report`).
    public func calls(startedFrom since: Date, until: Date) throws(StoreError) -> [CallRecord] {
        try database.read("reading calls for the report") { db in
            try CallRecord.filter(Column("startedAt") >= since && Column("startedAt") < until).order(Column("startedAt")).fetchAll(db)
        }
    }
}
