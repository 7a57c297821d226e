import Foundation

/// Where a lookup answer came from, so the pop can show its freshness.
public enum LookupSource: Hashable, Sendable, Codable {
    /// The local phone index, last synchronised at the given time (nil: never synced, e.g. the local directory).
    case index(syncedAt: Date?)
    /// A live CRM request (one SOSL search).
    case live
    /// Not looked up (internal number).
    case skipped
}

/// The answer to a phone lookup: every candidate whose phone fields equal the number.
public struct LookupResult: Hashable, Sendable, Codable {
    public var candidates: [CRMRecord]
    public var source: LookupSource

    public init(candidates: [CRMRecord], source: LookupSource) {
        self.candidates = candidates
        self.source = source
    }
}

/// The agent's CRM user: the Task owner and the time zone subjects are written in.
public struct AgentUser: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var timeZone: String

    public init(id: String, name: String, timeZone: String) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
    }
}

/// Port: the CRM the agent works in (local directory or Salesforce).
public protocol CRM: Sendable {
    /// Every record whose searched phone fields equal `number` (at most one API request).
    func lookup(_ number: PhoneNumber) async throws -> LookupResult
    /// Creates a record of `type` pre-filled with `number` (the **New** action).
    func createRecord(_ type: EntityType, number: PhoneNumber, name: String?) async throws -> CRMRecord
    /// Free-text search by name or number across people, companies and work records.
    func search(_ text: String) async throws -> [CRMRecord]
    /// The signed-in user.
    func currentUser() async throws -> AgentUser
    /// Open Cases and Opportunities of a person's or company's account (for "Related to"), newest first.
    func relatedWork(for entity: EntityRef) async throws -> [CRMRecord]
    /// Updates fields of a record after a call (seed 003 post-call update), e.g. `NextStep` on an Opportunity.
    func updateRecord(_ entity: EntityRef, fields: [String: String]) async throws
}

/// Why a post-call update was refused; shown to the agent, never blocks saving the call record.
public struct RecordUpdateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var fields: [String]

    public init(code: String, message: String, fields: [String] = []) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    public var description: String { "\(code): \(message)\(fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))")" }
}
