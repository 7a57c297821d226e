import Foundation

/// Storage failures, each saying what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case full(path: String)
    case readOnly(path: String)
    case corrupt(path: String, reason: String)
    /// A zero-byte database file: never silently started over (it may be a truncated database full of calls).
    case empty(path: String)
    case failed(operation: String, reason: String)
    case badImport(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database \(path): \(reason). Check the folder exists and is writable, or set RINGSIDE_DATA_DIR."
        case .full(let path):
            "the database \(path) is full (disk or size limit). Free disk space; nothing already saved was lost."
        case .readOnly(let path):
            "the database \(path) is read-only. Fix its permissions (chmod u+w) or move it; nothing already saved was lost."
        case .corrupt(let path, let reason):
            "the database \(path) is damaged: \(reason). Ringside will not write to it. Keep a copy, then recover what it holds: `sqlite3 \(path) .recover | sqlite3 \(path).recovered`, move the damaged file away and the recovered one in its place."
        case .empty(let path):
            "the database \(path) is an empty file (0 bytes), so Ringside will not start a new database over it. "
                + "If it held calls, restore it from a backup; to start afresh, move it away (mv \(path) \(path).empty) and run again."
        case .failed(let operation, let reason):
            "\(operation) failed: \(reason)"
        case .badImport(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        }
    }
}
