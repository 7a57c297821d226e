/// One dialable entry of the console's number list: a favourite, a recent call, or a directory record.
public struct NumberListEntry: Hashable, Sendable, Identifiable {
    public enum Kind: String, Hashable, Sendable { case favourite, recent, directory }

    public var kind: Kind
    public var name: String
    /// The number as stored (display it formatted via `PhoneNumber`).
    public var raw: String
    public var e164: String?
    /// The record dialled from (click-to-dial association, rule 1); nil for bare numbers.
    public var entity: EntityRef?
    /// Phone field API name, e.g. `MobilePhone`.
    public var field: String?

    public var id: String { "\(kind.rawValue)|\(entity?.id ?? "")|\(raw)" }

    public init(kind: Kind, name: String, raw: String, e164: String?, entity: EntityRef?, field: String? = nil) {
        self.kind = kind
        self.name = name
        self.raw = raw
        self.e164 = e164
        self.entity = entity
        self.field = field
    }
}
