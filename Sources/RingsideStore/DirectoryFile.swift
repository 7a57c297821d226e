import Foundation
import RingsideCore

/// The demo/local directory file (`Resources/demo-directory.json`).
public struct DirectoryFile: Codable, Sendable {
    public struct Phone: Codable, Sendable {
        public var field: String
        public var raw: String
    }

    public struct Record: Codable, Sendable {
        public var type: String
        public var id: String
        public var name: String
        public var accountId: String?
        public var accountName: String?
        public var phones: [Phone]
        public var owner: String?
        public var lastModified: String
        public var isPersonAccount: Bool?
    }

    public var version: Int
    public var defaultRegion: String
    public var scenarios: [String: String]
    public var favourites: [String]?
    public var records: [Record]

    /// Reads and validates the file; errors name the file and the offending record.
    public static func load(path: String) throws(StoreError) -> DirectoryFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .badImport(file: path, line: 0, reason: "cannot read the file: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(DirectoryFile.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .badImport(file: path, line: Self.line(of: context, in: data), reason: "not valid JSON: \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .badImport(file: path, line: 0, reason: "missing \"\(key.stringValue)\" at \(Self.path(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .badImport(file: path, line: 0, reason: "wrong type at \(Self.path(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw .badImport(file: path, line: 0, reason: "\(error)")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    static func line(of context: DecodingError.Context, in data: Data) -> Int {
        // Foundation reports the character offset in the underlying error's description; fall back to 0.
        let text = "\(context.underlyingError.map { "\($0)" } ?? "")"
        guard let range = text.range(of: "character "),
              let offset = Int(text[range.upperBound...].prefix(while: \.isNumber)) else { return 0 }
        return data.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }
}
