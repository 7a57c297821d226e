import Foundation
import GRDB
import RingsideCore

extension SQLiteCallStore {
    /// Calls started in `[since, until)`, newest first, that pass `query`'s other filters; at most `limit`.
    public func history(_ query: HistoryQuery, limit: Int) throws -> [CallRecord] {
        try database.read("reading call history") { db in
            var request = CallRecord.order(Column("startedAt").desc)
            if let since = query.since { request = request.filter(Column("startedAt") >= since) }
            if let until = query.until { request = request.filter(Column("startedAt") < until) }
            var out: [CallRecord] = []
            let cursor = try request.fetchCursor(db)
            while out.count < limit, let record = try cursor.next() {
                if query.matches(record) { out.append(record) }
            }
            return out
        }
    }
}
