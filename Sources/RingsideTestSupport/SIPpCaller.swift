import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A SIPp caller (Debian package `sip-tester`) for the queue bench: one call to `service` through a proxy, hanging up
/// (CANCEL) after the called phones have rung for `abandonAfter` without an answer. Every fork of a ring-all group
/// sends its own 180: the scenario takes them all and starts its timer at the last one.
public enum SIPpCaller {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static let binary = ["/usr/bin/sipp", "/usr/local/bin/sipp"].first { FileManager.default.isExecutableFile(atPath: $0) }
    public static var available: Bool { binary != nil }

    /// Places one call from `caller` (a number) to `service` at `proxyPort` on 127.0.0.1 and waits until SIPp is done
    /// (killed by PID after `timeout`). Returns how long SIPp ran.
    @discardableResult
    public static func abandon(service: String, proxyPort: Int, caller: String, after abandonAfter: TimeInterval,
                               timeout: TimeInterval = 20) throws -> TimeInterval {
        guard let binary else { throw Failure(description: "sipp is not installed: run scripts/setup (Debian package sip-tester)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-sipp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = directory.appendingPathComponent("abandon.xml")
        try abandonScenario(caller: caller, milliseconds: Int(abandonAfter * 1000)).write(to: scenario, atomically: true, encoding: .utf8)
        let logURL = directory.appendingPathComponent("sipp.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: logURL)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.currentDirectoryURL = directory
        p.arguments = ["-sf", scenario.path, "-s", service, "127.0.0.1:\(proxyPort)", "-m", "1", "-i", "127.0.0.1",
                       "-p", String(try LoopbackPort.free(.udp)), "-nostdin", "-timeout", "\(Int(timeout))s"]
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        p.standardOutput = output
        p.standardError = output
        let start = Date()
        try p.run()
        // Foundation reaps the child itself: poll `isRunning` (killed by PID after the timeout).
        let deadline = start.addingTimeInterval(timeout + 5)
        while p.isRunning {
            if Date() > deadline {
                kill(p.processIdentifier, SIGKILL)
                while p.isRunning { usleep(10_000) }
                throw Failure(description: "sipp did not finish in \(Int(timeout)) s; log:\n\(log(logURL))")
            }
            usleep(10_000)
        }
        let ran = Date().timeIntervalSince(start)
        guard p.terminationReason == .exit, p.terminationStatus == 0 else {
            throw Failure(description: "sipp failed (\(p.terminationReason == .exit ? "exit" : "signal") \(p.terminationStatus)): \(log(logURL))")
        }
        return ran
    }

    private static func log(_ url: URL) -> String {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return String(text.suffix(3000))
    }

    /// INVITE; every 180 restarts a `milliseconds` timer; when it runs out: CANCEL, 200, 487, ACK.
    static func abandonScenario(caller: String, milliseconds: Int) -> String {
        """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="Ringside queue caller who hangs up before an answer">
          <send retrans="500">
            <![CDATA[
              INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: "Caller" <sip:\(caller)@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: 1 INVITE
              Contact: <sip:\(caller)@[local_ip]:[local_port]>
              Max-Forwards: 70
              Content-Type: application/sdp
              Content-Length: [len]

              v=0
              o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
              s=-
              c=IN IP[media_ip_type] [media_ip]
              t=0 0
              m=audio [media_port] RTP/AVP 0
              a=rtpmap:0 PCMU/8000
            ]]>
          </send>
          <recv response="100" optional="true"/>
          <recv response="180"/>
          <label id="1"/>
          <recv response="180" timeout="\(max(1, milliseconds))" ontimeout="2" next="1"/>
          <label id="2"/>
          <send>
            <![CDATA[
              CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              [last_Via:]
              From: "Caller" <sip:\(caller)@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: 1 CANCEL
              Max-Forwards: 70
              Content-Length: 0
            ]]>
          </send>
          <recv response="200"/>
          <recv response="487"/>
          <send>
            <![CDATA[
              ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
              [last_Via:]
              From: "Caller" <sip:\(caller)@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              [last_To:]
              Call-ID: [call_id]
              CSeq: 1 ACK
              Max-Forwards: 70
              Content-Length: 0
            ]]>
          </send>
        </scenario>

        """
    }
}
