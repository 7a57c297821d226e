/// The one action the call panel offers for a lookup result.
public enum PopDecision: Hashable, Sendable, Codable {
    /// Exactly one match: open it.
    case pop(CRMRecord)
    /// Several matches, ordered by precedence then newest first: let the agent choose.
    case search([CRMRecord])
    /// No match: offer to create a record of this entity type.
    case new(EntityType)

    /// Every candidate the decision was made from (empty for `.new`).
    public var candidates: [CRMRecord] {
        switch self {
        case .pop(let record): [record]
        case .search(let records): records
        case .new: []
        }
    }
}

/// Which entities are searched and what **New** creates (seed 001 softphone layout settings).
public struct MatchSettings: Hashable, Sendable, Codable {
    public var searchedEntities: [EntityType]
    public var defaultNewEntity: EntityType
    /// Screen-pop behaviour (`[layout]`).
    public var layout: SoftphoneLayout

    public init(searchedEntities: [EntityType] = [.contact, .account, .lead], defaultNewEntity: EntityType = .lead,
                layout: SoftphoneLayout = SoftphoneLayout()) {
        self.searchedEntities = searchedEntities
        self.defaultNewEntity = defaultNewEntity
        self.layout = layout
    }
}

/// Turns lookup candidates into a pop decision: filtered to searched entities,
/// ordered Contact → Account → Lead, most recently modified first within a type.
public enum Matcher {
    public static func decide(_ candidates: [CRMRecord], settings: MatchSettings) -> PopDecision {
        let searched = Set(settings.searchedEntities)
        var seen = Set<String>()
        // Sort before removing duplicates so the newest copy of a record matched twice is the one kept.
        let ordered = candidates
            .filter { searched.contains($0.type) }
            .sorted(by: precedes)
            .filter { seen.insert($0.id).inserted }
        switch ordered.count {
        case 0: return .new(settings.layout.newEntity(default: settings.defaultNewEntity))
        case 1: return .pop(ordered[0])
        default: return .search(ordered)
        }
    }

    /// Precedence order: entity type, then newest `lastModified`, then id for a stable order.
    public static func precedes(_ a: CRMRecord, _ b: CRMRecord) -> Bool {
        if a.type.precedence != b.type.precedence { return a.type.precedence < b.type.precedence }
        if a.lastModified != b.lastModified { return a.lastModified > b.lastModified }
        return a.id < b.id
    }
}
