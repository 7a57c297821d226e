import GRDB
import GRDBSQLite
import RingsideCore

extension PhoneIndexStore {
    /// Writes synced records (issue 16: a 100k-record sync spent most of its CPU here): three statements prepared once
    /// per batch, their parameters bound through SQLite's C API instead of a `StatementArguments` of existentials per
    /// row, then run by GRDB (`execute()`), which keeps its own checks and error reporting.
    struct RowWriter {
        let upsertRecord: Statement
        let deletePhones: Statement
        let insertPhone: Statement
        let connection: SQLiteConnection?

        init(_ db: Database) throws {
            connection = db.sqliteConnection
            upsertRecord = try db.makeStatement(sql: """
                INSERT INTO directory (id, type, name, accountId, accountName, owner, lastModified, isPersonAccount, url, source, favourite, syncGeneration)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
                ON CONFLICT(id) DO UPDATE SET type = excluded.type, name = excluded.name, accountId = excluded.accountId,
                    accountName = excluded.accountName, owner = excluded.owner, lastModified = excluded.lastModified,
                    isPersonAccount = excluded.isPersonAccount, url = excluded.url, source = excluded.source,
                    syncGeneration = excluded.syncGeneration
                """)
            deletePhones = try db.makeStatement(sql: "DELETE FROM directoryPhone WHERE recordId = ?")
            insertPhone = try db.makeStatement(sql: "INSERT OR REPLACE INTO directoryPhone (recordId, field, raw, e164) VALUES (?, ?, ?, ?)")
            // Marks the (empty) GRDB arguments as bound: `execute()` then runs what is bound below.
            for statement in [upsertRecord, deletePhones, insertPhone] { statement.setUncheckedArguments(StatementArguments()) }
        }

        /// Inserts or replaces `record` and its phones (favourite flag kept), stamped with `generation`.
        func write(_ record: CRMRecord, generation: Int) throws {
            let s = upsertRecord.sqliteStatement
            try Self.check(sqlite3_reset(s), s)  // binding needs a reset statement (GRDB resets only before its next run)
            try Self.bind(s, 1, record.id)
            try Self.bind(s, 2, record.type.rawValue)
            try Self.bind(s, 3, record.name)
            try Self.bind(s, 4, record.accountId)
            try Self.bind(s, 5, record.accountName)
            try Self.bind(s, 6, record.owner)
            try Self.bind(s, 7, StoredDateText.string(record.lastModified))
            try Self.check(sqlite3_bind_int64(s, 8, record.isPersonAccount ? 1 : 0), s)
            try Self.bind(s, 9, record.url)
            try Self.bind(s, 10, PhoneIndexStore.source)
            try Self.check(sqlite3_bind_int64(s, 11, Int64(generation)), s)
            let rowBefore = sqlite3_last_insert_rowid(connection)
            try upsertRecord.execute()
            // Only an insert sets the last rowid, and a new row has no phones (foreign keys are on, so none are left over
            // from a deleted one): no delete then. A new rowid that happens to equal the previous insert's only costs it.
            if sqlite3_last_insert_rowid(connection) == rowBefore {
                try Self.check(sqlite3_reset(deletePhones.sqliteStatement), deletePhones.sqliteStatement)
                try Self.bind(deletePhones.sqliteStatement, 1, record.id)
                try deletePhones.execute()
            }
            let p = insertPhone.sqliteStatement
            for phone in record.phones {
                try Self.check(sqlite3_reset(p), p)
                try Self.bind(p, 1, record.id)
                try Self.bind(p, 2, phone.field)
                try Self.bind(p, 3, phone.raw)
                try Self.bind(p, 4, phone.e164)
                try insertPhone.execute()
            }
        }

        /// SQLite copies the text (`SQLITE_TRANSIENT`), as GRDB's own String binding does.
        static func bind(_ statement: SQLiteStatement, _ index: Int32, _ text: String?) throws {
            guard var text else { return try check(sqlite3_bind_null(statement, index), statement) }
            // The UTF-8 bytes with their length (no strlen).
            try check(text.withUTF8 { bytes in
                // An empty string has no base address; a NULL pointer would bind SQL NULL.
                guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, transient) }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(statement, index, $0, Int32(bytes.count), transient)
                }
            }, statement)
        }

        static func check(_ code: Int32, _ statement: SQLiteStatement) throws {
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))
            }
        }

        static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
