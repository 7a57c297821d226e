/// A telephone number normalised for matching: E.164 for external numbers,
/// bare digits for internal extensions (digit count ≤ `internalNumberDigits`).
///
/// Parsing is a pure function of the raw text, a default region (for national
/// forms such as `07814 256404`) and the internal-digit threshold.
public struct PhoneNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Whether the number is an internal extension or an external (E.164) number.
    public enum Kind: String, Hashable, Sendable, Codable {
        case external
        case `internal`
    }

    public let kind: Kind
    /// `+447814256404` for external numbers; the digits for internal ones.
    public let e164: String
    /// Country calling code (44); nil for internal numbers.
    public let countryCode: Int?
    /// National significant number without trunk prefix (`7814256404`); digits for internal numbers.
    public let nationalNumber: String
    /// The region the country code belongs to, where known.
    public let region: PhoneRegion?
    /// Extension digits written after the number (`x123`, `ext. 123`), kept aside.
    public let extensionDigits: String?

    public init(kind: Kind, e164: String, countryCode: Int?, nationalNumber: String, region: PhoneRegion?, extensionDigits: String?) {
        self.kind = kind
        self.e164 = e164
        self.countryCode = countryCode
        self.nationalNumber = nationalNumber
        self.region = region
        self.extensionDigits = extensionDigits
    }

    public var isInternal: Bool { kind == .internal }
    public var description: String { e164 }

    /// The key used for matching and indexing: E.164 or the internal digits.
    public var matchKey: String { e164 }
}
