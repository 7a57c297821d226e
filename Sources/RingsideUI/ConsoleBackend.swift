import Foundation
import RingsideCore

/// Everything the console draws, taken in one consistent snapshot.
public struct ConsoleSnapshot: Sendable {
    public var session: AgentSession
    /// Recent call records, newest first, with their delivery state.
    public var history: [CallRecord]
    /// True for `ringside demo` (simulated phone + local directory): enables the demo keys.
    public var isDemo: Bool
    /// Label of the CRM for the status bar / detail pane ("Local directory", "Salesforce (acme.my.salesforce.com)").
    public var crmLabel: String
    /// Label of the phone link ("Simulated phone", "baresip 127.0.0.1:4444").
    public var phoneLabel: String
    /// Live calls go on without Ringside (a real phone): the quit dialog says so.
    public var callsOutliveRingside: Bool
    /// The Salesforce instance records open in (`https://acme.my.salesforce.com`); nil for the local directory.
    public var recordLinkBase: String?

    public init(session: AgentSession, history: [CallRecord], isDemo: Bool, crmLabel: String, phoneLabel: String,
                callsOutliveRingside: Bool = false, recordLinkBase: String? = nil) {
        self.recordLinkBase = recordLinkBase
        self.session = session
        self.history = history
        self.isDemo = isDemo
        self.crmLabel = crmLabel
        self.phoneLabel = phoneLabel
        self.callsOutliveRingside = callsOutliveRingside
    }
}

/// What the console needs from the running agent. The live implementation is the app runtime;
/// tests use a fake. Every method is cheap and never blocks on the network.
public protocol ConsoleBackend: Sendable {
    /// The current state to draw.
    func snapshot() async -> ConsoleSnapshot
    /// Sends an agent command (answer, hold, dial, wrap-up, …) read while `seen` was the call on screen.
    /// A command for a call that is gone or no longer on screen is refused; refusals show up as the session banner.
    func send(_ command: AgentCommand, seen: CallObjectID?) async
    /// Everything the number list can show (favourites and recent calls, then directory rows), in memory:
    /// cheap to call after every change (the directory rows are built once and shared); the console filters it.
    func numberList() async -> NumberListData
    /// Free-text quick find in the CRM (names, numbers, pasted IDs).
    func quickFind(_ text: String) async -> [CRMRecord]
    /// Open Cases and Opportunities the call can be related to.
    func relatedWork(for entity: EntityRef) async -> [CRMRecord]
    /// Demo only: make the simulated phone ring with the given kind of caller.
    func simulateIncoming(_ scenario: DemoScenario) async
    /// Yields whenever anything visible may have changed (phone events, lookups, saves, outbox).
    func changes() -> AsyncStream<Void>
}

extension ConsoleBackend {
    /// Open Cases and Opportunities the call can be related to (default: none).
    public func relatedWork(for entity: EntityRef) async -> [CRMRecord] { [] }
}

/// Kinds of simulated incoming call the demo can produce.
public enum DemoScenario: String, Sendable, CaseIterable {
    case random, singleMatch, multipleMatch, noMatch, `internal`, japanese, hostile
}
