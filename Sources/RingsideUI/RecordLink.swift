import RingsideCore

/// Web links of CRM records (pure).
public enum RecordLink {
    /// The Lightning page of a Salesforce record, `<instance>/lightning/r/<Object>/<Id>/view`; nil when the
    /// instance is not an http(s) URL or the id is not a Salesforce id (nothing from the CRM ends up unescaped).
    public static func lightning(base: String, _ entity: EntityRef) -> String? {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("https://") || base.hasPrefix("http://"),
              base.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"\"<>\\^`{|}".unicodeScalars.contains($0) }),
              [15, 18].contains(entity.id.count), entity.id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return "\(base)/lightning/r/\(entity.type.rawValue)/\(entity.id)/view"
    }
}
