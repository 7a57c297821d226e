/// Salesforce record ids: 15-char case-sensitive base-62, or 18-char with a 3-char case checksum.
public enum SalesforceId {
    static let checksumAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// The 3-char checksum suffix for a 15-char id.
    public static func checksum(_ id15: String) -> String {
        let chars = Array(id15)
        precondition(chars.count == 15, "checksum needs a 15-char id")
        var suffix = ""
        for chunk in 0..<3 {
            var n = 0
            for i in 0..<5 where chars[chunk * 5 + i].isUppercase && chars[chunk * 5 + i].isASCII {
                n |= 1 << i
            }
            suffix.append(checksumAlphabet[n])
        }
        return suffix
    }

    /// The 18-char form of a well-formed 15- or 18-char id, or nil when malformed.
    public static func normalize(_ id: String) -> String? {
        guard id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        switch id.count {
        case 15:
            return id + checksum(id)
        case 18:
            let id15 = String(id.prefix(15))
            guard checksum(id15) == id.suffix(3).uppercased() else { return nil }
            return id15 + checksum(id15)
        default:
            return nil
        }
    }

    public static func isWellFormed(_ id: String) -> Bool {
        normalize(id) != nil
    }

    /// The 3-char key prefix of an id.
    public static func keyPrefix(of id: String) -> String {
        String(id.prefix(3))
    }

    /// Makes the `n`-th id for a key prefix (18 chars). `pod` distinguishes generators.
    static func make(prefix: String, pod: String = "Dg", counter: Int) -> String {
        var digits: [Character] = []
        var value = counter
        for _ in 0..<8 {
            digits.append(base62[value % 62])
            value /= 62
        }
        let id15 = prefix + pod + "00" + String(digits.reversed())
        return id15 + checksum(id15)
    }
}
