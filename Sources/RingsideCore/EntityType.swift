/// Salesforce entity kinds Ringside matches, creates or relates calls to.
public enum EntityType: String, CaseIterable, Hashable, Sendable, Codable {
    case contact = "Contact"
    case account = "Account"
    case lead = "Lead"
    case caseRecord = "Case"
    case opportunity = "Opportunity"

    /// Matching precedence (lower wins): Contact → Account → Lead → others.
    public var precedence: Int {
        switch self {
        case .contact: 0
        case .account: 1
        case .lead: 2
        case .caseRecord: 3
        case .opportunity: 4
        }
    }

    /// Whether a Task refers to this entity through `WhoId` (people) rather than `WhatId`.
    public var isPerson: Bool {
        switch self {
        case .contact, .lead: true
        case .account, .caseRecord, .opportunity: false
        }
    }

    /// Parses `Contact`, `contact`, `Case`… as written in config files.
    public init?(name: String) {
        guard let match = EntityType.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = match
    }
}
