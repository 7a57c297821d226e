/// A region whose numbering plan Ringside knows: its country calling code,
/// national trunk prefix, valid national significant number (NSN) lengths and
/// international call prefixes.
///
/// US and CA share +1 (the North American Numbering Plan, NANP); a +1 number's
/// region is decided by its area code. The rules are deliberately simplified
/// to what matters for matching callers: they are not a full libphonenumber.
public enum PhoneRegion: String, CaseIterable, Hashable, Sendable, Codable {
    case GB, US, CA, JP, DE, FR, AU, IN, IE, NL, ES, IT, CH, SE, NZ, SG, HK, CN, BR, MX

    /// Country calling code (44 for GB).
    public var countryCode: Int {
        switch self {
        case .GB: 44
        case .US, .CA: 1
        case .JP: 81
        case .DE: 49
        case .FR: 33
        case .AU: 61
        case .IN: 91
        case .IE: 353
        case .NL: 31
        case .ES: 34
        case .IT: 39
        case .CH: 41
        case .SE: 46
        case .NZ: 64
        case .SG: 65
        case .HK: 852
        case .CN: 86
        case .BR: 55
        case .MX: 52
        }
    }

    /// English name, for messages and pickers.
    public var name: String {
        switch self {
        case .GB: "United Kingdom"
        case .US: "United States"
        case .CA: "Canada"
        case .JP: "Japan"
        case .DE: "Germany"
        case .FR: "France"
        case .AU: "Australia"
        case .IN: "India"
        case .IE: "Ireland"
        case .NL: "Netherlands"
        case .ES: "Spain"
        case .IT: "Italy"
        case .CH: "Switzerland"
        case .SE: "Sweden"
        case .NZ: "New Zealand"
        case .SG: "Singapore"
        case .HK: "Hong Kong"
        case .CN: "China"
        case .BR: "Brazil"
        case .MX: "Mexico"
        }
    }

    /// The national trunk prefix dialled before the NSN inside the country
    /// (`0` in GB, `1` in the NANP where it is optional); nil where the plan has
    /// none (Italian numbers keep their leading 0 as part of the NSN).
    public var trunkPrefix: String? {
        switch self {
        case .US, .CA: "1"
        case .GB, .JP, .DE, .FR, .AU, .IN, .IE, .NL, .CH, .SE, .NZ, .CN, .BR: "0"
        case .ES, .IT, .SG, .HK, .MX: nil
        }
    }

    /// Valid lengths of the national significant number (digits after the
    /// country code, without trunk prefix). Simplified: covers ordinary
    /// landline, mobile and freephone numbers.
    public var nationalNumberLengths: ClosedRange<Int> {
        switch self {
        case .GB: 9...10
        case .US, .CA: 10...10
        case .JP: 9...10
        case .DE: 6...13
        case .FR: 9...9
        case .AU: 9...10
        case .IN: 10...10
        case .IE: 7...10
        case .NL: 9...10
        case .ES: 9...9
        case .IT: 6...11
        case .CH: 9...9
        case .SE: 7...10
        case .NZ: 8...10
        case .SG: 8...11
        case .HK: 8...9
        case .CN: 9...11
        case .BR: 10...11
        case .MX: 10...10
        }
    }

    /// Prefixes read as "international call follows", longest first: the
    /// region's own prefix (`011` in the NANP, `010` in JP, `0011` in AU, `00`
    /// elsewhere) plus `00`, which people write everywhere (`0044…`) and which
    /// cannot start a national number in these plans. `011` is only
    /// international from the NANP: in GB `0113…` is Leeds.
    public var internationalPrefixes: [String] {
        switch self {
        case .US, .CA: ["011", "00"]
        case .JP: ["010", "00"]
        case .AU: ["0011", "00"]
        case .SG: ["001", "00"]
        case .GB, .DE, .FR, .IN, .IE, .NL, .ES, .IT, .CH, .SE, .NZ, .HK, .CN, .BR, .MX: ["00"]
        }
    }

    /// Whether the region belongs to the North American Numbering Plan (+1).
    public var isNANP: Bool { countryCode == 1 }

    /// The region for an ISO 3166 code such as `gb` or `GB` (`UK` is accepted for GB).
    public init?(code: String) {
        var upper = ""
        for scalar in code.unicodeScalars {
            guard scalar.isASCII else { return nil }
            let value = scalar.value
            upper.unicodeScalars.append((97...122).contains(value) ? Unicode.Scalar(value - 32)! : scalar)
        }
        if upper == "UK" { upper = "GB" }
        guard let region = PhoneRegion(rawValue: upper) else { return nil }
        self = region
    }

    /// The main region for a country calling code (`1` → US; use
    /// ``region(forNANPAreaCode:)`` to tell US and CA apart), or nil when
    /// Ringside does not know that plan.
    public static func region(forCountryCode code: Int) -> PhoneRegion? {
        switch code {
        case 44: .GB
        case 1: .US
        case 81: .JP
        case 49: .DE
        case 33: .FR
        case 61: .AU
        case 91: .IN
        case 353: .IE
        case 31: .NL
        case 34: .ES
        case 39: .IT
        case 41: .CH
        case 46: .SE
        case 64: .NZ
        case 65: .SG
        case 852: .HK
        case 86: .CN
        case 55: .BR
        case 52: .MX
        default: nil
        }
    }

    /// US or CA for a NANP area code; nil for the Caribbean and other non-US,
    /// non-Canadian members of +1 (e.g. 876 Jamaica).
    public static func region(forNANPAreaCode area: Int) -> PhoneRegion? {
        switch area {
        case 204, 226, 236, 249, 250, 257, 263, 273, 289, 306, 343, 354, 365, 367, 368, 382,
             403, 416, 418, 428, 431, 437, 438, 450, 468, 474, 506, 514, 519, 548, 579, 581,
             584, 587, 600, 604, 613, 622, 633, 639, 647, 672, 683, 705, 709, 742, 753, 778,
             780, 782, 807, 819, 825, 867, 873, 879, 902, 905, 942:
            .CA
        case 242, 246, 264, 268, 284, 340, 345, 441, 473, 649, 658, 664, 670, 671, 684, 721,
             758, 767, 784, 787, 809, 829, 849, 868, 869, 876, 939:
            nil
        default:
            .US
        }
    }

    /// Whether `code` is an assigned ITU-T E.164 country calling code.
    /// Country codes are prefix-free, so reading 1, 2 then 3 digits finds at most one.
    public static func isAssignedCountryCode(_ code: Int) -> Bool {
        switch code {
        case 1, 7,
             20, 27, 30...34, 36, 39, 40, 41, 43...49, 51...58, 60...66, 81, 82, 84, 86,
             90...95, 98,
             211, 212, 213, 216, 218, 220...258, 260...269, 290, 291, 297...299,
             350...359, 370...378, 380...383, 385...387, 389, 420, 421, 423,
             500...509, 590...599, 670, 672...683, 685...692,
             800, 808, 850, 852, 853, 855, 856, 870, 878, 880...883, 886, 888,
             960...968, 970...977, 979, 992...996, 998:
            true
        default:
            false
        }
    }
}
