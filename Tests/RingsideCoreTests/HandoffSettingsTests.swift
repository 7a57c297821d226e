import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

/// Issue 18: `SessionSettings.handoffWindowSeconds`/`handoffKeep` (from `[presence]`) decide how long a received
/// transfer context waits for its call and how many wait.
@Suite("Transfer handoff: configured window and limit")
struct HandoffSettingsTests {
    func context(_ callId: String) -> TransferContext {
        TransferContext(callId: callId, number: Fixtures.fredE164, entity: EntityRef(type: .contact, id: "003000000000002AAA", name: "Fiona Bloggs"),
                        disposition: nil, notes: "refund", fromAgentId: "sam", fromAgentName: "Sam Agent", target: "2002", sentAt: Fixtures.t0)
    }

    /// A context received, then Fred's number rings `after` seconds later on a new Call-ID: was it attached?
    func attached(window: Int, after seconds: TimeInterval) -> Bool {
        var settings = SessionSettings()
        settings.handoffWindowSeconds = window
        var driver = SessionDriver(settings: settings)
        driver.send(.handoffReceived(context("old")))
        driver.phone(.incoming("new", remote: Fixtures.fredRaw), after: seconds)
        return driver.session.focusedCall?.handoff != nil
    }

    @Test func aShortWindowLetsAContextExpireThatTheDefaultKeeps() {
        #expect(attached(window: 120, after: 45))
        #expect(!attached(window: 30, after: 45))
        #expect(attached(window: 30, after: 20))
    }

    @Test func theLimitBoundsTheInbox() {
        var settings = SessionSettings()
        settings.handoffKeep = 2
        var driver = SessionDriver(settings: settings)
        for i in 0..<5 { driver.send(.handoffReceived(context("c\(i)"))) }
        #expect(driver.session.handoffs.entries.map(\.context.callId) == ["c3", "c4"])
    }
}
