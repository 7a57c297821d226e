import Foundation
import GRDB
import RingsideCore

extension CallRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "calls"
}

extension AuditEntry: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit"
}

extension OutboxItem: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "outbox"
}
