/// Encodes payloads as netstrings: `<decimal length>:<payload>,`.
public struct NetstringEncoder: Sendable {
    public init() {}

    /// The netstring framing of `payload`.
    public func encode(_ payload: [UInt8]) -> [UInt8] {
        var out = Array(String(payload.count).utf8)
        out.reserveCapacity(out.count + payload.count + 2)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: payload)
        out.append(UInt8(ascii: ","))
        return out
    }
}
