import Foundation
import RingsideCore

/// Agent sessions in every state the console draws, built by feeding `SessionEvent`s into the pure
/// `AgentSession` (through `SessionDriver`). The clock is fixed, so rendered screens are stable.
public enum ConsoleFixtures {
    /// The moment every fixture is "now" (16:11:36 Europe/London).
    public static let start = Fixtures.t0
    public static let line = "L1"

    public static let fred = Fixtures.contact(accountId: "001000000000001AAA", accountName: "Bloggs Ltd")
    public static let hostileName = "\u{1b}]0;pwned\u{07}Mallory"

    /// Three records sharing one number (different types and ages) for Search.
    public static let shared: [CRMRecord] = [
        Fixtures.contact("003000000000002AAA", name: "Ann Shared", accountName: "Switchboard plc", modified: Fixtures.modifiedOld),
        Fixtures.contact("003000000000003AAA", name: "Bob Shared", accountName: "Switchboard plc", modified: Fixtures.modifiedNew),
        Fixtures.lead("00Q000000000002AAA", name: "Cat Shared", modified: Fixtures.modifiedMid),
    ]

    /// An idle, connected session.
    public static func idle(settings: SessionSettings = SessionSettings()) -> SessionDriver {
        var driver = SessionDriver(settings: settings, start: start)
        driver.phone(.link(.connected))
        return driver
    }

    /// A call ringing from `remote`, with its lookup answered by `matches` (nil: still searching).
    public static func ringing(_ remote: String = Fixtures.fredRaw, matches: [CRMRecord]?, line: String = line,
                               after seconds: TimeInterval = 5, into driver: SessionDriver? = nil) -> SessionDriver {
        var driver = driver ?? idle()
        driver.phone(.incoming(line, remote: remote))
        let id = driver.issuedIDs.last ?? driver.nextID
        if let matches {
            driver.send(.lookupFinished(id, LookupResult(candidates: matches, source: .index(syncedAt: nil))))
        }
        driver.advance(seconds)
        return driver
    }

    /// The single-match call answered and talking for `seconds`.
    public static func connected(matches: [CRMRecord] = [fred], popped: Bool = false, seconds: TimeInterval = 83) -> SessionDriver {
        var driver = ringing(matches: matches)
        driver.agent(.answer)
        driver.phone(.established(line))
        if popped { driver.agent(.pop) }
        driver.advance(seconds)
        return driver
    }

    public static func held() -> SessionDriver {
        var driver = connected(popped: true, seconds: 40)
        driver.agent(.hold)
        driver.phone(.held(line))
        driver.advance(12)
        return driver
    }

    public static func transferring(to target: String = "2001") -> SessionDriver {
        var driver = connected(popped: true, seconds: 30)
        driver.agent(.transfer(to: target))
        driver.advance(2)
        return driver
    }

    /// The call hung up, its record saved, the agent in wrap-up `seconds` later.
    public static func wrapUp(matches: [CRMRecord] = [fred], seconds: TimeInterval = 15) -> SessionDriver {
        var driver = connected(matches: matches, popped: matches.count == 1, seconds: 125)
        let id = driver.issuedIDs.last ?? ""
        driver.agent(.hangUp)
        driver.phone(.closed(line, reason: .localHangUp))
        driver.send(.recordSaved(id))
        driver.advance(seconds)
        return driver
    }

    /// A finished call's record (completed through wrap-up) with the given delivery state.
    public static func finishedRecord(remote: String = Fixtures.fredRaw, matches: [CRMRecord] = [fred], choose: Int? = nil,
                                      disposition: String? = "Resolved", notes: String = "Wants a call back",
                                      delivery: DeliveryState = .queued, error: String? = nil, line: String = "H1",
                                      at start: Date = Fixtures.t0.addingTimeInterval(-3600)) -> CallRecord {
        var driver = SessionDriver(start: start, idPrefix: "hist-\(line)-")
        driver.phone(.link(.connected))
        driver.phone(.incoming(line, remote: remote))
        let id = driver.issuedIDs.last ?? ""
        driver.send(.lookupFinished(id, LookupResult(candidates: matches, source: .live)))
        driver.agent(.answer)
        driver.phone(.established(line), after: 4)
        if let choose, matches.indices.contains(choose) { driver.agent(.select(matches[choose].ref)) }
        driver.phone(.closed(line, reason: .remoteHangUp), after: 95)
        driver.send(.recordSaved(id))
        driver.agent(.finishWrapUp(disposition: disposition, notes: notes), after: 20)
        var record = driver.completedRecords.last ?? driver.savedRecords[0]
        record.delivery = delivery
        record.lastError = error
        if delivery == .delivered { record.crmId = "00T000000000001AAA" }
        return record
    }

    /// A few history rows in every delivery state, newest first.
    public static func history() -> [CallRecord] {
        [
            finishedRecord(delivery: .queued, line: "H1", at: start.addingTimeInterval(-600)),
            finishedRecord(remote: "020 7946 0018", matches: shared, choose: 1, disposition: "Follow-up needed", notes: "",
                           delivery: .delivered, line: "H2", at: start.addingTimeInterval(-1800)),
            finishedRecord(remote: "0161 496 0000", matches: [], disposition: nil, notes: "", delivery: .parked,
                           error: "FIELD_INTEGRITY_EXCEPTION: bad WhoId", line: "H3", at: start.addingTimeInterval(-5400)),
        ]
    }

    /// Number list entries: a favourite, a recent call and directory records (incl. CJK and accents).
    public static func numberEntries() -> [NumberListEntry] {
        [
            NumberListEntry(kind: .favourite, name: "Fred Bloggs", raw: Fixtures.fredRaw, e164: Fixtures.fredE164, entity: fred.ref, field: "Phone"),
            NumberListEntry(kind: .recent, name: "Bob Shared", raw: "020 7946 0018", e164: "+442079460018", entity: shared[1].ref),
            NumberListEntry(kind: .directory, name: "山田 太郎", raw: "+81 3-1234-5678", e164: "+81312345678",
                            entity: EntityRef(type: .contact, id: "003000000000009AAA", name: "山田 太郎"), field: "Phone"),
            NumberListEntry(kind: .directory, name: "Zoë Åkesson-Núñez", raw: "0117 496 0123", e164: "+441174960123",
                            entity: EntityRef(type: .lead, id: "00Q000000000009AAA", name: "Zoë Åkesson-Núñez"), field: "MobilePhone"),
            NumberListEntry(kind: .directory, name: "Reception", raw: "2001", e164: nil, entity: nil),
        ]
    }
}
