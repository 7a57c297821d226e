/// A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF line ends.
/// Reports the 1-based line where each row starts so import errors can name it.
public enum CSVReader {
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String]
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unterminatedQuote(line: Int)
        public var description: String {
            switch self {
            case .unterminatedQuote(let line): "line \(line): a quoted field is never closed"
            }
        }
    }

    public static func rows(_ text: String) throws(Failure) -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func endRow() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
        }
        while let c = pending {
            pending = iterator.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = iterator.next() } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r": if pending == "\n" { continue }; endRow(); line += 1; rowStart = line
            case "\n": endRow(); line += 1; rowStart = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw .unterminatedQuote(line: rowStart) }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
