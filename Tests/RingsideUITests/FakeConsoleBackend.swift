import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI

/// A `ConsoleBackend` for tests: serves a fixed snapshot and records every command it receives.
/// (Lives here because `RingsideTestSupport` does not depend on `RingsideUI`.)
actor FakeConsoleBackend: ConsoleBackend {
    private(set) var received: [AgentCommand] = []
    /// The call on screen when each command was read.
    private(set) var seen: [CallObjectID?] = []
    private(set) var simulated: [DemoScenario] = []
    var current: ConsoleSnapshot
    var entries: [NumberListEntry]
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(snapshot: ConsoleSnapshot, entries: [NumberListEntry] = ConsoleFixtures.numberEntries()) {
        self.current = snapshot
        self.entries = entries
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func snapshot() async -> ConsoleSnapshot { current }
    func send(_ command: AgentCommand, seen call: CallObjectID?) async {
        received.append(command)
        seen.append(call)
    }
    func numberList() async -> NumberListData { NumberListData(entries: entries) }
    func quickFind(_ text: String) async -> [CRMRecord] { [] }
    func simulateIncoming(_ scenario: DemoScenario) async { simulated.append(scenario) }
    nonisolated func changes() -> AsyncStream<Void> { stream }

    func update(_ snapshot: ConsoleSnapshot) {
        current = snapshot
        continuation.yield()
    }
}
