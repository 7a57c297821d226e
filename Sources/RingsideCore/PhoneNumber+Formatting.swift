extension PhoneNumber {
    /// The number as dialled nationally without spacing (`07814256404`) when
    /// it shares `region`'s country code, otherwise E.164 (`+14155552671`).
    ///
    /// The trunk prefix is written where it is dialled (`0` in GB, JP, DE…);
    /// it is left out where the plan has none (IT, ES, SG…) or where it is
    /// optional or not used for that kind of number (NANP `4155552671`,
    /// Chinese mobiles, Australian 1300/1800). Internal numbers are returned as is.
    public func compact(relativeTo region: PhoneRegion) -> String {
        guard kind == .external, let countryCode, countryCode == region.countryCode else { return e164 }
        let plan = self.region ?? region
        return plan.layout(of: Array(nationalNumber.utf8)).nationalPrefix + nationalNumber
    }

    /// Human display with digit grouping: national format for numbers sharing
    /// `region`'s country code (`07814 256404`, `(415) 555-2671`,
    /// `03-1234-5678`), international otherwise (`+44 7814 256404`). An
    /// extension is appended as ` ext. 123`. Grouping rules are simplified
    /// per region but follow the usual national conventions for landlines
    /// and mobiles.
    public func formatted(relativeTo region: PhoneRegion) -> String {
        let suffix = extensionDigits.map { " ext. \($0)" } ?? ""
        guard kind == .external, let countryCode else { return e164 + suffix }
        let digits = Array(nationalNumber.utf8)
        guard let plan = self.region ?? PhoneRegion.region(forCountryCode: countryCode) else {
            return "+\(countryCode) \(nationalNumber)" + suffix
        }
        let layout = plan.layout(of: digits)
        let groups = Self.split(digits, into: layout.groups)
        if countryCode == region.countryCode {
            return layout.national(groups) + suffix
        }
        return "+\(countryCode) " + layout.international(groups) + suffix
    }

    /// Splits `digits` into groups of the given sizes; the last group takes
    /// any remainder, and sizes beyond the digits are ignored.
    static func split(_ digits: [UInt8], into sizes: [Int]) -> [String] {
        var groups: [String] = []
        var start = 0
        for (i, size) in sizes.enumerated() where start < digits.count {
            let end = i == sizes.count - 1 ? digits.count : min(digits.count, start + size)
            groups.append(String(decoding: digits[start..<end], as: UTF8.self))
            start = end
        }
        if start < digits.count { groups.append(String(decoding: digits[start...], as: UTF8.self)) }
        return groups
    }
}

/// How a region writes one national significant number: group sizes and
/// punctuation style, plus the trunk prefix written in front nationally.
struct NumberLayout: Hashable, Sendable {
    /// Punctuation conventions.
    enum Style: Hashable, Sendable {
        /// `0` + groups separated by spaces: `07814 256404`, `01 23 45 67 89`.
        case spaced
        /// NANP: `(415) 555-2671`, internationally `415-555-2671`.
        case nanp
        /// Japan: `03-1234-5678`, internationally `3-1234-5678`.
        case dashed
        /// Area code in brackets: `(02) 1234 5678` (AU, IE landlines).
        case bracketedArea
        /// Brazil: `(11) 91234-5678`, internationally `11 91234-5678`.
        case brazil
        /// Area code then a dash: `08-123 45 67` (SE), `09-123 4567` (NZ landlines).
        case areaDash
    }

    var groups: [Int]
    var style: Style
    var nationalPrefix: String

    func national(_ groups: [String]) -> String {
        guard let first = groups.first else { return nationalPrefix }
        let rest = groups.dropFirst()
        switch style {
        case .spaced:
            return ([nationalPrefix + first] + rest).joined(separator: " ")
        case .nanp:
            guard rest.count == 2 else { return ([first] + rest).joined(separator: " ") }
            return "(\(first)) \(rest.first!)-\(rest.last!)"
        case .dashed:
            return ([nationalPrefix + first] + rest).joined(separator: "-")
        case .bracketedArea:
            return "(\(nationalPrefix)\(first)) " + rest.joined(separator: " ")
        case .brazil:
            return "(\(first)) " + rest.joined(separator: "-")
        case .areaDash:
            return "\(nationalPrefix)\(first)-" + rest.joined(separator: " ")
        }
    }

    func international(_ groups: [String]) -> String {
        switch style {
        case .spaced, .bracketedArea, .areaDash:
            return groups.joined(separator: " ")
        case .nanp, .dashed:
            return groups.joined(separator: "-")
        case .brazil:
            guard let first = groups.first else { return "" }
            return first + " " + groups.dropFirst().joined(separator: "-")
        }
    }
}

extension PhoneRegion {
    /// The grouping of a national significant number (ASCII digits) in this plan.
    func layout(of nsn: [UInt8]) -> NumberLayout {
        let n = nsn.count
        // Digit values, with 10 standing for "absent" so short input never traps.
        let d0 = n > 0 ? Int(nsn[0]) - 48 : 10
        let d1 = n > 1 ? Int(nsn[1]) - 48 : 10
        let d2 = n > 2 ? Int(nsn[2]) - 48 : 10
        let two = d0 * 10 + d1
        let three = two * 10 + d2
        let trunk = trunkPrefix ?? ""

        switch self {
        case .GB:
            let groups: [Int]
            if n == 9 {
                groups = d0 == 8 ? [3, 6] : [4, 5]
            } else if d0 == 2 || d0 == 5 {
                groups = [2, 4, 4]
            } else if d0 == 1 && (d1 == 1 || d2 == 1) {
                groups = [3, 3, 4]
            } else if d0 == 3 || d0 == 8 || d0 == 9 {
                groups = [3, 3, 4]
            } else {
                groups = [4, 6]
            }
            return NumberLayout(groups: groups, style: .spaced, nationalPrefix: "0")
        case .US, .CA:
            return NumberLayout(groups: [3, 3, 4], style: .nanp, nationalPrefix: "")
        case .JP:
            let groups: [Int]
            if n == 10 {
                groups = three == 800 ? [3, 3, 4] : [2, 4, 4]
            } else if three == 120 || three == 570 || three == 990 {
                groups = [3, 3, 3]
            } else if d0 == 3 || d0 == 6 {
                groups = [1, 4, 4]
            } else {
                groups = [2, 3, 4]
            }
            return NumberLayout(groups: groups, style: .dashed, nationalPrefix: "0")
        case .DE:
            let area: Int
            if two == 15 {
                area = 4
            } else if two == 16 || two == 17 || three == 800 || three == 900 {
                area = 3
            } else if two == 30 || two == 40 || two == 69 || two == 89 {
                area = 2
            } else if d2 == 1 {
                area = 3
            } else {
                area = 4
            }
            return NumberLayout(groups: [area, n], style: .spaced, nationalPrefix: "0")
        case .FR:
            return NumberLayout(groups: [1, 2, 2, 2, 2], style: .spaced, nationalPrefix: "0")
        case .AU:
            if d0 == 1 { return NumberLayout(groups: [4, 3, 3], style: .spaced, nationalPrefix: "") }
            if d0 == 4 || d0 == 5 { return NumberLayout(groups: [3, 3, 3], style: .spaced, nationalPrefix: "0") }
            return NumberLayout(groups: [1, 4, 4], style: .bracketedArea, nationalPrefix: "0")
        case .IN:
            if d0 >= 6 && d0 <= 9 { return NumberLayout(groups: [5, 5], style: .spaced, nationalPrefix: "0") }
            switch two {
            case 11, 20, 22, 33, 40, 44, 79, 80:
                return NumberLayout(groups: [2, 4, 4], style: .spaced, nationalPrefix: "0")
            default:
                return NumberLayout(groups: [3, 3, 4], style: .spaced, nationalPrefix: "0")
            }
        case .IE:
            if d0 == 8 { return NumberLayout(groups: [2, 3, 4], style: .spaced, nationalPrefix: "0") }
            if d0 == 1 && n == 8 { return NumberLayout(groups: [1, 3, 4], style: .bracketedArea, nationalPrefix: "0") }
            if d0 == 1 { return NumberLayout(groups: [4, 3, 3], style: .spaced, nationalPrefix: "") }  // 1800 freephone
            return NumberLayout(groups: [2, 3, 4], style: .bracketedArea, nationalPrefix: "0")
        case .NL:
            if d0 == 6 { return NumberLayout(groups: [1, 8], style: .spaced, nationalPrefix: "0") }
            switch two {
            case 10, 13, 15, 20, 23, 24, 26, 30, 33, 35, 36, 38, 40, 43, 45, 46, 50, 53, 55, 58, 70...79:
                return NumberLayout(groups: [2, 3, 4], style: .spaced, nationalPrefix: "0")
            default:
                return NumberLayout(groups: [3, 3, 3], style: .spaced, nationalPrefix: "0")
            }
        case .ES:
            return NumberLayout(groups: [3, 2, 2, 2], style: .spaced, nationalPrefix: "")
        case .IT:
            if two == 2 || two == 6 { return NumberLayout(groups: [2, 4, 4], style: .spaced, nationalPrefix: "") }  // 02 Milan, 06 Rome
            return NumberLayout(groups: [3, 3, 4], style: .spaced, nationalPrefix: "")
        case .CH:
            return NumberLayout(groups: [2, 3, 2, 2], style: .spaced, nationalPrefix: "0")
        case .SE:
            let area: Int
            if d0 == 8 {
                area = 1
            } else if d0 == 7 {
                area = 2
            } else {
                switch two {
                case 11, 13, 16, 18, 19, 21, 23, 26, 31, 33, 35, 36, 40, 42, 44, 46, 54, 60, 63, 90: area = 2
                default: area = 3
                }
            }
            let rest: [Int] = switch n - area {
            case 5: [3, 2]
            case 6: [2, 2, 2]
            case 7: [3, 2, 2]
            default: [3, 3, 2]
            }
            return NumberLayout(groups: [area] + rest, style: .areaDash, nationalPrefix: "0")
        case .NZ:
            if d0 == 2 { return NumberLayout(groups: [2, 3, 4], style: .spaced, nationalPrefix: "0") }
            if three == 800 || three == 900 { return NumberLayout(groups: [3, 3, 4], style: .spaced, nationalPrefix: "0") }
            return NumberLayout(groups: [1, 3, 4], style: .areaDash, nationalPrefix: "0")
        case .SG:
            if n == 11 { return NumberLayout(groups: [4, 3, 4], style: .spaced, nationalPrefix: "") }
            return NumberLayout(groups: [4, 4], style: .spaced, nationalPrefix: "")
        case .HK:
            if n == 9 { return NumberLayout(groups: [3, 3, 3], style: .spaced, nationalPrefix: "") }
            return NumberLayout(groups: [4, 4], style: .spaced, nationalPrefix: "")
        case .CN:
            if d0 == 1 && n == 11 { return NumberLayout(groups: [3, 4, 4], style: .spaced, nationalPrefix: "") }
            if two == 10 || d0 == 2 { return NumberLayout(groups: [2, 4, 4], style: .spaced, nationalPrefix: trunk) }
            return NumberLayout(groups: [3, 4, 4], style: .spaced, nationalPrefix: trunk)
        case .BR:
            return NumberLayout(groups: [2, max(1, n - 6), 4], style: .brazil, nationalPrefix: "")
        case .MX:
            if two == 55 || two == 33 || two == 81 { return NumberLayout(groups: [2, 4, 4], style: .spaced, nationalPrefix: "") }
            return NumberLayout(groups: [3, 3, 4], style: .spaced, nationalPrefix: "")
        }
    }
}
