import CSQLiteShim
import Foundation
import GRDB
import RingsideCore

/// The SQLite database (WAL mode) holding calls, outbox, audit log, directory and settings.
public final class RingsideDatabase: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String, maxPageCount: Int? = nil, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        _ = Self.processSettings
        try Self.prepareFile(path, readOnly: readOnly)
        do {
            var config = Configuration()
            config.busyMode = .timeout(5)
            config.readonly = readOnly
            config.prepareDatabase { db in
                if let maxPageCount { try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)") }
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            if !readOnly {
                try queue.writeWithoutTransaction { db in
                    _ = try? db.execute(sql: "PRAGMA journal_mode = WAL")
                }
                // The full check reads every page: at start only for files up to `openCheckLimit` (a directory of a
                // million numbers would delay the first paint by seconds); `ringside doctor` checks any size, and
                // SQLite refuses a damaged page whenever it is read (a refused save is kept and retried).
                if Self.fileSize(path) <= Self.openCheckLimit { try Self.quickCheck(queue, path: path) }
                try Self.migrator.migrate(queue)
            }
        } catch let error as DatabaseError {
            throw Self.map(error, path: path, operation: "opening the database")
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Process-wide SQLite settings, made before the first connection opens: memory statistics off (a global mutex
    /// around every allocation SQLite makes, 5–10% of a sync's CPU; nothing here reads them). SQLITE_MISUSE means SQLite
    /// was already initialised by other code: the statistics then stay on, which costs only speed.
    static let processSettings: Int32 = ringside_sqlite_disable_memory_statistics()

    /// Database files up to this size get `PRAGMA quick_check` at every open.
    public static let openCheckLimit = 64 << 20

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// Runs a write transaction, mapping SQLite failures to `StoreError`.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.write(body)
        } catch let error as DatabaseError {
            throw Self.map(error, path: path, operation: operation)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .failed(operation: operation, reason: "\(error)")
        }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw Self.map(error, path: path, operation: operation)
        } catch {
            throw .failed(operation: operation, reason: "\(error)")
        }
    }

    /// Runs raw SQL (maintenance and tests).
    public func execute(_ sql: String) throws(StoreError) {
        try write("running SQL") { db in try db.execute(sql: sql) }
    }

    /// Current size of the database in pages.
    public func pageCount() throws(StoreError) -> Int {
        try read("reading the page count") { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
    }

    static func map(_ error: DatabaseError, path: String, operation: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_FULL: return .full(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt(path: path, reason: error.message ?? "\(error)")
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path, reason: error.message ?? "\(error)")
        default: return .failed(operation: operation, reason: error.message ?? "\(error)")
        }
    }
}

extension RingsideDatabase {
    /// Removes the demo directory's rows (issue 15): a Salesforce-mode database never holds demo people.
    /// Returns how many records were removed.
    @discardableResult
    public func removeDemoRecords() throws(StoreError) -> Int {
        try write("remove demo records") { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM directory WHERE source = 'demo'") ?? 0
            if count > 0 { try Self.deleteDemoRows(db) }
            return count
        }
    }
}
