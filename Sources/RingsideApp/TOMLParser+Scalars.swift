import Foundation

/// Numbers, dates and times: the same grammar as `tomllib`'s regular expressions, matched by hand.
extension TOMLParser {
    func byte(_ offset: Int) -> UInt8? { pos + offset < bytes.count ? bytes[pos + offset] : nil }

    func digits(at offset: Int, count: Int) -> Int? {
        var value = 0
        for index in offset..<offset + count {
            guard let c = byte(index), c.isASCIIDigit else { return nil }
            value = value * 10 + Int(c - 0x30)
        }
        return value
    }

    /// `HH:MM:SS(.fraction)?` at `offset`: the time and its length.
    func time(at offset: Int) -> (TOMLDateTime.Time, Int)? {
        guard let hour = digits(at: offset, count: 2), hour <= 23, byte(offset + 2) == UInt8(ascii: ":"),
              let minute = digits(at: offset + 3, count: 2), minute <= 59, byte(offset + 5) == UInt8(ascii: ":"),
              let second = digits(at: offset + 6, count: 2), second <= 59 else { return nil }
        var length = 8
        var nanosecond = 0
        if byte(offset + 8) == UInt8(ascii: "."), let first = byte(offset + 9), first.isASCIIDigit {
            length = 9
            var scale = 100_000_000
            while let c = byte(offset + length), c.isASCIIDigit {
                nanosecond += Int(c - 0x30) * scale
                scale /= 10
                length += 1
            }
        }
        return (TOMLDateTime.Time(hour: hour, minute: minute, second: second, nanosecond: nanosecond), length)
    }

    mutating func parseDateTime() throws(TOMLError) -> TOMLDateTime? {
        if let year = digits(at: 0, count: 4), byte(4) == UInt8(ascii: "-"),
           let month = digits(at: 5, count: 2), (1...12).contains(month), byte(7) == UInt8(ascii: "-"),
           let day = digits(at: 8, count: 2), (1...31).contains(day) {
            var value = TOMLDateTime(date: TOMLDateTime.Date(year: year, month: month, day: day))
            var length = 10
            if let separator = byte(10), separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20,
               let (time, timeLength) = time(at: 11) {
                value.time = time
                length = 11 + timeLength
                if let z = byte(length), z == UInt8(ascii: "Z") || z == UInt8(ascii: "z") {
                    value.offsetMinutes = 0
                    length += 1
                } else if let sign = byte(length), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                          let hours = digits(at: length + 1, count: 2), hours <= 23, byte(length + 3) == UInt8(ascii: ":"),
                          let minutes = digits(at: length + 4, count: 2), minutes <= 59 {
                    value.offsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
                    length += 6
                }
            }
            guard year >= 1, day <= Self.daysIn(month: month, year: year) else {
                throw error("\(String(decoding: bytes[pos..<pos + 10], as: UTF8.self)) is not a real date")
            }
            pos += length
            return value
        }
        if let (time, length) = time(at: 0) {
            pos += length
            return TOMLDateTime(time: time)
        }
        return nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Digits of `isDigit` separated by single underscores, at `offset`; returns the end offset, or nil if none.
    func digitRun(at offset: Int, _ isDigit: (UInt8) -> Bool) -> Int? {
        guard let first = byte(offset), isDigit(first) else { return nil }
        var end = offset + 1
        while true {
            if let c = byte(end), isDigit(c) { end += 1; continue }
            if byte(end) == UInt8(ascii: "_"), let c = byte(end + 1), isDigit(c) { end += 2; continue }
            return end
        }
    }

    mutating func parseNumber() throws(TOMLError) -> TOMLValue? {
        let start = pos
        // 0x, 0o, 0b integers (no sign).
        if byte(0) == UInt8(ascii: "0"), let kind = byte(1) {
            let radix: Int? = switch kind {
            case UInt8(ascii: "x"): 16
            case UInt8(ascii: "o"): 8
            case UInt8(ascii: "b"): 2
            default: nil
            }
            if let radix, let end = digitRun(at: 2, { c in
                switch radix {
                case 16: c.isASCIIHexDigit
                case 8: c >= 0x30 && c <= 0x37
                default: c == 0x30 || c == 0x31
                }
            }) {
                let text = String(decoding: bytes[pos + 2..<pos + end], as: UTF8.self).replacingOccurrences(of: "_", with: "")
                guard let value = Int(text, radix: radix) else { throw error("the integer \(snippet()) does not fit in 64 bits") }
                pos += end
                return .integer(value)
            }
        }
        var end = 0
        if let sign = byte(0), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { end = 1 }
        if byte(end) == UInt8(ascii: "0") {
            end += 1
        } else if let c = byte(end), c >= 0x31 && c <= 0x39, let run = digitRun(at: end, { $0.isASCIIDigit }) {
            end = run
        } else {
            return nil
        }
        var isFloat = false
        if byte(end) == UInt8(ascii: "."), let run = digitRun(at: end + 1, { $0.isASCIIDigit }) {
            end = run
            isFloat = true
        }
        if let e = byte(end), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var exponent = end + 1
            if let sign = byte(exponent), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exponent += 1 }
            if let run = digitRun(at: exponent, { $0.isASCIIDigit }) {
                end = run
                isFloat = true
            }
        }
        let text = String(decoding: bytes[start..<start + end], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        if isFloat {
            guard let value = Double(text) else { throw error("can't read the number \(text)") }
            pos += end
            return .float(value)
        }
        guard let value = Int(text) else { throw error("the integer \(text) does not fit in 64 bits") }
        pos += end
        return .integer(value)
    }
}
