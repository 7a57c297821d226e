import Foundation
import RingsideCore

/// Fixed dates, ids and record factories for core tests. Nothing here reads the wall clock.
public enum Fixtures {
    /// 2024-06-20 15:11:36 UTC = 16:11:36 in Europe/London (BST).
    public static let t0 = Date(timeIntervalSince1970: 1_718_896_296)
    /// 2024-01-15 16:11:36 UTC = 16:11:36 in Europe/London (GMT).
    public static let winter = Date(timeIntervalSince1970: 1_705_335_096)

    /// An older and a newer modification date for precedence tests.
    public static let modifiedOld = Date(timeIntervalSince1970: 1_700_000_000)
    public static let modifiedMid = Date(timeIntervalSince1970: 1_710_000_000)
    public static let modifiedNew = Date(timeIntervalSince1970: 1_715_000_000)

    /// The seed's caller: `07814 256404` in GB.
    public static let fredRaw = "07814 256404"
    public static let fredE164 = "+447814256404"

    public static let agent = AgentUser(id: "005000000000001AAA", name: "Ada Agent", timeZone: "Europe/London")

    /// Parses a number in GB (the default region of every fixture); traps on junk because fixtures are fixed.
    public static func number(_ raw: String, internalNumberDigits: Int = 5) -> PhoneNumber {
        do {
            return try PhoneNumber.parse(raw, defaultRegion: .GB, internalNumberDigits: internalNumberDigits)
        } catch {
            preconditionFailure("fixture number \(raw) does not parse: \(error)")
        }
    }

    public static func phones(_ raw: String?) -> [PhoneField] {
        guard let raw else { return [] }
        return [PhoneField(field: "Phone", raw: raw, e164: (try? PhoneNumber.parse(raw, defaultRegion: .GB))?.e164)]
    }

    public static func contact(_ id: String = "003000000000001AAA", name: String = "Fred Bloggs", accountId: String? = nil,
                               accountName: String? = nil, phone: String? = fredRaw, modified: Date = modifiedMid) -> CRMRecord {
        CRMRecord(type: .contact, id: id, name: name, accountId: accountId, accountName: accountName, phones: phones(phone),
                  owner: "Ada Agent", lastModified: modified)
    }

    public static func account(_ id: String = "001000000000001AAA", name: String = "Bloggs Ltd", phone: String? = fredRaw,
                               modified: Date = modifiedMid) -> CRMRecord {
        CRMRecord(type: .account, id: id, name: name, phones: phones(phone), owner: "Ada Agent", lastModified: modified)
    }

    public static func personAccount(_ id: String = "001000000000002AAA", name: String = "Freda Person", phone: String? = fredRaw,
                                     modified: Date = modifiedMid) -> CRMRecord {
        CRMRecord(type: .account, id: id, name: name, phones: phones(phone), owner: "Ada Agent", lastModified: modified,
                  isPersonAccount: true)
    }

    public static func lead(_ id: String = "00Q000000000001AAA", name: String = "Larry Lead", phone: String? = fredRaw,
                            modified: Date = modifiedMid) -> CRMRecord {
        CRMRecord(type: .lead, id: id, name: name, phones: phones(phone), owner: "Ada Agent", lastModified: modified)
    }

    public static func caseRef(_ id: String = "500000000000001AAA", name: String = "00001026") -> EntityRef {
        EntityRef(type: .caseRecord, id: id, name: name)
    }

    public static func opportunityRef(_ id: String = "006000000000001AAA", name: String = "Big Deal") -> EntityRef {
        EntityRef(type: .opportunity, id: id, name: name)
    }

    public static func lookup(_ records: CRMRecord..., source: LookupSource = .live) -> LookupResult {
        LookupResult(candidates: records, source: source)
    }
}

/// Drives an `AgentSession` with a controllable clock and predictable call ids, collecting every effect.
public struct SessionDriver {
    public var session: AgentSession
    public var now: Date
    /// Every effect produced so far, in order.
    public private(set) var effects: [SessionEffect] = []
    /// Effects produced by the most recent `send`.
    public private(set) var lastEffects: [SessionEffect] = []
    /// Ids handed out so far, in order.
    public private(set) var issuedIDs: [CallObjectID] = []
    private let idPrefix: String

    public init(settings: SessionSettings = SessionSettings(), user: AgentUser = Fixtures.agent, start: Date = Fixtures.t0,
                idPrefix: String = "call-") {
        self.session = AgentSession(settings: settings, user: user)
        self.now = start
        self.idPrefix = idPrefix
    }

    /// The id the next new call will get.
    public var nextID: CallObjectID { "\(idPrefix)\(issuedIDs.count + 1)" }

    /// Moves the clock forward.
    public mutating func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }

    @discardableResult
    public mutating func send(_ event: SessionEvent, after seconds: TimeInterval = 0) -> [SessionEffect] {
        advance(seconds)
        var issued: CallObjectID?
        let candidate = nextID
        let out = session.handle(event, at: now, newID: { issued = candidate; return candidate }())
        if let issued { issuedIDs.append(issued) }
        lastEffects = out
        effects += out
        return out
    }

    @discardableResult
    public mutating func phone(_ event: PhoneEvent, after seconds: TimeInterval = 0) -> [SessionEffect] {
        send(.phone(event), after: seconds)
    }

    @discardableResult
    public mutating func agent(_ command: AgentCommand, after seconds: TimeInterval = 0) -> [SessionEffect] {
        send(.agent(command), after: seconds)
    }

    public func call(_ id: CallObjectID) -> CallMachine? { session.calls.first { $0.id == id } }

    /// Records passed to `.save` effects so far.
    public var savedRecords: [CallRecord] {
        effects.compactMap { if case .save(let record) = $0 { record } else { nil } }
    }

    /// Records passed to `.complete` effects so far.
    public var completedRecords: [CallRecord] {
        effects.compactMap { if case .complete(let record) = $0 { record } else { nil } }
    }

    /// Phone commands sent so far.
    public var phoneCommands: [PhoneCommand] {
        effects.compactMap { if case .phone(let command) = $0 { command } else { nil } }
    }
}
