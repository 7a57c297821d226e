/// Why a phone number could not be parsed. Each message names the input, what
/// is wrong with it and what to do about it.
public enum PhoneNumberError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text contains no digits at all.
    case empty(input: String)
    /// The text contains something other than digits, formatting
    /// (spaces, dashes, dots, brackets, a leading `+`) or an extension marker.
    case invalidCharacters(input: String, found: String)
    /// An extension marker (`x`, `ext.`, `#`, `;ext=`) has no digits after it.
    case missingExtensionDigits(input: String)
    /// Fewer national digits than the plan of `countryCode` allows.
    case tooShort(input: String, region: PhoneRegion?, countryCode: Int, digits: Int, needed: ClosedRange<Int>)
    /// More national digits than the plan of `countryCode` allows.
    case tooLong(input: String, region: PhoneRegion?, countryCode: Int, digits: Int, needed: ClosedRange<Int>)
    /// The digits after `+` (or an international prefix) start no assigned country code.
    case unknownCountryCode(input: String, digits: String)

    public var description: String {
        switch self {
        case .empty(let input):
            return "\(Self.quote(input)) contains no digits; type a number such as 07814 256404 or +44 7814 256404"
        case .invalidCharacters(let input, let found):
            return "\(Self.quote(input)) contains \(Self.quote(found)), which is not part of a phone number; "
                + "use digits, spaces, dashes, dots, brackets, a leading + and an optional extension such as x123"
        case .missingExtensionDigits(let input):
            return "\(Self.quote(input)) has an extension marker but no extension digits; write the extension as x123 or remove the marker"
        case .tooShort(let input, let region, let countryCode, let digits, let needed):
            return "\(Self.quote(input)) is too short for \(Self.planName(region, countryCode)) "
                + "(needs \(Self.range(needed)) digits after +\(countryCode), found \(digits)); check for missing digits"
        case .tooLong(let input, let region, let countryCode, let digits, let needed):
            return "\(Self.quote(input)) is too long for \(Self.planName(region, countryCode)) "
                + "(needs \(Self.range(needed)) digits after +\(countryCode), found \(digits)); "
                + "check for extra digits or write an extension as x123"
        case .unknownCountryCode(let input, let digits):
            return "\(Self.quote(input)) does not start with a known country calling code (+\(digits)…); "
                + "check the digits after + or 00, e.g. +44 for GB or +1 for US"
        }
    }

    private static func planName(_ region: PhoneRegion?, _ countryCode: Int) -> String {
        region.map(\.rawValue) ?? "+\(countryCode)"
    }

    private static func range(_ r: ClosedRange<Int>) -> String {
        r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound)"
    }

    /// The input in quotes, control characters escaped and long text shortened,
    /// so a hostile caller ID cannot drive the terminal through an error message.
    static func quote(_ text: String) -> String {
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 40 { out += "…"; break }
            count += 1
            switch scalar.value {
            case 0..<0x20, 0x7F..<0xA0:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            case 0x22:
                out += "\\\""
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension PhoneNumber {
    /// Parses a number as people type, paste or receive it: `07814 256404`,
    /// `+44 (0)20 7946 0018`, `0044 20…`, `011 44 20…` (NANP), `(415) 555-2671`,
    /// `1-415-555-2671`, `０３-１２３４-５６７８`, `tel:+1-201-555-0123;ext=7`,
    /// `sip:+4420…@host`, with an optional extension (`x123`, `ext. 123`, `#123`).
    ///
    /// - Parameters:
    ///   - defaultRegion: the plan for numbers written without `+` or an international prefix.
    ///   - internalNumberDigits: numbers of at most this many digits (and no `+`) are internal.
    /// - Throws: ``PhoneNumberError`` saying what is wrong and what to do.
    public static func parse(_ raw: String, defaultRegion: PhoneRegion, internalNumberDigits: Int = 5) throws(PhoneNumberError) -> PhoneNumber {
        do {
            return try parseDigits(raw, defaultRegion: defaultRegion, internalNumberDigits: internalNumberDigits)
        } catch {
            // `1-800-FLOWERS`: letters on a keypad, read only when the digits they give make a valid number.
            guard case .invalidCharacters = error, let dialled = PhoneNumberScanner.vanityDigits(raw),
                  let number = try? parseDigits(dialled, defaultRegion: defaultRegion, internalNumberDigits: internalNumberDigits),
                  number.kind == .external else { throw error }
            return number
        }
    }

    private static func parseDigits(_ raw: String, defaultRegion: PhoneRegion, internalNumberDigits: Int) throws(PhoneNumberError) -> PhoneNumber {
        var scan = PhoneNumberScanner()
        try scan.run(raw)
        var digits = scan.digits
        let extensionDigits = scan.extensionDigits.count > 0 ? scan.extensionDigits.string() : nil

        if digits.count == 0 { throw .empty(input: raw) }
        if !scan.hasPlus && digits.count <= internalNumberDigits {
            let text = digits.string()
            return PhoneNumber(kind: .internal, e164: text, countryCode: nil, nationalNumber: text, region: nil, extensionDigits: extensionDigits)
        }

        // International: `+` or the region's international prefix, then a country code.
        var international = scan.hasPlus
        var start = 0
        if !international {
            let prefix = defaultRegion.internationalPrefixLength(in: digits)
            if prefix > 0 { international = true; start = prefix }
        }

        if digits.seen > digits.count {
            throw .tooLong(input: raw, region: defaultRegion, countryCode: defaultRegion.countryCode,
                           digits: digits.seen, needed: defaultRegion.nationalNumberLengths)
        }

        let countryCode: Int
        if international {
            var code = 0
            var length = 0
            // Country codes never start with 0.
            while length < 3 && start + length < digits.count && digits[start] != 0 {
                code = code * 10 + Int(digits[start + length])
                length += 1
                if PhoneRegion.isAssignedCountryCode(code) { break }
            }
            guard length > 0, PhoneRegion.isAssignedCountryCode(code) else {
                throw .unknownCountryCode(input: raw, digits: digits.string(from: start, count: min(3, digits.count - start)))
            }
            countryCode = code
            start += length
            // `+44 (0)20…`: the bracketed trunk zero is not dialled from abroad,
            // except in Italy where the leading 0 is part of the number.
            if let zero = scan.bracketedZeroIndex, zero >= start, PhoneRegion.region(forCountryCode: code) != .IT {
                digits.remove(at: zero)
            }
            if let plan = PhoneRegion.region(forCountryCode: code) {
                start += plan.strippedNationalPrefixLength(in: digits, from: start, international: true)
            }
        } else if let after = defaultRegion.countryCodeWithoutPlusLength(in: digits) {
            // `44 20 7946 0018` in GB, `49 40 70296580` in DE: the country code typed without `+` (never doubled).
            countryCode = defaultRegion.countryCode
            start = after
        } else {
            countryCode = defaultRegion.countryCode
            start = defaultRegion.strippedNationalPrefixLength(in: digits, from: 0, international: false)
        }

        let nationalCount = digits.count - start
        let plan = PhoneRegion.region(forCountryCode: countryCode)
        // Plans Ringside does not know: E.164 allows at most 15 digits in all.
        var needed = plan?.nationalNumberLengths ?? 4...(15 - Self.decimalLength(countryCode))
        if let plan, nationalCount > 0 {
            needed = plan.nationalNumberLengths(first: digits[start], second: nationalCount > 1 ? digits[start + 1] : nil)
        }
        let region: PhoneRegion? = if countryCode == 1, nationalCount >= 3 {
            PhoneRegion.region(forNANPAreaCode: Int(digits[start]) * 100 + Int(digits[start + 1]) * 10 + Int(digits[start + 2]))
        } else {
            plan
        }
        if nationalCount < needed.lowerBound {
            throw .tooShort(input: raw, region: region ?? plan, countryCode: countryCode, digits: nationalCount, needed: needed)
        }
        if nationalCount > needed.upperBound {
            throw .tooLong(input: raw, region: region ?? plan, countryCode: countryCode, digits: nationalCount, needed: needed)
        }

        let national = digits.string(from: start, count: nationalCount)
        return PhoneNumber(
            kind: .external, e164: digits.e164(countryCode: countryCode, from: start), countryCode: countryCode,
            nationalNumber: national, region: region, extensionDigits: extensionDigits)
    }

    private static func decimalLength(_ value: Int) -> Int {
        value >= 100 ? 3 : value >= 10 ? 2 : 1
    }
}

extension PhoneRegion {
    /// When `digits` (written without `+` or an international prefix) are this region's country code followed by
    /// a possible NSN, the number of digits before that NSN; nil otherwise. Taken when the digits are not a
    /// possible national number, or when the plan writes national numbers with a trunk `0` and these have
    /// none (`44 20 7946 0018` in GB, `49 40 70296580` in DE). The NANP's `1` is its trunk prefix instead.
    func countryCodeWithoutPlusLength(in digits: DigitBuffer) -> Int? {
        switch self {
        case .US, .CA: return nil
        case .GB, .JP, .DE, .FR, .AU, .IN, .IE, .NL, .ES, .IT, .CH, .SE, .NZ, .SG, .HK, .CN, .BR, .MX: break
        }
        guard digits.count > 0, digits[0] != 0 else { return nil }
        let length = countryCode >= 100 ? 3 : countryCode >= 10 ? 2 : 1
        guard digits.count > length else { return nil }
        var code = 0
        for i in 0..<length { code = code * 10 + Int(digits[i]) }
        guard code == countryCode else { return nil }
        var start = length
        start += strippedNationalPrefixLength(in: digits, from: start, international: true)
        guard isPossibleNSN(digits, from: start) else { return nil }
        let nationalStart = strippedNationalPrefixLength(in: digits, from: 0, international: false)
        let nationalPossible = isPossibleNSN(digits, from: nationalStart)
        return !nationalPossible || trunkPrefix == "0" ? start : nil
    }

    /// Length of the international prefix at the start of `digits`, or 0.
    /// Mirrors ``internationalPrefixes`` without allocating.
    func internationalPrefixLength(in digits: DigitBuffer) -> Int {
        switch self {
        case .US, .CA:
            if digits.hasPrefix(0, 1, 1) { return 3 }
        case .JP:
            if digits.hasPrefix(0, 1, 0) { return 3 }
        case .AU:
            if digits.hasPrefix(0, 0, 1, 1) { return 4 }
        case .SG:
            if digits.hasPrefix(0, 0, 1) { return 3 }
        case .GB, .DE, .FR, .IN, .IE, .NL, .ES, .IT, .CH, .SE, .NZ, .HK, .CN, .BR, .MX:
            break
        }
        return digits.hasPrefix(0, 0) ? 2 : 0
    }

    /// How many digits at `start` are a trunk prefix (or legacy carrier or
    /// mobile prefix) rather than part of the NSN. After a country code only a
    /// stray trunk `0` (`+44 020…`) or Mexico's old mobile `1` is dropped.
    func strippedNationalPrefixLength(in digits: DigitBuffer, from start: Int, international: Bool) -> Int {
        let count = digits.count - start
        guard count > 0 else { return 0 }
        let first = digits[start]
        let lengths = nationalNumberLengths
        switch self {
        case .US, .CA:
            return !international && first == 1 && count == 11 ? 1 : 0
        case .MX:
            if international { return first == 1 && count == 11 ? 1 : 0 }
            if count == 12 && first == 0 && digits[start + 1] == 1 { return 2 }  // 01 55…
            if count == 13 && first == 0 && digits[start + 1] == 4 && (digits[start + 2] == 4 || digits[start + 2] == 5) { return 3 }  // 044/045
            return 0
        case .BR:
            guard first == 0 else { return 0 }
            if international { return lengths.contains(count - 1) ? 1 : 0 }
            return count == 13 || count == 14 ? 3 : 1  // 0 + two-digit carrier code, or a bare trunk 0
        case .GB, .JP, .DE, .FR, .AU, .IN, .IE, .NL, .CH, .SE, .NZ, .CN:
            guard first == 0 else { return 0 }
            // A bare 0 is the trunk prefix nationally; after +cc only when what remains is valid.
            return !international || lengths.contains(count - 1) ? 1 : 0
        case .ES, .IT, .SG, .HK:
            return 0
        }
    }
}

/// Up to 32 decimal digits packed four bits each: no heap allocation while scanning.
struct DigitBuffer: Sendable {
    static let capacity = 32
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    /// Digits stored (at most ``capacity``).
    private(set) var count = 0
    /// Digits seen, including any beyond ``capacity``.
    private(set) var seen = 0

    mutating func append(_ digit: UInt8) {
        seen += 1
        guard count < Self.capacity else { return }
        if count < 16 {
            low |= UInt64(digit) << UInt64(count * 4)
        } else {
            high |= UInt64(digit) << UInt64((count - 16) * 4)
        }
        count += 1
    }

    subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count, "digit index out of range")
        return index < 16
            ? UInt8(truncatingIfNeeded: low >> UInt64(index * 4)) & 0xF
            : UInt8(truncatingIfNeeded: high >> UInt64((index - 16) * 4)) & 0xF
    }

    func hasPrefix(_ a: UInt8, _ b: UInt8) -> Bool {
        count >= 2 && self[0] == a && self[1] == b
    }

    func hasPrefix(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        count >= 3 && self[0] == a && self[1] == b && self[2] == c
    }

    func hasPrefix(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool {
        count >= 4 && self[0] == a && self[1] == b && self[2] == c && self[3] == d
    }

    mutating func remove(at index: Int) {
        var copy = DigitBuffer()
        for i in 0..<count where i != index { copy.append(self[i]) }
        copy.seen = seen - 1
        self = copy
    }

    /// `+`, the country code, then the digits from `start`: built in one
    /// write, without string interpolation.
    func e164(countryCode: Int, from start: Int) -> String {
        let codeLength = countryCode >= 100 ? 3 : countryCode >= 10 ? 2 : 1
        let length = 1 + codeLength + count - start
        return String(unsafeUninitializedCapacity: length) { buffer in
            buffer[0] = 0x2B
            var code = countryCode
            for i in stride(from: codeLength, to: 0, by: -1) {
                buffer[i] = 0x30 + UInt8(code % 10)
                code /= 10
            }
            for i in 0..<(count - start) { buffer[1 + codeLength + i] = 0x30 + self[start + i] }
            return length
        }
    }

    func string(from start: Int = 0, count length: Int? = nil) -> String {
        let length = length ?? (count - start)
        guard length > 0 else { return "" }
        return String(unsafeUninitializedCapacity: length) { buffer in
            for i in 0..<length { buffer[i] = 0x30 + self[start + i] }
            return length
        }
    }
}

/// One pass over the unicode scalars of a raw number: collects digits
/// (ASCII, full-width and other decimal scripts), notes a leading `+` and a
/// bracketed trunk zero, and splits off the extension.
struct PhoneNumberScanner {
    private enum Phase { case number, marker, extensionDigits }

    var digits = DigitBuffer()
    var extensionDigits = DigitBuffer()
    var hasPlus = false
    /// Index in ``digits`` of a `(0)` written after other digits (`+44 (0)20…`).
    var bracketedZeroIndex: Int?

    private var phase = Phase.number
    private var marker = ""
    private var parenStart: Int?

    mutating func run(_ raw: String) throws(PhoneNumberError) {
        let scalars = raw.unicodeScalars
        // Leading blanks, CRM noise (Excel's apostrophe, a label such as `Mob.`), then an optional URI scheme.
        var index = Self.skipLeadingNoise(scalars, from: scalars.startIndex)
        var uri = URIScheme.none
        if Self.hasPrefix(scalars, at: index, "tel:") {
            uri = .tel; index = scalars.index(index, offsetBy: 4)
        } else if Self.hasPrefix(scalars, at: index, "sip:") {
            uri = .sip; index = scalars.index(index, offsetBy: 4)
        } else if Self.hasPrefix(scalars, at: index, "sips:") {
            uri = .sip; index = scalars.index(index, offsetBy: 5)
        }

        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if uri == .sip && (scalar == "@" || scalar == ";") { break }
            if uri == .tel && scalar == ";" && phase != .marker {
                // `;ext=` starts an extension; any other URI parameter ends the number.
                if Self.hasPrefix(scalars, at: index, "ext=") {
                    if extensionDigits.seen > 0 || digits.seen == 0 { throw invalid(raw, from: scalar) }
                    phase = .marker; marker = ";ext="
                    index = scalars.index(index, offsetBy: 4)
                    continue
                }
                break
            }
            try consume(scalar, raw: raw)
        }
        if phase == .marker {
            throw Self.isExtensionMarker(marker) ? .missingExtensionDigits(input: raw) : .invalidCharacters(input: raw, found: marker)
        }
    }

    private mutating func consume(_ scalar: Unicode.Scalar, raw: String) throws(PhoneNumberError) {
        let digit = Self.digitValue(scalar)
        switch phase {
        case .number:
            if let digit {
                digits.append(digit)
            } else if scalar == "+" || scalar == "\u{FF0B}" {
                guard digits.seen == 0, !hasPlus else { throw invalid(raw, from: scalar) }
                hasPlus = true
            } else if scalar == "(" || scalar == "\u{FF08}" || scalar == "[" {
                parenStart = digits.seen
            } else if scalar == ")" || scalar == "\u{FF09}" || scalar == "]" {
                if let start = parenStart, start > 0, digits.seen == start + 1, start < digits.count, digits[start] == 0 {
                    bracketedZeroIndex = start
                }
                parenStart = nil
            } else if Self.isSeparator(scalar) {
                break
            } else if Self.isMarkerScalar(scalar) && digits.seen > 0 {
                phase = .marker
                marker.unicodeScalars.append(scalar)
            } else {
                throw invalid(raw, from: scalar)
            }
        case .marker:
            if let digit {
                guard Self.isExtensionMarker(marker) else { throw .invalidCharacters(input: raw, found: marker) }
                phase = .extensionDigits
                extensionDigits.append(digit)
            } else if Self.isMarkerScalar(scalar) || scalar == "=" {
                guard marker.unicodeScalars.count < 12 else { throw .invalidCharacters(input: raw, found: marker) }
                marker.unicodeScalars.append(scalar)
            } else if scalar == "." || scalar == ":" || Self.isBlank(scalar) {
                break
            } else {
                throw .invalidCharacters(input: raw, found: marker + String(scalar))
            }
        case .extensionDigits:
            if let digit {
                extensionDigits.append(digit)
                if extensionDigits.seen > 15 { throw .invalidCharacters(input: raw, found: "x" + extensionDigits.string()) }
            } else if Self.isBlank(scalar) || scalar == "-" || scalar == "." {
                break
            } else {
                throw invalid(raw, from: scalar)
            }
        }
    }

    /// The offending text from `scalar` up to the next digit or blank, for the error message.
    private func invalid(_ raw: String, from scalar: Unicode.Scalar) -> PhoneNumberError {
        var found = ""
        var collecting = false
        for s in raw.unicodeScalars {
            if !collecting {
                if s == scalar { collecting = true; found.unicodeScalars.append(s) }
                continue
            }
            if Self.digitValue(s) != nil || Self.isBlank(s) || found.unicodeScalars.count >= 12 { break }
            found.unicodeScalars.append(s)
        }
        return .invalidCharacters(input: raw, found: found)
    }

    private enum URIScheme { case none, tel, sip }

    /// Labels people type before a number in CRM fields (`M:`, `Mob.`, `Tel`, `Phone:`), lower-case.
    static let labels: Set<String> = [
        "m", "mob", "mobile", "mobil", "cell", "cellphone", "t", "tel", "tele", "telephone", "phone", "ph", "p",
        "w", "work", "h", "home", "o", "office", "direct", "dd", "ddi", "main", "handy",
    ]

    /// Skips blanks, an Excel text-marker apostrophe (`'07814 256404`) and one label followed by `.`, `:` or a
    /// blank and then the number (`Mob. 07814…`, `M:07814…`). `tel:` is left for the URI scheme.
    static func skipLeadingNoise(_ scalars: String.UnicodeScalarView, from start: String.Index) -> String.Index {
        var index = start
        func skipBlanksAndApostrophes() {
            while index < scalars.endIndex, isBlank(scalars[index]) || isApostrophe(scalars[index]) {
                index = scalars.index(after: index)
            }
        }
        skipBlanksAndApostrophes()
        if hasPrefix(scalars, at: index, "tel:") || hasPrefix(scalars, at: index, "sip:") || hasPrefix(scalars, at: index, "sips:") {
            return index
        }
        var word = ""
        var cursor = index
        while cursor < scalars.endIndex, scalars[cursor].isASCII, scalars[cursor].properties.isAlphabetic, word.count <= 10 {
            word.unicodeScalars.append(Unicode.Scalar(scalars[cursor].value | 0x20)!)
            cursor = scalars.index(after: cursor)
        }
        guard !word.isEmpty, labels.contains(word) else { return index }
        var separated = false
        while cursor < scalars.endIndex, scalars[cursor] == "." || scalars[cursor] == ":" || isBlank(scalars[cursor]) {
            separated = true
            cursor = scalars.index(after: cursor)
        }
        // A label needs its separator and a number after it.
        guard separated, cursor < scalars.endIndex else { return index }
        let next = scalars[cursor]
        guard digitValue(next) != nil || next == "+" || next == "(" || isApostrophe(next) else { return index }
        index = cursor
        skipBlanksAndApostrophes()
        return index
    }

    private static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2018}" || scalar == "\u{2019}" || scalar == "`"
    }

    /// `1-800-FLOWERS` with its letters as keypad digits (`1-800-3569377`), or nil when the text is not a
    /// vanity number: at least three letters, after at least three digits, no other signs.
    static func vanityDigits(_ raw: String) -> String? {
        let scalars = raw.unicodeScalars
        var out = ""
        var digitsBefore = 0
        var letters = 0
        var index = skipLeadingNoise(scalars, from: scalars.startIndex)
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if let digit = digitValue(scalar) {
                if letters == 0 { digitsBefore += 1 }
                out.unicodeScalars.append(Unicode.Scalar(0x30 + UInt32(digit))!)
            } else if scalar.isASCII, scalar.properties.isAlphabetic {
                guard digitsBefore >= 3 else { return nil }
                letters += 1
                out.unicodeScalars.append(keypadDigit(Character(scalar)))
            } else if scalar == "+" || scalar == "(" || scalar == ")" || isSeparator(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                return nil
            }
        }
        return letters >= 3 ? out : nil
    }

    /// The ITU E.161 keypad digit for a letter.
    private static func keypadDigit(_ letter: Character) -> Unicode.Scalar {
        switch letter.lowercased() {
        case "a", "b", "c": return "2"
        case "d", "e", "f": return "3"
        case "g", "h", "i": return "4"
        case "j", "k", "l": return "5"
        case "m", "n", "o": return "6"
        case "p", "q", "r", "s": return "7"
        case "t", "u", "v": return "8"
        default: return "9"
        }
    }

    /// Whether `prefix` (lower-case ASCII) starts at `index`, ignoring ASCII case.
    private static func hasPrefix(_ scalars: String.UnicodeScalarView, at index: String.Index, _ prefix: StaticString) -> Bool {
        var index = index
        for byte in UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount) {
            guard index < scalars.endIndex else { return false }
            let value = scalars[index].value
            let lowered = (65...90).contains(value) ? value + 32 : value
            if lowered != UInt32(byte) { return false }
            index = scalars.index(after: index)
        }
        return true
    }

    private static func isExtensionMarker(_ marker: String) -> Bool {
        var lowered = ""
        for s in marker.unicodeScalars {
            lowered.unicodeScalars.append((65...90).contains(s.value) ? Unicode.Scalar(s.value + 32)! : s)
        }
        switch lowered {
        case "x", "ext", "extn", "extension", "#", ";ext=", "ext=", "ext#": return true
        default: return false
        }
    }

    /// Letters and signs that may begin or continue an extension marker.
    private static func isMarkerScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 65...90, 97...122: true  // ASCII letters: validated once the marker ends
        case 0x23, 0x3B: true          // `#`, `;`
        default: false
        }
    }

    /// Value of a decimal digit in ASCII, full-width (`０`), Arabic-Indic or Devanagari.
    @inline(__always)
    static func digitValue(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        switch v {
        case 0x30...0x39: return UInt8(v - 0x30)
        case 0xFF10...0xFF19: return UInt8(v - 0xFF10)
        case 0x0660...0x0669: return UInt8(v - 0x0660)
        case 0x06F0...0x06F9: return UInt8(v - 0x06F0)
        case 0x0966...0x096F: return UInt8(v - 0x0966)
        default: return nil
        }
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x2000...0x200B, 0x200E, 0x200F, 0x202F, 0x2060, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// Formatting between digits: blanks, dashes (ASCII, unicode, full-width,
    /// katakana `ー`), dots and slashes. Brackets are handled by the caller.
    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if isBlank(scalar) { return true }
        switch scalar.value {
        case 0x2D, 0x2E, 0x2F, 0x2010...0x2015, 0x2212, 0x30FC, 0xFF0D, 0xFF0E, 0xFF0F, 0xFF5E, 0x301C: return true
        default: return false
        }
    }
}
