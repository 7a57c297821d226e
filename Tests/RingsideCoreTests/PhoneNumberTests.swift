import RingsideTestSupport
import Testing
import RingsideCore

/// One parsing expectation. Every E.164 value in `phoneParseCases` was checked
/// against Google's libphonenumber (Python `phonenumbers` 9.0) while writing the table.
struct PhoneParseCase: Sendable, CustomTestStringConvertible {
    let raw: String
    let region: PhoneRegion
    let e164: String
    let ext: String?
    let note: String

    init(_ raw: String, _ region: PhoneRegion, _ e164: String, ext: String? = nil, _ note: String) {
        self.raw = raw
        self.region = region
        self.e164 = e164
        self.ext = ext
        self.note = note
    }

    var testDescription: String { "\(note): \(raw) in \(region.rawValue)" }
}

let phoneParseCases: [PhoneParseCase] = [
    PhoneParseCase("07814 256404", .GB, "+447814256404", "GB mobile, national spaced"),
    PhoneParseCase("07814256404", .GB, "+447814256404", "GB mobile, national compact"),
    PhoneParseCase("+44 7814 256404", .GB, "+447814256404", "GB mobile, international"),
    PhoneParseCase("+447814256404", .GB, "+447814256404", "GB mobile, E.164"),
    PhoneParseCase("0044 7814 256404", .GB, "+447814256404", "00 prefix from GB"),
    PhoneParseCase("+44 (0)7814 256404", .GB, "+447814256404", "bracketed trunk zero, mobile"),
    PhoneParseCase("+44 (0)20 7946 0018", .GB, "+442079460018", "bracketed trunk zero, London"),
    PhoneParseCase("+44(0)2079460018", .GB, "+442079460018", "bracketed trunk zero, no spaces"),
    PhoneParseCase("020 7946 0018", .GB, "+442079460018", "London landline"),
    PhoneParseCase("(020) 7946 0018", .GB, "+442079460018", "London, bracketed area code"),
    PhoneParseCase("020-7946-0018", .GB, "+442079460018", "dashes"),
    PhoneParseCase("020.7946.0018", .GB, "+442079460018", "dots"),
    PhoneParseCase("0113 496 0000", .GB, "+441134960000", "Leeds 0113: 011 is not international in GB"),
    PhoneParseCase("0121 496 0000", .GB, "+441214960000", "Birmingham"),
    PhoneParseCase("01223 123456", .GB, "+441223123456", "Cambridge, 4-digit area"),
    PhoneParseCase("0800 123 4567", .GB, "+448001234567", "freephone 10 digits"),
    PhoneParseCase("0800 123456", .GB, "+44800123456", "freephone 9 digits"),
    PhoneParseCase("+44 020 7946 0018", .GB, "+442079460018", "stray trunk 0 after +44"),
    PhoneParseCase("7814 256404", .GB, "+447814256404", "national without trunk 0"),
    PhoneParseCase("07700 900123 x123", .GB, "+447700900123", ext: "123", "x extension"),
    PhoneParseCase("020 7946 0018 ext. 4567", .GB, "+442079460018", ext: "4567", "ext. extension"),
    PhoneParseCase("020 7946 0018 ext4567", .GB, "+442079460018", ext: "4567", "ext extension without space"),
    PhoneParseCase("020 7946 0018 #12", .GB, "+442079460018", ext: "12", "hash extension"),
    PhoneParseCase("020 7946 0018 X 9", .GB, "+442079460018", ext: "9", "capital X extension"),
    PhoneParseCase("tel:+44-20-7946-0018", .GB, "+442079460018", "tel URI"),
    PhoneParseCase("  +44 20 7946 0018  ", .GB, "+442079460018", "surrounding blanks"),
    PhoneParseCase("+44\u{A0}20\u{A0}7946\u{A0}0018", .GB, "+442079460018", "no-break spaces"),
    PhoneParseCase("+44 7814 256404", .US, "+447814256404", "+ form from the US"),
    PhoneParseCase("011 44 20 7946 0018", .US, "+442079460018", "011 prefix from the US"),
    PhoneParseCase("0044 20 7946 0018", .DE, "+442079460018", "00 prefix from DE"),
    PhoneParseCase("(415) 555-2671", .US, "+14155552671", "US national"),
    PhoneParseCase("415-555-2671", .US, "+14155552671", "US dashes"),
    PhoneParseCase("415.555.2671", .US, "+14155552671", "US dots"),
    PhoneParseCase("1 (415) 555-2671", .US, "+14155552671", "US with trunk 1"),
    PhoneParseCase("1-415-555-2671", .US, "+14155552671", "US 11 digits dashed"),
    PhoneParseCase("+1 415 555 2671", .US, "+14155552671", "US international"),
    PhoneParseCase("14155552671", .US, "+14155552671", "US 11 digits"),
    PhoneParseCase("4155552671", .US, "+14155552671", "US 10 digits"),
    PhoneParseCase("tel:+1-201-555-0123", .US, "+12015550123", "tel URI"),
    PhoneParseCase("tel:+1-201-555-0123;ext=1234", .US, "+12015550123", ext: "1234", "tel URI with ;ext="),
    PhoneParseCase("(212) 555-0199 x12", .US, "+12125550199", ext: "12", "US x extension"),
    PhoneParseCase("212-555-0199;ext=12", .US, "+12125550199", ext: "12", ";ext= without URI"),
    PhoneParseCase("+1 (212) 555-0199", .GB, "+12125550199", "US number from GB"),
    PhoneParseCase("001 212 555 0199", .GB, "+12125550199", "00 1 from GB"),
    PhoneParseCase("(416) 555-0134", .US, "+14165550134", "Toronto from US default"),
    PhoneParseCase("604 555 0188", .CA, "+16045550188", "Vancouver, CA default"),
    PhoneParseCase("+1 876 555 1234", .GB, "+18765551234", "Jamaica (+1, not US/CA)"),
    PhoneParseCase("03-1234-5678", .JP, "+81312345678", "Tokyo"),
    PhoneParseCase("０３-１２３４-５６７８", .JP, "+81312345678", "Tokyo, full-width digits"),
    PhoneParseCase("090-1234-5678", .JP, "+819012345678", "JP mobile"),
    PhoneParseCase("０９０ー１２３４ー５６７８", .JP, "+819012345678", "full-width digits, katakana dash"),
    PhoneParseCase("０９０－１２３４－５６７８", .JP, "+819012345678", "full-width digits and hyphens"),
    PhoneParseCase("+81 3-1234-5678", .JP, "+81312345678", "Tokyo international"),
    PhoneParseCase("+81 (0)3 1234 5678", .GB, "+81312345678", "Tokyo bracketed zero"),
    PhoneParseCase("010 44 20 7946 0018", .JP, "+442079460018", "010 prefix from JP"),
    PhoneParseCase("045-123-4567", .JP, "+81451234567", "Yokohama"),
    PhoneParseCase("0120-123-456", .JP, "+81120123456", "JP freephone"),
    PhoneParseCase("06-6123-4567", .JP, "+81661234567", "Osaka"),
    PhoneParseCase("（03）1234-5678", .JP, "+81312345678", "full-width brackets"),
    PhoneParseCase("080 1234 5678", .JP, "+818012345678", "JP mobile spaced"),
    PhoneParseCase("+49 30 901820", .DE, "+4930901820", "Berlin"),
    PhoneParseCase("030 901820", .DE, "+4930901820", "Berlin national"),
    PhoneParseCase("030/901820", .DE, "+4930901820", "slash separator"),
    PhoneParseCase("0151 23456789", .DE, "+4915123456789", "DE mobile"),
    PhoneParseCase("+49 (0)171 1234567", .DE, "+491711234567", "DE mobile bracketed zero"),
    PhoneParseCase("0049 221 1234567", .GB, "+492211234567", "Cologne via 00 from GB"),
    PhoneParseCase("06131 123456", .DE, "+496131123456", "Mainz"),
    PhoneParseCase("089 1234567", .DE, "+49891234567", "Munich"),
    PhoneParseCase("01 23 45 67 89", .FR, "+33123456789", "Paris"),
    PhoneParseCase("06.12.34.56.78", .FR, "+33612345678", "FR mobile dots"),
    PhoneParseCase("+33 6 12 34 56 78", .FR, "+33612345678", "FR mobile international"),
    PhoneParseCase("+33 (0)1 23 45 67 89", .GB, "+33123456789", "Paris bracketed zero"),
    PhoneParseCase("0033 1 23 45 67 89", .GB, "+33123456789", "Paris via 00"),
    PhoneParseCase("(02) 9876 5432", .AU, "+61298765432", "Sydney"),
    PhoneParseCase("0412 345 678", .AU, "+61412345678", "AU mobile"),
    PhoneParseCase("+61 412 345 678", .AU, "+61412345678", "AU mobile international"),
    PhoneParseCase("0011 44 20 7946 0018", .AU, "+442079460018", "0011 prefix from AU"),
    PhoneParseCase("1300 123 456", .AU, "+611300123456", "AU 1300"),
    PhoneParseCase("+61 (0)2 9876 5432", .GB, "+61298765432", "Sydney bracketed zero"),
    PhoneParseCase("98765 43210", .IN, "+919876543210", "IN mobile"),
    PhoneParseCase("098765 43210", .IN, "+919876543210", "IN mobile with trunk 0"),
    PhoneParseCase("+91 98765 43210", .IN, "+919876543210", "IN international"),
    PhoneParseCase("011 2345 6789", .IN, "+911123456789", "Delhi: 011 is national in IN"),
    PhoneParseCase("+91-80-2345-6789", .IN, "+918023456789", "Bangalore dashed"),
    PhoneParseCase("०९८७६५ ४३२१०", .IN, "+919876543210", "Devanagari digits"),
    PhoneParseCase("06 1234 5678", .IT, "+390612345678", "Rome keeps its 0"),
    PhoneParseCase("+39 06 1234 5678", .IT, "+390612345678", "Rome international"),
    PhoneParseCase("312 345 6789", .IT, "+393123456789", "IT mobile"),
    PhoneParseCase("085 123 4567", .IE, "+353851234567", "IE mobile"),
    PhoneParseCase("(01) 234 5678", .IE, "+35312345678", "Dublin"),
    PhoneParseCase("06 12345678", .NL, "+31612345678", "NL mobile"),
    PhoneParseCase("912 34 56 78", .ES, "+34912345678", "Madrid"),
    PhoneParseCase("044 123 45 67", .CH, "+41441234567", "Zurich"),
    PhoneParseCase("08-123 45 67", .SE, "+4681234567", "Stockholm"),
    PhoneParseCase("021 123 4567", .NZ, "+64211234567", "NZ mobile"),
    PhoneParseCase("6123 4567", .SG, "+6561234567", "Singapore"),
    PhoneParseCase("2123 4567", .HK, "+85221234567", "Hong Kong"),
    PhoneParseCase("131 2345 6789", .CN, "+8613123456789", "CN mobile"),
    PhoneParseCase("010 1234 5678", .CN, "+861012345678", "Beijing"),
    PhoneParseCase("(11) 91234-5678", .BR, "+5511912345678", "Sao Paulo mobile"),
    PhoneParseCase("55 1234 5678", .MX, "+525512345678", "Mexico City"),
    PhoneParseCase("+971 50 123 4567", .GB, "+971501234567", "UAE: plan unknown, still E.164"),
    PhoneParseCase("0041 44 123 45 67", .GB, "+41441234567", "Zurich via 00"),
    PhoneParseCase("+353 85 123 4567", .GB, "+353851234567", "IE from GB"),
    PhoneParseCase("+39 (0)6 1234 5678", .GB, "+390612345678", "Italy keeps a bracketed 0: it is part of the number"),
    PhoneParseCase("+971 (0)50 123 4567", .GB, "+971501234567", "bracketed zero for a plan Ringside does not know"),
    PhoneParseCase("sip:+447814256404@pbx.example.com", .GB, "+447814256404", "SIP URI"),
    PhoneParseCase("sip:07814256404@10.0.0.1;user=phone", .GB, "+447814256404", "SIP URI national"),
]

/// Display expectations: national format at home, international abroad
/// (grouping checked against libphonenumber's NATIONAL/INTERNATIONAL formats).
struct PhoneFormatCase: Sendable, CustomTestStringConvertible {
    let e164: String
    let home: PhoneRegion
    let formatted: String
    let compact: String

    init(_ e164: String, _ home: PhoneRegion, formatted: String, compact: String) {
        self.e164 = e164
        self.home = home
        self.formatted = formatted
        self.compact = compact
    }

    var testDescription: String { "\(e164) seen from \(home.rawValue)" }
}

let phoneFormatCases: [PhoneFormatCase] = [
    PhoneFormatCase("+447814256404", .GB, formatted: "07814 256404", compact: "07814256404"),
    PhoneFormatCase("+447814256404", .US, formatted: "+44 7814 256404", compact: "+447814256404"),
    PhoneFormatCase("+442079460018", .GB, formatted: "020 7946 0018", compact: "02079460018"),
    PhoneFormatCase("+441214960000", .GB, formatted: "0121 496 0000", compact: "01214960000"),
    PhoneFormatCase("+441134960000", .GB, formatted: "0113 496 0000", compact: "01134960000"),
    PhoneFormatCase("+441223123456", .GB, formatted: "01223 123456", compact: "01223123456"),
    PhoneFormatCase("+448001234567", .GB, formatted: "0800 123 4567", compact: "08001234567"),
    PhoneFormatCase("+44800123456", .GB, formatted: "0800 123456", compact: "0800123456"),
    PhoneFormatCase("+14155552671", .US, formatted: "(415) 555-2671", compact: "4155552671"),
    PhoneFormatCase("+14155552671", .GB, formatted: "+1 415-555-2671", compact: "+14155552671"),
    PhoneFormatCase("+14165550134", .US, formatted: "(416) 555-0134", compact: "4165550134"),
    PhoneFormatCase("+14165550134", .CA, formatted: "(416) 555-0134", compact: "4165550134"),
    PhoneFormatCase("+18765551234", .US, formatted: "(876) 555-1234", compact: "8765551234"),
    PhoneFormatCase("+81312345678", .JP, formatted: "03-1234-5678", compact: "0312345678"),
    PhoneFormatCase("+81312345678", .GB, formatted: "+81 3-1234-5678", compact: "+81312345678"),
    PhoneFormatCase("+819012345678", .JP, formatted: "090-1234-5678", compact: "09012345678"),
    PhoneFormatCase("+81451234567", .JP, formatted: "045-123-4567", compact: "0451234567"),
    PhoneFormatCase("+81120123456", .JP, formatted: "0120-123-456", compact: "0120123456"),
    PhoneFormatCase("+818001234567", .JP, formatted: "0800-123-4567", compact: "08001234567"),
    PhoneFormatCase("+4930901820", .DE, formatted: "030 901820", compact: "030901820"),
    PhoneFormatCase("+4930901820", .GB, formatted: "+49 30 901820", compact: "+4930901820"),
    PhoneFormatCase("+4915123456789", .DE, formatted: "01512 3456789", compact: "015123456789"),
    PhoneFormatCase("+491711234567", .DE, formatted: "0171 1234567", compact: "01711234567"),
    PhoneFormatCase("+492211234567", .DE, formatted: "0221 1234567", compact: "02211234567"),
    PhoneFormatCase("+496131123456", .DE, formatted: "06131 123456", compact: "06131123456"),
    PhoneFormatCase("+33123456789", .FR, formatted: "01 23 45 67 89", compact: "0123456789"),
    PhoneFormatCase("+33612345678", .GB, formatted: "+33 6 12 34 56 78", compact: "+33612345678"),
    PhoneFormatCase("+61298765432", .AU, formatted: "(02) 9876 5432", compact: "0298765432"),
    PhoneFormatCase("+61298765432", .GB, formatted: "+61 2 9876 5432", compact: "+61298765432"),
    PhoneFormatCase("+61412345678", .AU, formatted: "0412 345 678", compact: "0412345678"),
    PhoneFormatCase("+611300123456", .AU, formatted: "1300 123 456", compact: "1300123456"),
    PhoneFormatCase("+919876543210", .IN, formatted: "098765 43210", compact: "09876543210"),
    PhoneFormatCase("+919876543210", .GB, formatted: "+91 98765 43210", compact: "+919876543210"),
    PhoneFormatCase("+911123456789", .IN, formatted: "011 2345 6789", compact: "01123456789"),
    PhoneFormatCase("+914842345678", .IN, formatted: "0484 234 5678", compact: "04842345678"),
    PhoneFormatCase("+390612345678", .IT, formatted: "06 1234 5678", compact: "0612345678"),
    PhoneFormatCase("+390612345678", .GB, formatted: "+39 06 1234 5678", compact: "+390612345678"),
    PhoneFormatCase("+393123456789", .IT, formatted: "312 345 6789", compact: "3123456789"),
    PhoneFormatCase("+353851234567", .IE, formatted: "085 123 4567", compact: "0851234567"),
    PhoneFormatCase("+35312345678", .IE, formatted: "(01) 234 5678", compact: "012345678"),
    PhoneFormatCase("+31612345678", .NL, formatted: "06 12345678", compact: "0612345678"),
    PhoneFormatCase("+31201234567", .NL, formatted: "020 123 4567", compact: "0201234567"),
    PhoneFormatCase("+34912345678", .ES, formatted: "912 34 56 78", compact: "912345678"),
    PhoneFormatCase("+41441234567", .CH, formatted: "044 123 45 67", compact: "0441234567"),
    PhoneFormatCase("+4681234567", .SE, formatted: "08-123 45 67", compact: "081234567"),
    PhoneFormatCase("+46701234567", .SE, formatted: "070-123 45 67", compact: "0701234567"),
    PhoneFormatCase("+46701234567", .GB, formatted: "+46 70 123 45 67", compact: "+46701234567"),
    PhoneFormatCase("+64211234567", .NZ, formatted: "021 123 4567", compact: "0211234567"),
    PhoneFormatCase("+6561234567", .SG, formatted: "6123 4567", compact: "61234567"),
    PhoneFormatCase("+85221234567", .HK, formatted: "2123 4567", compact: "21234567"),
    PhoneFormatCase("+8613123456789", .CN, formatted: "131 2345 6789", compact: "13123456789"),
    PhoneFormatCase("+861012345678", .CN, formatted: "010 1234 5678", compact: "01012345678"),
    PhoneFormatCase("+5511912345678", .BR, formatted: "(11) 91234-5678", compact: "11912345678"),
    PhoneFormatCase("+5511912345678", .GB, formatted: "+55 11 91234-5678", compact: "+5511912345678"),
    PhoneFormatCase("+525512345678", .MX, formatted: "55 1234 5678", compact: "5512345678"),
    PhoneFormatCase("+522221234567", .MX, formatted: "222 123 4567", compact: "2221234567"),
]

/// What kind of failure a junk input must produce.
enum PhoneFailure: String, Sendable {
    case empty, invalidCharacters, missingExtension, tooShort, tooLong, unknownCountryCode

    init(_ error: PhoneNumberError) {
        switch error {
        case .empty: self = .empty
        case .invalidCharacters: self = .invalidCharacters
        case .missingExtensionDigits: self = .missingExtension
        case .tooShort: self = .tooShort
        case .tooLong: self = .tooLong
        case .unknownCountryCode: self = .unknownCountryCode
        }
    }
}

/// Cases where Ringside deliberately differs from libphonenumber 9.0 (which
/// returns a number it then reports as invalid).
let phoneLenientCases: [PhoneParseCase] = [
    PhoneParseCase("+34 (0)912 34 56 78", .GB, "+34912345678", "Spain has no trunk 0: a bracketed one is dropped"),
    PhoneParseCase("+1 (0)415 555 2671", .GB, "+14155552671", "NANP with a stray bracketed 0"),
    PhoneParseCase("+52 1 55 1234 5678", .GB, "+525512345678", "Mexico's obsolete mobile 1 after +52"),
    PhoneParseCase("01 55 1234 5678", .MX, "+525512345678", "Mexico's obsolete national prefix 01"),
    PhoneParseCase("0 21 11 91234-5678", .BR, "+5511912345678", "Brazil trunk 0 and carrier code 21"),
]

let phoneRejectCases: [(String, PhoneRegion, PhoneFailure)] = [
    ("", .GB, .empty),
    ("   ", .GB, .empty),
    ("()- .", .GB, .empty),
    ("+", .GB, .empty),
    ("tel:", .US, .empty),
    ("07814-ABC", .GB, .invalidCharacters),
    ("call me", .GB, .invalidCharacters),
    ("1-800-FL", .US, .invalidCharacters),
    ("Mob 1-800-GO", .US, .invalidCharacters),
    ("Mobile", .GB, .invalidCharacters),
    ("07700 90012", .GB, .tooShort),
    ("07700 9001234", .GB, .tooLong),
    ("+44 7700 90012", .GB, .tooShort),
    ("020 7946 001", .GB, .tooShort),
    ("0151 2345678", .DE, .tooShort),
    ("44 7700 90012", .GB, .tooLong),
    ("++44 20 7946 0018", .GB, .invalidCharacters),
    ("44+20 7946 0018", .GB, .invalidCharacters),
    ("020 7946 0018 x12y", .GB, .invalidCharacters),
    ("020 7946 0018 x 1*2", .GB, .invalidCharacters),
    ("020 7946 * 0018", .GB, .invalidCharacters),
    ("\u{1B}]0;pwned\u{07}07814 256404", .GB, .invalidCharacters),
    ("07814 256404\u{1B}[2J", .GB, .invalidCharacters),
    ("x123", .GB, .invalidCharacters),
    ("07814 256404 ext", .GB, .missingExtension),
    ("07814 256404 x", .GB, .missingExtension),
    ("tel:+1-201-555-0123;ext=", .US, .missingExtension),
    ("+44 12", .GB, .tooShort),
    ("07814 2564", .GB, .tooShort),
    ("123456", .GB, .tooShort),
    ("(415) 555-267", .US, .tooShort),
    ("+49 30 90", .DE, .tooShort),
    ("+1 876 555", .GB, .tooShort),
    ("078142564041234", .GB, .tooLong),
    ("(415) 555-26712", .US, .tooLong),
    ("01 23 45 67 89 0", .FR, .tooLong),
    ("+971 50 123 4567 8901", .GB, .tooLong),
    ("1234567890123456789012345678901234567890", .GB, .tooLong),
    ("+999 1234 5678", .GB, .unknownCountryCode),
    ("+0 20 7946 0018", .GB, .unknownCountryCode),
    ("00 28 1234 5678", .GB, .unknownCountryCode),
    ("011 0 20 7946 0018", .US, .unknownCountryCode),
]

let phoneInternalCases: [(String, Int, String, String?)] = [
    ("2001", 5, "2001", nil),
    ("20-01", 5, "2001", nil),
    (" 12345 ", 5, "12345", nil),
    ("123456", 6, "123456", nil),
    ("2001 x5", 5, "2001", "5"),
    ("０１２３", 5, "0123", nil),
    ("tel:2001", 5, "2001", nil),
    ("7", 5, "7", nil),
]

@Suite("PhoneNumber parsing and formatting")
struct PhoneNumberTests {
    @Test("parses real numbers in every written form", arguments: phoneParseCases)
    func parses(_ c: PhoneParseCase) throws {
        let number = try PhoneNumber.parse(c.raw, defaultRegion: c.region)
        #expect(number.e164 == c.e164)
        #expect(number.extensionDigits == c.ext)
        #expect(number.kind == .external)
        let code = try #require(number.countryCode)
        #expect("+\(code)\(number.nationalNumber)" == c.e164)
        #expect(number.matchKey == c.e164)
    }

    @Test("normalises forms libphonenumber leaves invalid", arguments: phoneLenientCases)
    func lenient(_ c: PhoneParseCase) throws {
        #expect(try PhoneNumber.parse(c.raw, defaultRegion: c.region).e164 == c.e164)
    }

    @Test("formats with national grouping at home and international grouping abroad", arguments: phoneFormatCases)
    func formats(_ c: PhoneFormatCase) throws {
        let number = try PhoneNumber.parse(c.e164, defaultRegion: .GB)
        #expect(number.formatted(relativeTo: c.home) == c.formatted)
        #expect(number.compact(relativeTo: c.home) == c.compact)
    }

    @Test("formatted and compact forms parse back to the same number", arguments: phoneParseCases)
    func roundTrips(_ c: PhoneParseCase) throws {
        let number = try PhoneNumber.parse(c.raw, defaultRegion: c.region)
        for home in [c.region, .GB, .US, .JP, .DE] {
            let shown = number.formatted(relativeTo: home)
            let reparsed = try PhoneNumber.parse(shown, defaultRegion: home)
            #expect(reparsed.e164 == number.e164, "\(shown) from \(home)")
            #expect(reparsed.extensionDigits == number.extensionDigits, "\(shown) from \(home)")
            let compact = number.compact(relativeTo: home)
            #expect(!compact.contains(" "))
            #expect(try PhoneNumber.parse(compact, defaultRegion: home).e164 == number.e164, "\(compact) from \(home)")
        }
    }

    @Test("rejects junk with the right error", arguments: phoneRejectCases)
    func rejects(_ raw: String, _ region: PhoneRegion, _ expected: PhoneFailure) {
        do {
            let number = try PhoneNumber.parse(raw, defaultRegion: region)
            Issue.record("\(raw) parsed as \(number.e164); expected \(expected)")
        } catch {
            #expect(PhoneFailure(error) == expected, "\(error)")
        }
    }

    @Test("short digit strings are internal numbers", arguments: phoneInternalCases)
    func internalNumbers(_ raw: String, _ limit: Int, _ digits: String, _ ext: String?) throws {
        let number = try PhoneNumber.parse(raw, defaultRegion: .GB, internalNumberDigits: limit)
        #expect(number.kind == .internal)
        #expect(number.isInternal)
        #expect(number.e164 == digits)
        #expect(number.nationalNumber == digits)
        #expect(number.countryCode == nil)
        #expect(number.region == nil)
        #expect(number.extensionDigits == ext)
        #expect(number.compact(relativeTo: .GB) == digits)
        #expect(number.formatted(relativeTo: .US) == digits + (ext.map { " ext. \($0)" } ?? ""))
    }

    @Test func internalThresholdIsConfigurable() throws {
        #expect(try PhoneNumber.parse("123456", defaultRegion: .GB, internalNumberDigits: 6).isInternal)
        #expect(throws: PhoneNumberError.self) { try PhoneNumber.parse("2001", defaultRegion: .GB, internalNumberDigits: 0) }
        // A leading + always means an external number, however short.
        #expect(throws: PhoneNumberError.self) { try PhoneNumber.parse("+2001", defaultRegion: .GB) }
    }

    @Test func extensionIsFormattedButNotCompacted() throws {
        let number = try PhoneNumber.parse("020 7946 0018 x123", defaultRegion: .GB)
        #expect(number.formatted(relativeTo: .GB) == "020 7946 0018 ext. 123")
        #expect(number.formatted(relativeTo: .US) == "+44 20 7946 0018 ext. 123")
        #expect(number.compact(relativeTo: .GB) == "02079460018")
    }

    @Test func unknownPlanIsShownAsPlainE164() throws {
        let number = try PhoneNumber.parse("+971 50 123 4567", defaultRegion: .GB)
        #expect(number.region == nil)
        #expect(number.countryCode == 971)
        #expect(number.formatted(relativeTo: .GB) == "+971 501234567")
        #expect(number.compact(relativeTo: .GB) == "+971501234567")
    }

    @Test("+1 numbers get their region from the area code", arguments: [
        ("(415) 555-2671", PhoneRegion.US, PhoneRegion?.some(.US)),
        ("(416) 555-0134", .US, .CA),
        ("415 555 2671", .CA, .US),
        ("+1 604 555 0188", .GB, .CA),
        ("+1 876 555 1234", .US, nil),
        ("07814 256404", .GB, .GB),
        ("+81 3-1234-5678", .US, .JP),
    ])
    func regionOfNumber(_ raw: String, _ home: PhoneRegion, _ expected: PhoneRegion?) throws {
        #expect(try PhoneNumber.parse(raw, defaultRegion: home).region == expected)
    }

    @Test("every international prefix of a region reaches another country", arguments: PhoneRegion.allCases)
    func internationalPrefixes(_ region: PhoneRegion) throws {
        #expect(!region.internationalPrefixes.isEmpty)
        for prefix in region.internationalPrefixes {
            let number = try PhoneNumber.parse(prefix + " 44 20 7946 0018", defaultRegion: region)
            #expect(number.e164 == "+442079460018", "\(prefix) from \(region)")
        }
    }

    @Test("011 is international only from the NANP", arguments: PhoneRegion.allCases)
    func zeroOneOne(_ region: PhoneRegion) {
        let number = try? PhoneNumber.parse("011 44 20 7946 0018", defaultRegion: region)
        if region.isNANP {
            #expect(number?.e164 == "+442079460018")
        } else {
            #expect(number?.e164 != "+442079460018")
        }
    }

    @Test("region table is consistent", arguments: PhoneRegion.allCases)
    func regionTable(_ region: PhoneRegion) throws {
        let main = try #require(PhoneRegion.region(forCountryCode: region.countryCode))
        #expect(main == region || (region == .CA && main == .US))
        #expect(PhoneRegion.isAssignedCountryCode(region.countryCode))
        #expect(PhoneRegion(code: region.rawValue.lowercased()) == region)
        #expect(region.nationalNumberLengths.lowerBound > 5)
        #expect(region.countryCode == 1 ? region.isNANP : !region.isNANP)
        if let trunk = region.trunkPrefix {
            #expect(trunk == (region.isNANP ? "1" : "0"))
        }
        #expect(!region.name.isEmpty)
    }

    @Test func regionCodes() {
        #expect(PhoneRegion(code: "uk") == .GB)
        #expect(PhoneRegion(code: "Jp") == .JP)
        #expect(PhoneRegion(code: "XX") == nil)
        #expect(PhoneRegion(code: "ＧＢ") == nil)
        #expect(PhoneRegion.region(forCountryCode: 999) == nil)
        #expect(!PhoneRegion.isAssignedCountryCode(999))
        #expect(!PhoneRegion.isAssignedCountryCode(28))
        #expect(PhoneRegion.isAssignedCountryCode(971))
        #expect(PhoneRegion.IT.trunkPrefix == nil)
        #expect(PhoneRegion.CA.countryCode == PhoneRegion.US.countryCode)
    }

    @Test func errorMessagesSayWhatToDo() {
        func message(_ raw: String, _ region: PhoneRegion = .GB) -> String {
            do {
                _ = try PhoneNumber.parse(raw, defaultRegion: region)
                return "parsed"
            } catch {
                return error.description
            }
        }
        #expect(message("+44 12") == "\"+44 12\" is too short for GB (needs 9–10 digits after +44, found 2); check for missing digits")
        #expect(message("(415) 555-267", .US).contains("needs 10 digits after +1, found 9"))
        #expect(message("07814-ABC").contains("\"ABC\""))
        #expect(message("+999 1234 5678").contains("+999"))
        #expect(message("07814 256404 ext").contains("extension"))
        #expect(message("").contains("no digits"))
        let hostile = message("\u{1B}]0;pwned\u{07}Mallory")
        #expect(!hostile.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(hostile.contains("\\u{1B}"))
        #expect(message(String(repeating: "A", count: 500)).count < 300)
    }

    @Test func errorsAreTypedAndEquatable() {
        #expect(throws: PhoneNumberError.empty(input: "")) { try PhoneNumber.parse("", defaultRegion: .GB) }
        #expect(throws: PhoneNumberError.invalidCharacters(input: "07814-ABC", found: "ABC")) {
            try PhoneNumber.parse("07814-ABC", defaultRegion: .GB)
        }
        #expect(throws: PhoneNumberError.tooShort(input: "+44 12", region: .GB, countryCode: 44, digits: 2, needed: 9...10)) {
            try PhoneNumber.parse("+44 12", defaultRegion: .US)
        }
    }

    @Test("random input either parses to a well-formed number or throws")
    func fuzz() {
        var rng = PhoneFuzzRNG(state: 0x5EED_CA11)
        let alphabet: [String] = [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "0", "1", "4", "4",
            " ", "-", ".", "(", ")", "(0)", "+", "00", "011", "x", "ext.", "#", ";ext=", "tel:", "sip:", "@",
            "A", "z", "é", "０", "９", "ー", "\u{1B}", "\u{0}", "😀", "/", "*", ";", "\u{A0}", "०",
        ]
        let regions = PhoneRegion.allCases
        var parsed = 0
        for _ in 0..<30_000 {
            var raw = ""
            for _ in 0..<Int.random(in: 0...24, using: &rng) { raw += alphabet.randomElement(using: &rng)! }
            let region = regions.randomElement(using: &rng)!
            let limit = Int.random(in: -1...6, using: &rng)
            do {
                let number = try PhoneNumber.parse(raw, defaultRegion: region, internalNumberDigits: limit)
                parsed += 1
                switch number.kind {
                case .internal:
                    #expect(number.e164.allSatisfy(\.isASCII) && number.e164.allSatisfy(\.isNumber), "\(raw)")
                    #expect(number.e164.count <= limit, "\(raw)")
                case .external:
                    #expect(number.e164.hasPrefix("+") && number.e164.count <= 16, "\(raw) → \(number.e164)")
                    #expect(number.e164.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }, "\(raw)")
                    let again = try? PhoneNumber.parse(number.e164, defaultRegion: region)
                    #expect(again?.e164 == number.e164, "\(raw) → \(number.e164)")
                    _ = number.formatted(relativeTo: region)
                    _ = number.compact(relativeTo: region)
                }
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(parsed > 100, "the fuzzer should produce some valid numbers too")
    }
}

/// A small seeded generator so the fuzz test is reproducible.
typealias PhoneFuzzRNG = SeededRNG
