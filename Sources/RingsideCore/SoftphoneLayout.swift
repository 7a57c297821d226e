/// Seed 001's Softphone Layout screen-pop settings: what Ringside opens by itself, and when.
///
/// Pure values: the call machine asks `popsNow` at ring, at answer and when the lookup answers,
/// and `newest(of:)` when several records match. Nothing here is the agent's choice: a record the
/// layout opens is recorded with its own rule or note (see `Association`).
public struct SoftphoneLayout: Hashable, Sendable, Codable {
    /// When the record (or the no-match action) pops for a call direction.
    public enum PopTiming: String, Hashable, Sendable, Codable, CaseIterable {
        /// As soon as the lookup answers while the call rings (dialling, for an outbound call), or later.
        case ring
        /// When the call is answered (connected), once the lookup has answered.
        case answer
        /// Nothing opens by itself: the Pop/Search/New keys only (the behaviour before layouts).
        case never
    }

    /// Several matching records.
    public enum MultipleMatches: String, Hashable, Sendable, Codable, CaseIterable {
        /// The search list; the agent chooses (rule 4 until they do).
        case list
        /// The most recently modified match (LastModifiedDate) is picked automatically; the list stays open to override.
        case newest
    }

    /// No matching record.
    public enum NoMatch: String, Hashable, Sendable, Codable, CaseIterable {
        /// The New key is offered (a form asking for a name).
        case newForm = "new_form"
        /// A record is created at the pop moment, named after the number.
        case create
        /// No New offer: the call is logged unassociated (rule 6).
        case nothing
    }

    public var inboundPop: PopTiming
    public var outboundPop: PopTiming
    public var multipleMatches: MultipleMatches
    public var noMatch: NoMatch
    /// Entities New may create (empty: only `crm.default_new_entity`).
    public var newEntities: [EntityType]

    public init(inboundPop: PopTiming = .never, outboundPop: PopTiming = .never, multipleMatches: MultipleMatches = .list,
                noMatch: NoMatch = .newForm, newEntities: [EntityType] = []) {
        self.inboundPop = inboundPop
        self.outboundPop = outboundPop
        self.multipleMatches = multipleMatches
        self.noMatch = noMatch
        self.newEntities = newEntities
    }

    public func pop(for direction: CallDirection) -> PopTiming {
        switch direction {
        case .inbound: inboundPop
        case .outbound: outboundPop
        }
    }

    /// Whether the layout's pop happens now, for a call in `direction` that is `answered` or not.
    public func popsNow(direction: CallDirection, answered: Bool) -> Bool {
        switch pop(for: direction) {
        case .ring: true
        case .answer: answered
        case .never: false
        }
    }

    /// The record "newest" picks: latest `lastModified`, then the type precedence and id (stable).
    public static func newest(of records: [CRMRecord]) -> CRMRecord? {
        records.min { a, b in
            if a.lastModified != b.lastModified { return a.lastModified > b.lastModified }
            return Matcher.precedes(a, b)
        }
    }

    /// The entity New creates: the configured default when allowed, else the first allowed one.
    public func newEntity(default preferred: EntityType) -> EntityType {
        newEntities.first.map { newEntities.contains(preferred) ? preferred : $0 } ?? preferred
    }

    /// Every entity the New form offers, the default first.
    public func newChoices(default preferred: EntityType) -> [EntityType] {
        let first = newEntity(default: preferred)
        return [first] + newEntities.filter { $0 != first }
    }
}

extension CallMachine {
    /// The entities the New form offers for this call: its decision's entity first, then the others the layout allows.
    public func newChoices(_ settings: MatchSettings) -> [EntityType] {
        let layout = self.layout ?? settings.layout
        guard case .finished(.new(let type), _) = match else { return layout.newChoices(default: settings.defaultNewEntity) }
        return [type] + layout.newChoices(default: settings.defaultNewEntity).filter { $0 != type }
    }
}
