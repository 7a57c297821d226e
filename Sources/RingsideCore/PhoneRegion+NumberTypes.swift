extension PhoneRegion {
    /// Valid NSN lengths for a number beginning with `first` (and `second`) where the number's type fixes
    /// them more tightly than ``nationalNumberLengths`` (from libphonenumber's metadata): GB mobiles (`7…`)
    /// and London (`2…`) have 10 digits, so `07700 90012` is a mobile missing a digit, not a valid number.
    /// Other leading digits keep the plan's range.
    func nationalNumberLengths(first: UInt8, second: UInt8?) -> ClosedRange<Int> {
        switch self {
        case .GB:
            switch first {
            case 1: return 9...10
            case 2, 3, 5, 7, 9: return 10...10
            default: return nationalNumberLengths
            }
        case .DE:
            guard first == 1, let second else { return nationalNumberLengths }
            if second == 5 { return 11...11 }  // 015x mobiles
            if second == 6 || second == 7 { return 10...11 }  // 016x, 017x mobiles
            return nationalNumberLengths
        case .NL:
            return first == 6 ? 9...9 : nationalNumberLengths  // 06 mobiles
        case .IE:
            return first == 8 ? 9...9 : nationalNumberLengths  // 08x mobiles
        case .JP:
            return (7...9).contains(first) && second == 0 ? 10...10 : nationalNumberLengths  // 070/080/090
        case .AU:
            return first == 4 ? 9...9 : nationalNumberLengths  // 04 mobiles
        case .US, .CA, .FR, .IN, .ES, .IT, .CH, .SE, .NZ, .SG, .HK, .CN, .BR, .MX:
            return nationalNumberLengths
        }
    }

    /// Whether `count` digits from `start` are a possible NSN of this plan, by type.
    func isPossibleNSN(_ digits: DigitBuffer, from start: Int) -> Bool {
        let count = digits.count - start
        guard count > 0 else { return false }
        let second: UInt8? = count > 1 ? digits[start + 1] : nil
        return nationalNumberLengths(first: digits[start], second: second).contains(count)
    }
}
