import Testing
import RingsideCore
@testable import RingsidePhone

@Suite("Baresip messages, reasons, call lists, endpoints")
struct BaresipMessageTests {
    @Test func decodesEventFromReferenceSample() throws {
        let json = #"{"event":true,"type":"CALL_INCOMING","class":"call","accountaor":"sip:bob@127.0.0.1","direction":"incoming","peeruri":"sip:alice@127.0.0.1","peerdisplayname":"Alice A","id":"e6d6bc0f79b4e5fb","param":"sip:alice@127.0.0.1"}"#
        let message = try BaresipMessage.decode(Array(json.utf8)).get()
        #expect(message == .event(BaresipEvent(
            typeName: "CALL_INCOMING", eventClass: "call", accountAOR: "sip:bob@127.0.0.1", direction: .incoming,
            peerURI: "sip:alice@127.0.0.1", peerDisplayName: "Alice A", callID: "e6d6bc0f79b4e5fb", param: "sip:alice@127.0.0.1")))
    }

    @Test func decodesRTCPEventWithNestedStats() throws {
        let json = #"{"event":true,"type":"CALL_RTCP","class":"call","id":"x","param":"audio","rtcp_stats":{"tx":{"sent":0},"rtt":0}}"#
        guard case .event(let event) = try BaresipMessage.decode(Array(json.utf8)).get() else {
            Issue.record("not an event")
            return
        }
        #expect(event.type == .other("CALL_RTCP"))
    }

    @Test func decodesResponses() throws {
        #expect(try BaresipMessage.decode(Array(#"{"response":true,"ok":true,"data":"","token":"d1"}"#.utf8)).get()
            == .response(BaresipResponse(ok: true, data: "", token: "d1")))
        #expect(try BaresipMessage.decode(Array(#"{"response":true,"ok":false,"data":"command not found (nosuchcmd)\n","token":"bad1"}"#.utf8)).get()
            == .response(BaresipResponse(ok: false, data: "command not found (nosuchcmd)\n", token: "bad1")))
    }

    @Test func rejectsNonMessages() {
        #expect(BaresipMessage.decode(Array("hello".utf8)) == .failure(.invalidJSON("hello")))
        #expect(BaresipMessage.decode(Array("[1]".utf8)) == .failure(.invalidJSON("[1]")))
        #expect(BaresipMessage.decode(Array(#"{"x":1}"#.utf8)) == .failure(.notEventOrResponse(#"{"x":1}"#)))
        #expect(BaresipMessage.decode(Array(#"{"event":true}"#.utf8)) == .failure(.missingType(#"{"event":true}"#)))
    }

    @Test func encodesRequestsLikeTheReference() {
        let frame = BaresipRequest(command: "dial", params: "sip:bob@127.0.0.1:15080", token: "d1").frame()
        #expect(String(decoding: frame, as: UTF8.self) == #"66:{"command":"dial","params":"sip:bob@127.0.0.1:15080","token":"d1"},"#)
        #expect(String(decoding: BaresipRequest(command: "listcalls", token: "l0").frame(), as: UTF8.self)
            == #"36:{"command":"listcalls","token":"l0"},"#)
    }

    @Test(arguments: [
        ("Connection reset by user", CallEndReason.localHangUp),
        ("Connection reset by peer", .remoteHangUp),
        ("486 Rejected", .busy),
        ("486 Busy Here", .busy),
        ("600 Busy Everywhere", .busy),
        ("603 Decline", .declined),
        ("603 Declined", .declined),
        ("480 Temporarily Unavailable", .noAnswer),
        ("408 Request Timeout", .noAnswer),
        ("487 Request Terminated", .noAnswer),
        ("Local timeout", .noAnswer),
        ("Connection timed out", .noAnswer),
        ("Call transfered", .transferred),
        ("404 Not Found", .failed("404 Not Found")),
        ("", .failed("call closed without a reason")),
    ])
    func mapsCloseReasons(param: String, expected: CallEndReason) {
        #expect(BaresipCloseReason.map(param) == expected)
    }

    @Test func parsesListcalls() {
        let text = "\n--- Active calls (2) ---\n  [line 1]  0:00:01  ESTABLISHED  (on hold)  sip:b@127.0.0.1\n> [line 2]  0:00:00   INCOMING             sip:c@127.0.0.1\n\n"
        #expect(BaresipCallListEntry.parse(text) == [
            BaresipCallListEntry(line: 1, state: "ESTABLISHED", onHold: true, peerURI: "sip:b@127.0.0.1"),
            BaresipCallListEntry(line: 2, state: "INCOMING", onHold: false, peerURI: "sip:c@127.0.0.1"),
        ])
        #expect(BaresipCallListEntry.parse("\n--- Active calls (0) ---\n\n").isEmpty)
    }

    @Test func parsesCallstat() {
        let text = "\n===== Call debug (ESTABLISHED) =====\n local_uri: a <sip:a@127.0.0.1:25070>\n peer_uri:  b <sip:b@127.0.0.1>\n af=AF_INET id=e996abd162007af8\n direction: Incoming\nSDP session\n"
        #expect(BaresipCallStat.parse(text) == BaresipCallStat(callID: "e996abd162007af8", direction: .incoming))
        #expect(BaresipCallStat.parse("nothing here") == nil)
    }

    @Test func parsesEndpoints() throws {
        #expect(try BaresipEndpoint(parsing: "baresip://127.0.0.1:4444") == BaresipEndpoint(host: "127.0.0.1", port: 4444))
        #expect(try BaresipEndpoint(parsing: "baresip://localhost") == BaresipEndpoint(host: "localhost", port: 4444))
        #expect(try BaresipEndpoint(parsing: "BARESIP://[::1]:5555/") == BaresipEndpoint(host: "::1", port: 5555))
        #expect(throws: BaresipEndpointError.notABaresipURL("http://x")) { try BaresipEndpoint(parsing: "http://x") }
        #expect(throws: BaresipEndpointError.invalidPort("baresip://h:99999")) { try BaresipEndpoint(parsing: "baresip://h:99999") }
        #expect(throws: BaresipEndpointError.missingHost("baresip://")) { try BaresipEndpoint(parsing: "baresip://") }
    }
}
