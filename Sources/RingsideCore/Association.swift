/// Something the agent did during a call that names an entity (association rule 3 and 5).
public enum Interaction: Hashable, Sendable, Codable {
    /// Opened the single match's detail pane (Pop).
    case popped(EntityRef)
    /// Picked a record from the Search list.
    case selected(EntityRef)
    /// Navigated to a record (quick find, pasted ID) during the call.
    case navigated(EntityRef)
    /// Created a record with **New**.
    case created(EntityRef)

    public var entity: EntityRef {
        switch self {
        case .popped(let e), .selected(let e), .navigated(let e), .created(let e): e
        }
    }
}

/// The seed-001 rule that decided a call record's association.
public enum AssociationRule: Int, Hashable, Sendable, Codable, CustomStringConvertible {
    case clickToDial = 1
    case singleMatch = 2
    case agentChoice = 3
    case multipleMatchesNoSelection = 4
    case newRecord = 5
    case noMatch = 6
    case transferReceiverLooksUpAfresh = 7
    case internalCall = 8
    /// Not one of the guide's eight: the `[layout] multiple_matches = "newest"` setting picked the record.
    case newestOfSeveral = 9

    public var description: String {
        switch self {
        case .clickToDial: "rule 1: dialled from this record"
        case .singleMatch: "rule 2: the only match"
        case .agentChoice: "rule 3: chosen by the agent"
        case .multipleMatchesNoSelection: "rule 4: several matches, none chosen"
        case .newRecord: "rule 5: record created with New"
        case .noMatch: "rule 6: no match"
        case .transferReceiverLooksUpAfresh: "rule 7: transferred call, looked up afresh"
        case .internalCall: "rule 8: internal call, never associated"
        case .newestOfSeveral: "layout: newest of several matches, picked automatically"
        }
    }
}

/// Everything the association rules look at, collected while the call runs.
public struct AssociationInput: Hashable, Sendable, Codable {
    public var isInternal: Bool
    public var clickToDial: EntityRef?
    /// nil while the lookup has not answered (or failed).
    public var decision: PopDecision?
    /// In the order they happened; the last one wins.
    public var interactions: [Interaction]
    /// A Case/Opportunity/Account picked as "Related to" (WhatId).
    public var relatedTo: EntityRef?
    /// The match the layout picked among several (`multiple_matches = "newest"`); the agent's choice overrides it.
    public var pickedNewest: EntityRef?
    /// The layout created the record by itself (`no_match = "create"`), not the agent's New.
    public var createdByLayout: Bool?

    public init(isInternal: Bool, clickToDial: EntityRef? = nil, decision: PopDecision? = nil,
                interactions: [Interaction] = [], relatedTo: EntityRef? = nil) {
        self.isInternal = isInternal
        self.clickToDial = clickToDial
        self.decision = decision
        self.interactions = interactions
        self.relatedTo = relatedTo
    }
}

/// The entity a call record is written against, split into Task `WhoId` / `WhatId`.
public struct AssociationResult: Hashable, Sendable, Codable {
    public var primary: EntityRef?
    public var who: EntityRef?
    public var what: EntityRef?
    public var rule: AssociationRule
    /// Explains an adjustment, e.g. why a Lead has no Related-to.
    public var note: String?

    public init(primary: EntityRef?, who: EntityRef?, what: EntityRef?, rule: AssociationRule, note: String? = nil) {
        self.primary = primary
        self.who = who
        self.what = what
        self.rule = rule
        self.note = note
    }
}

/// The eight call-record association rules of the CTI adapter guide, as a pure function.
public enum Association {
    public static func resolve(_ input: AssociationInput) -> AssociationResult {
        if input.isInternal { return AssociationResult(primary: nil, who: nil, what: nil, rule: .internalCall) }
        let (primary, rule) = primaryEntity(input)
        var result = split(primary, relatedTo: input.relatedTo, rule: rule)
        if let note = layoutNote(input, rule: rule) {
            result.note = result.note.map { "\(note). \($0)" } ?? note
        }
        return result
    }

    /// What the layout did by itself, said on the record so nobody reads it as the agent's choice.
    static func layoutNote(_ input: AssociationInput, rule: AssociationRule) -> String? {
        switch rule {
        case .newestOfSeveral:
            let count = input.decision?.candidates.count ?? 0
            return "Picked automatically: the most recently modified of \(count) matches ([layout] multiple_matches = newest); the agent chose none"
        case .newRecord where input.createdByLayout == true:
            return "Created automatically because nothing matched ([layout] no_match = create), not by the agent"
        case .clickToDial, .singleMatch, .agentChoice, .multipleMatchesNoSelection, .newRecord, .noMatch,
             .transferReceiverLooksUpAfresh, .internalCall:
            return nil
        }
    }

    static func primaryEntity(_ input: AssociationInput) -> (EntityRef?, AssociationRule) {
        if let last = input.interactions.last {
            switch last {
            case .created(let entity): return (entity, .newRecord)
            case .popped(let entity), .selected(let entity), .navigated(let entity): return (entity, .agentChoice)
            }
        }
        if let clicked = input.clickToDial { return (clicked, .clickToDial) }
        switch input.decision {
        case .pop(let record): return (record.ref, .singleMatch)
        case .search: return input.pickedNewest.map { ($0, .newestOfSeveral) } ?? (nil, .multipleMatchesNoSelection)
        case .new, nil: return (nil, .noMatch)
        }
    }

    /// People go to WhoId, everything else to WhatId; a Contact's Account is the default WhatId;
    /// a Lead never gets a WhatId (Salesforce rejects it).
    static func split(_ primary: EntityRef?, relatedTo: EntityRef?, rule: AssociationRule) -> AssociationResult {
        guard let primary else {
            return AssociationResult(primary: nil, who: nil, what: relatedTo, rule: rule)
        }
        switch primary.type {
        case .lead:
            let note = relatedTo == nil ? nil : "Related-to dropped: a Task on a Lead cannot have a WhatId"
            return AssociationResult(primary: primary, who: primary, what: nil, rule: rule, note: note)
        case .contact:
            let account = primary.accountId.map { EntityRef(type: .account, id: $0, name: "") }
            return AssociationResult(primary: primary, who: primary, what: relatedTo ?? account, rule: rule)
        case .account, .caseRecord, .opportunity:
            return AssociationResult(primary: primary, who: nil, what: relatedTo ?? primary, rule: rule)
        }
    }
}
