import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The call records must never be lost or readable by others: the folder is 0700 and the file 0600 (SQLite gives
/// its -wal and -shm files the database's mode); a zero-byte or damaged file is refused, never started over.
extension RingsideDatabase {
    static func prepareFile(_ path: String, readOnly: Bool) throws(StoreError) {
        guard path != ":memory:", !path.isEmpty else { return }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !readOnly {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw .cannotOpen(path: path, reason: "cannot create the folder \(directory): \(error.localizedDescription)")
            }
            try restrict(directory, mode: 0o700, path: path)
        }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_size > 0 else { throw .empty(path: path) }
            if !readOnly { try restrict(path, mode: 0o600, path: path) }
        } else if errno == ENOENT, !readOnly {
            // Create it 0600 before SQLite does (SQLite would use 0644 under the usual umask).
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 || errno == EEXIST else {
                throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            if fd >= 0, close(fd) != 0 { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        }
    }

    /// Sets `mode` on a file or folder the user owns (a shared folder such as /tmp, owned by root or sticky, is
    /// left alone: changing it would break other programs).
    static func restrict(_ target: String, mode: mode_t, path: String) throws(StoreError) {
        var info = stat()
        guard stat(target, &info) == 0 else { throw .cannotOpen(path: path, reason: "\(target): \(String(cString: strerror(errno)))") }
        guard info.st_uid == getuid(), info.st_mode & S_ISVTX == 0, info.st_mode & 0o777 != mode else { return }
        guard chmod(target, mode) == 0 else {
            throw .cannotOpen(path: path, reason: "cannot set mode \(String(mode, radix: 8)) on \(target): \(String(cString: strerror(errno)))")
        }
    }

    /// `PRAGMA quick_check`: a damaged page anywhere in the file is found before anything is written.
    static func quickCheck(_ queue: DatabaseQueue, path: String) throws(StoreError) {
        let problems: [String]
        do {
            problems = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        } catch let error as DatabaseError {
            throw map(error, path: path, operation: "checking the database")
        } catch {
            throw .failed(operation: "checking the database", reason: "\(error)")
        }
        guard problems == ["ok"] else { throw .corrupt(path: path, reason: problems.joined(separator: "; ")) }
    }

    /// Checks the whole file (for `ringside doctor`).
    public func check() throws(StoreError) {
        try Self.quickCheck(queue, path: path)
    }
}

extension RingsideDatabase {
    /// Writes to the file inside a transaction it rolls back: fails on a read-only file, folder or connection
    /// (for `doctor`); nothing is changed.
    public func checkWritable() throws(StoreError) {
        do {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                do {
                    try db.execute(sql: "CREATE TABLE ringside_write_probe (x)")
                } catch {
                    try? db.execute(sql: "ROLLBACK")
                    throw error
                }
                try db.execute(sql: "ROLLBACK")
            }
        } catch let error as DatabaseError {
            throw Self.map(error, path: path, operation: "taking the write lock")
        } catch {
            throw .failed(operation: "taking the write lock", reason: "\(error)")
        }
    }
}
