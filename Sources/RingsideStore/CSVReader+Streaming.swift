import Foundation

extension CSVReader {
    /// Streams the rows of a CSV file to `body` without holding the file: reads 64 KiB at a time, the same
    /// grammar as `rows(_:)` (quoted fields, doubled quotes, CRLF or LF line ends). Fields must be UTF-8.
    public static func forEachRow(path: String, _ body: (Row) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.badImport(file: path, line: 0, reason: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        var parser = StreamParser()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 16) ?? Data() } catch {
                throw StoreError.badImport(file: path, line: parser.line, reason: "cannot read the file: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            try parser.feed(chunk, path: path, body)
        }
        try parser.finish(path: path, body)
    }

    /// The byte-level CSV state machine (a row is handed on as soon as its line ends).
    struct StreamParser {
        var field: [UInt8] = []
        var fields: [String] = []
        var inQuotes = false
        var quoteSeen = false  // a quote inside quotes: closes the field unless another quote follows
        var pendingCR = false
        var line = 1
        var rowStart = 1

        mutating func endField(path: String) throws {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw StoreError.badImport(file: path, line: rowStart, reason: "the file is not UTF-8 text")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
        }

        mutating func endRow(path: String, _ body: (Row) throws -> Void) throws {
            try endField(path: path)
            if !(fields.count == 1 && fields[0].isEmpty) { try body(Row(line: rowStart, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        mutating func feed(_ chunk: Data, path: String, _ body: (Row) throws -> Void) throws {
            for byte in chunk {
                if quoteSeen {
                    quoteSeen = false
                    if byte == UInt8(ascii: "\"") { field.append(byte); continue }
                    inQuotes = false
                }
                if inQuotes {
                    if byte == UInt8(ascii: "\"") { quoteSeen = true; continue }
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                    continue
                }
                if pendingCR {
                    pendingCR = false
                    if byte == UInt8(ascii: "\n") { continue }
                }
                switch byte {
                case UInt8(ascii: "\""): inQuotes = true
                case UInt8(ascii: ","): try endField(path: path)
                case UInt8(ascii: "\r"):
                    try endRow(path: path, body)
                    line += 1
                    rowStart = line
                    pendingCR = true
                case UInt8(ascii: "\n"):
                    try endRow(path: path, body)
                    line += 1
                    rowStart = line
                default: field.append(byte)
                }
            }
        }

        mutating func finish(path: String, _ body: (Row) throws -> Void) throws {
            if quoteSeen { quoteSeen = false; inQuotes = false }
            if inQuotes { throw StoreError.badImport(file: path, line: rowStart, reason: Failure.unterminatedQuote(line: rowStart).description) }
            if !field.isEmpty || !fields.isEmpty { try endRow(path: path, body) }
        }
    }
}
