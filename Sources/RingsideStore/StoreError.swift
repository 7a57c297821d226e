import Foundation

/// Storage failures, each saying what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case full(path: String)
    case readOnly(path: String)
    case corrupt(path: String, reason: String)
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
            "the database \(path) is damaged: \(reason). Keep a copy and run `sqlite3 \(path) .recover`."
        case .failed(let operation, let reason):
            "\(operation) failed: \(reason)"
        case .badImport(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        }
    }
}
