/// Why text is not a Salesforce record ID or record URL. Messages say what is
/// wrong and what to do.
public enum SalesforceIDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not 15 or 18 characters long.
    case wrongLength(input: String, length: Int)
    /// A character outside `A–Z`, `a–z`, `0–9`, at a 1-based position.
    case invalidCharacter(input: String, character: String, position: Int)
    /// An 18-character ID whose last three characters do not match the first 15.
    case checksumMismatch(input: String, expectedSuffix: String)
    /// The text is not a Salesforce record URL, or has no record ID in it.
    case notARecordURL(input: String, reason: String)
    /// A Lightning URL names one object but the ID's key prefix belongs to another.
    case objectMismatch(input: String, urlObject: String, idObject: String)

    public var description: String {
        switch self {
        case .wrongLength(let input, let length):
            return "\(PhoneNumberError.quote(input)) is \(length) characters long; a Salesforce ID has 15 or 18 "
                + "letters and digits (copy it again from the record's URL or the ID field)"
        case .invalidCharacter(let input, let character, let position):
            return "\(PhoneNumberError.quote(input)) contains \(PhoneNumberError.quote(character)) at position \(position); "
                + "Salesforce IDs use only letters A–Z, a–z and digits 0–9"
        case .checksumMismatch(let input, let expectedSuffix):
            return "\(PhoneNumberError.quote(input)) fails its checksum (the first 15 characters need the suffix \(expectedSuffix)); "
                + "the ID was probably mistyped or had its letter case changed: copy it again from Salesforce"
        case .notARecordURL(let input, let reason):
            return "\(PhoneNumberError.quote(input)) is not a Salesforce record URL (\(reason)); "
                + "paste a link such as https://example.my.salesforce.com/lightning/r/Contact/003…/view"
        case .objectMismatch(let input, let urlObject, let idObject):
            return "\(PhoneNumberError.quote(input)) names a \(urlObject) but its ID belongs to a \(idObject); "
                + "copy the link again from the record page"
        }
    }
}

/// A Salesforce record ID in its case-insensitive 18-character form.
///
/// Accepts the 15-character case-sensitive form (adding the checksum suffix)
/// and the 18-character form (verifying the suffix; an ID whose letter case
/// was lost, e.g. lower-cased by a spreadsheet, is restored from the suffix).
public struct SalesforceID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// Object kinds Ringside recognises by key prefix (the first three characters).
    public enum PrefixKind: String, CaseIterable, Hashable, Sendable, Codable {
        case account = "001"
        case contact = "003"
        case lead = "00Q"
        case caseRecord = "500"
        case opportunity = "006"
        case user = "005"
        case task = "00T"

        /// The object's API name (`Account`, `Case`, `Task`…).
        public var objectName: String {
            switch self {
            case .account: "Account"
            case .contact: "Contact"
            case .lead: "Lead"
            case .caseRecord: "Case"
            case .opportunity: "Opportunity"
            case .user: "User"
            case .task: "Task"
            }
        }

        /// The matching ``EntityType``; nil for users and tasks.
        public var entityType: EntityType? {
            switch self {
            case .account: .account
            case .contact: .contact
            case .lead: .lead
            case .caseRecord: .caseRecord
            case .opportunity: .opportunity
            case .user, .task: nil
            }
        }

        /// The prefix kind of an entity type.
        public init(_ entityType: EntityType) {
            switch entityType {
            case .account: self = .account
            case .contact: self = .contact
            case .lead: self = .lead
            case .caseRecord: self = .caseRecord
            case .opportunity: self = .opportunity
            }
        }
    }

    /// The 18-character form, e.g. `001D000000IqhSLIAZ`.
    public let rawValue: String

    /// Validates and normalises a 15- or 18-character ID (surrounding blanks are ignored).
    public init(_ string: String) throws(SalesforceIDError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(18)
        let trimmed = Self.trimmingBlanks(string)
        for (offset, scalar) in trimmed.unicodeScalars.enumerated() {
            guard offset < 18 else { throw .wrongLength(input: string, length: trimmed.unicodeScalars.count) }
            guard scalar.isASCII, Self.isAlphanumeric(UInt8(scalar.value)) else {
                throw .invalidCharacter(input: string, character: String(scalar), position: offset + 1)
            }
            bytes.append(UInt8(scalar.value))
        }
        guard bytes.count == 15 || bytes.count == 18 else { throw .wrongLength(input: string, length: bytes.count) }

        let expected = Self.suffix(of: bytes[0..<15])
        if bytes.count == 18 {
            let given = bytes[15..<18].map(Self.uppercased)
            if given != expected {
                // Case lost? Restore it from the suffix when that is consistent.
                guard Self.isSingleCase(bytes[0..<15]), let restored = Self.restoringCase(bytes[0..<15], suffix: given) else {
                    throw .checksumMismatch(input: string, expectedSuffix: String(decoding: expected, as: UTF8.self))
                }
                bytes.replaceSubrange(0..<15, with: restored)
            }
            bytes.replaceSubrange(15..<18, with: given)
        } else {
            bytes.append(contentsOf: expected)
        }
        rawValue = String(decoding: bytes, as: UTF8.self)
    }

    /// The 18-character form.
    public var description: String { rawValue }

    /// The case-sensitive 15-character form.
    public var fifteenCharacterForm: String { String(rawValue.prefix(15)) }

    /// The key prefix naming the object type (`001`, `003`, `00Q`…).
    public var keyPrefix: String { String(rawValue.prefix(3)) }

    /// The kind named by the key prefix, including users and tasks; nil for other objects.
    public var prefixKind: PrefixKind? { PrefixKind(rawValue: keyPrefix) }

    /// The entity type named by the key prefix: Account, Contact, Lead, Case or
    /// Opportunity; nil for anything else.
    public var entityType: EntityType? { prefixKind?.entityType }

    public static func < (lhs: SalesforceID, rhs: SalesforceID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // MARK: - Checksum

    private static let suffixAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)

    /// The three suffix characters: for each 5-character chunk, bit i is set
    /// when character i is an uppercase A–Z; the value indexes `A…Z0…5`.
    static func suffix(of first15: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(3)
        let base = first15.startIndex
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 where isUpper(first15[base + chunk * 5 + i]) { bits |= 1 << i }
            out.append(suffixAlphabet[bits])
        }
        return out
    }

    /// The first 15 characters with letter case taken from `suffix`; nil when
    /// the suffix is not from the alphabet or marks a digit as uppercase.
    private static func restoringCase(_ first15: ArraySlice<UInt8>, suffix: [UInt8]) -> [UInt8]? {
        var out = Array(first15)
        for chunk in 0..<3 {
            guard let bits = suffixAlphabet.firstIndex(of: suffix[chunk]) else { return nil }
            for i in 0..<5 {
                let at = chunk * 5 + i
                let c = out[at]
                let upper = bits & (1 << i) != 0
                if isDigit(c) {
                    if upper { return nil }
                } else {
                    out[at] = upper ? uppercased(c) : lowercased(c)
                }
            }
        }
        return out
    }

    private static func isSingleCase(_ bytes: ArraySlice<UInt8>) -> Bool {
        !(bytes.contains(where: isUpper) && bytes.contains(where: isLower))
    }

    private static func isUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
    private static func isLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private static func isAlphanumeric(_ c: UInt8) -> Bool { isUpper(c) || isLower(c) || isDigit(c) }
    private static func uppercased(_ c: UInt8) -> UInt8 { isLower(c) ? c - 32 : c }
    private static func lowercased(_ c: UInt8) -> UInt8 { isUpper(c) ? c + 32 : c }

    private static func trimmingBlanks(_ s: String) -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let start = s.firstIndex(where: { !blank($0) }) ?? s.endIndex
        let end = s.lastIndex(where: { !blank($0) }).map(s.index(after:)) ?? start
        return s[start..<end]
    }
}

extension SalesforceID {
    /// The record ID in a Salesforce record link:
    /// `https://acme.my.salesforce.com/lightning/r/Contact/003…/view`,
    /// `https://acme.lightning.force.com/lightning/r/003…/view` or the Classic
    /// `https://acme.my.salesforce.com/003…`. When a Lightning link names a
    /// standard object whose key prefix Ringside knows, the ID must match it.
    public static func fromRecordURL(_ url: String) throws(SalesforceIDError) -> SalesforceID {
        let text = trimmingBlanks(url)
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            throw .notARecordURL(input: url, reason: "it does not start with https://")
        }
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let host = rest[..<hostEnd].lowercased()
        let hostName = host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? host
        guard Self.isSalesforceHost(hostName) else {
            throw .notARecordURL(input: url, reason: "\(hostName.isEmpty ? "no host" : hostName) is not a Salesforce host")
        }
        var path = rest[hostEnd...]
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        let parts = path.split(separator: "/").map(String.init)

        let candidate: String
        var urlObject: String?
        if parts.count >= 3, parts[0] == "lightning", parts[1] == "r" {
            if parts.count >= 4 && parts[3].count >= 15 {
                urlObject = parts[2]
                candidate = parts[3]
            } else {
                candidate = parts[2]
            }
        } else if let first = parts.first {
            candidate = first
        } else {
            throw .notARecordURL(input: url, reason: "the link has no record ID")
        }
        guard candidate.count == 15 || candidate.count == 18 else {
            throw .notARecordURL(input: url, reason: "\(PhoneNumberError.quote(candidate)) is not a record ID")
        }
        let id = try SalesforceID(candidate)
        if let urlObject, let idKind = id.prefixKind,
           let named = PrefixKind.allCases.first(where: { $0.objectName == urlObject }), named != idKind {
            throw .objectMismatch(input: url, urlObject: urlObject, idObject: idKind.objectName)
        }
        return id
    }

    private static func isSalesforceHost(_ host: String) -> Bool {
        for domain in ["salesforce.com", "force.com", "salesforce-setup.com", "cloudforce.com"] {
            if host == domain || host.hasSuffix("." + domain) { return true }
        }
        return false
    }
}
