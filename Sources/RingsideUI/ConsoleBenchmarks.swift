import Foundation
import RingsideCore

/// Console micro-benchmarks for `ringside bench` (printed, never asserted).
public enum ConsoleBenchmarks {
    /// Result of a render benchmark.
    public struct RenderTiming: Sendable, CustomStringConvertible {
        public var width: Int
        public var height: Int
        public var iterations: Int
        /// Mean seconds per full render.
        public var mean: TimeInterval
        public var description: String {
            String(format: "render %dx%d: %.3f ms mean over %d renders", width, height, mean * 1000, iterations)
        }
    }

    /// Mean time to render a full busy screen (a connected call with its pop detail, a filled
    /// number list and history) of `width`×`height`.
    public static func renderTime(width: Int = 200, height: Int = 60, iterations: Int = 1000) -> RenderTiming {
        let (snapshot, state, now) = sample()
        let renderer = ConsoleRenderer()
        let size = TermSize(width: width, height: height)
        _ = renderer.render(snapshot, state, size: size, now: now) // warm up
        let clock = ContinuousClock()
        var checksum = 0
        let elapsed = clock.measure {
            for i in 0..<max(1, iterations) {
                let screen = renderer.render(snapshot, state, size: size, now: now.addingTimeInterval(Double(i)))
                checksum &+= screen.regions.count
            }
        }
        precondition(checksum > 0)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return RenderTiming(width: width, height: height, iterations: max(1, iterations), mean: seconds / Double(max(1, iterations)))
    }

    /// A representative console: one connected, popped call; 40 number-list entries; 30 history rows.
    static func sample() -> (ConsoleSnapshot, ConsoleState, Date) {
        let start = Date(timeIntervalSince1970: 1_718_896_296)
        let user = AgentUser(id: "005000000000001AAA", name: "Ada Agent", timeZone: "Europe/London")
        var session = AgentSession(settings: SessionSettings(), user: user)
        var counter = 0
        func id() -> CallObjectID {
            counter += 1
            return "bench-\(counter)"
        }
        let fred = CRMRecord(type: .contact, id: "003000000000001AAA", name: "Fred Bloggs", accountId: "001000000000001AAA",
                             accountName: "Bloggs Ltd", phones: [PhoneField(field: "Phone", raw: "07814 256404", e164: "+447814256404")],
                             owner: "Ada Agent", lastModified: start.addingTimeInterval(-86_400))
        _ = session.handle(.phone(.link(.connected)), at: start, newID: id())
        _ = session.handle(.phone(.incoming("L1", remote: "07814 256404")), at: start, newID: id())
        let callID = session.calls.first?.id ?? ""
        _ = session.handle(.lookupFinished(callID, LookupResult(candidates: [fred], source: .live)), at: start, newID: id())
        _ = session.handle(.agent(.answer), at: start, newID: id())
        _ = session.handle(.phone(.established("L1")), at: start.addingTimeInterval(2), newID: id())
        _ = session.handle(.agent(.pop), at: start.addingTimeInterval(3), newID: id())
        let builder = CallRecordBuilder(user: user, homeRegion: .GB)
        var history: [CallRecord] = []
        for n in 0..<30 {
            var call = CallMachine(id: "hist-\(n)", at: start)
            _ = call.handle(.incoming(line: "H\(n)", remote: "0161 496 \(1000 + n)", number: nil), at: start)
            var record = builder.build(call, at: start)
            record.delivery = DeliveryState.allCases[n % DeliveryState.allCases.count]
            history.append(record)
        }
        var state = ConsoleState()
        state.numbers = NumberListView(NumberListData(entries: (0..<40).map { n in
            NumberListEntry(kind: n < 5 ? .favourite : (n < 15 ? .recent : .directory), name: n % 7 == 0 ? "山田 太郎 \(n)" : "Caller Number \(n)",
                            raw: "020 7946 \(String(format: "%04d", n))", e164: nil,
                            entity: EntityRef(type: .contact, id: "0030000000000\(String(format: "%02d", n))AAA", name: "Caller \(n)"))
        }))
        let snapshot = ConsoleSnapshot(session: session, history: history, isDemo: true, crmLabel: "Local directory", phoneLabel: "Simulated phone")
        return (snapshot, state, start.addingTimeInterval(95))
    }
}
