import Foundation

/// A number-list filter as typed: name words (folded: case, accents and width ignored) and digits.
///
/// `"fred 0781"` → words `["fred"]`, digits `"0781"`. A token made only of digits and phone punctuation
/// (`+44`, `(020)`, `7946-0018`) is digits; any other token is a name word. An entry matches when every
/// word occurs in its folded name and the digits (when any) occur in its E.164 or raw number's digits.
public struct NumberListFilter: Hashable, Sendable {
    /// Folded name words, each as UTF-8 bytes.
    public let words: [[UInt8]]
    /// The digits typed, in order.
    public let digits: [UInt8]

    public init(_ text: String) {
        var words: [[UInt8]] = []
        var digits: [UInt8] = []
        for token in text.split(whereSeparator: \.isWhitespace) {
            let isNumber = token.contains(where: \.isASCIIDigit) && token.allSatisfy { $0.isASCIIDigit || Self.punctuation.contains($0) }
            if isNumber {
                digits += token.utf8.filter { $0 >= 48 && $0 <= 57 }
            } else {
                let folded = NumberListFilter.fold(String(token))
                if !folded.isEmpty { words.append(folded) }
            }
        }
        self.words = words
        self.digits = digits
    }

    /// True when the filter keeps everything.
    public var isEmpty: Bool { words.isEmpty && digits.isEmpty }

    /// Whether every entry this filter keeps is also kept by `previous` (so its result can be narrowed).
    public func narrows(_ previous: NumberListFilter) -> Bool {
        previous.words.allSatisfy { old in words.contains { Self.contains($0[...], old) } }
            && (previous.digits.isEmpty || Self.contains(digits[...], previous.digits))
    }

    static let punctuation: Set<Character> = ["+", "-", "(", ")", ".", "/", "*", "#"]

    /// A name folded for matching: lower case, no accents, no width variants, as UTF-8 bytes.
    public static func fold(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            guard byte < 0x80 else {
                let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
                return Array(folded.lowercased().utf8)
            }
            bytes.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
        }
        return bytes
    }

    /// Whether `needle` occurs in `haystack` (bytes).
    @inlinable
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { n in occurs(n, in: h) } }
    }

    /// Whether `needle` occurs in `haystack`: first-byte scan, then compare.
    @inlinable
    static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = needle.count
        if m == 0 { return true }
        let n = haystack.count
        guard m <= n, let h = haystack.baseAddress, let p = needle.baseAddress else { return false }
        let first = p[0]
        var i = 0
        let last = n - m
        while i <= last {
            if h[i] == first {
                var j = 1
                while j < m, h[i + j] == p[j] { j += 1 }
                if j == m { return true }
            }
            i += 1
        }
        return false
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
