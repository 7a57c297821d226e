import Foundation
import RingsideTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The shared baresip harness itself: its instances get their own ports and never outlive it.
@Suite("Baresip test harness", .serialized, .enabled(if: RequiredComponent.runs(BaresipHarness.available),
                                                      "needs baresip (apt-get install -y baresip-core)"))
struct BaresipHarnessTests {
    /// True once `pid` is gone and reaped (a zombie still answers signal 0).
    static func isGone(_ pid: Int32) -> Bool { kill(pid, 0) == -1 && errno == ESRCH }

    @Test func instancesGetDisjointPortsAndAnswerOnCtrlTCP() async throws {
        try await BaresipHarness.with { harness in
            var taken: Set<Int> = []
            for name in ["a", "b", "c"] {
                let instance = try await harness.launch(name)
                let ports = Set([instance.sipPort, instance.sipPort + 1, instance.ctrlPort] + Array(instance.rtpRange))
                #expect(ports.count == 13, "\(name): SIP, SIP/TLS, ctrl_tcp and 10 RTP ports are distinct")
                #expect(taken.isDisjoint(with: ports), "\(name) shares a port with an earlier instance")
                taken.formUnion(ports)
                let client = try RawBaresipClient(port: instance.ctrlPort)
                defer { client.close() }
                #expect(try await client.command("reginfo").ok)
            }
        }
    }

    @Test func killAllKillsAndReapsEveryInstance() async throws {
        let harness = try BaresipHarness()
        let pids = [try await harness.launch("a").pid, try await harness.launch("b").pid].compactMap { $0 }
        #expect(pids.count == 2)
        #expect(pids.allSatisfy { !Self.isGone($0) })
        harness.killAll()
        #expect(pids.allSatisfy(Self.isGone), "every baresip is killed and reaped before killAll returns")
        #expect(!FileManager.default.fileExists(atPath: harness.root.path))
    }

    @Test func aHarnessThatGoesAwayTakesItsProcessesWithIt() async throws {
        var pid: Int32?
        do {
            let harness = try BaresipHarness()
            pid = try await harness.launch("orphan").pid
        }
        let launched = try #require(pid)
        #expect(Self.isGone(launched))
    }

    @Test func stopQuitsAndRestartUsesTheSamePorts() async throws {
        try await BaresipHarness.with { harness in
            let instance = try await harness.launch("again")
            let (sip, ctrl) = (instance.sipPort, instance.ctrlPort)
            let first = try #require(instance.pid)
            try await instance.restart()
            #expect(Self.isGone(first))
            #expect(instance.pid != nil && instance.pid != first)
            #expect(instance.sipPort == sip && instance.ctrlPort == ctrl)
            #expect(LoopbackPort.accepts(ctrl))
        }
    }

    @Test func aMissingBaresipIsAnErrorNotASkip() {
        #expect(throws: BaresipHarnessError.self) { try BaresipHarness(binary: "/nonexistent/baresip") }
        #expect(throws: BaresipHarnessError.self) { try BaresipHarness(binary: nil) }
    }
}
