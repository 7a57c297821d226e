import Foundation
import Testing
import RingsideCore
import RingsideTestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import RingsidePhone

/// A one-shot fake ctrl_tcp server on 127.0.0.1 that sends fixed bytes to the first client.
final class FakeCtrlServer: Sendable {
    let port: Int
    private let fd: Int32

    init(sending bytes: [UInt8]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BaresipHarnessError.clientFailed("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0, listen(fd, 4) == 0 else {
            close(fd)
            throw BaresipHarnessError.clientFailed("bind/listen: errno \(errno)")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // Keep the connection open (reads until the link closes it).
            var sink = [UInt8](repeating: 0, count: 4096)
            while sink.withUnsafeMutableBytes({ recv(client, $0.baseAddress, $0.count, 0) }) > 0 {}
            close(client)
        }
        thread.start()
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
    }
}

@Suite("BaresipLink with a misbehaving peer")
struct BaresipLinkGarbageTests {
    @Test func garbageIsLoggedAndTheNextFrameStillArrives() async throws {
        let event = #"{"event":true,"type":"CALL_INCOMING","class":"call","direction":"incoming","peeruri":"sip:bob@127.0.0.1","id":"g1","param":"sip:bob@127.0.0.1"}"#
        let bytes = Array("HTTP/1.1 400 Bad Request\r\n\r\n99999999:{{{ 12:not json at,".utf8)
            + NetstringEncoder().encode(Array(event.utf8))
        let server = try FakeCtrlServer(sending: bytes)
        defer { server.stop() }
        let logs = BaresipLocked<[String]>([])
        var configuration = BaresipLink.Configuration(endpoint: BaresipEndpoint(host: "127.0.0.1", port: UInt16(server.port)))
        configuration.commandTimeout = .milliseconds(300)
        let link = BaresipLink(configuration: configuration, log: { line in logs.withLock { $0.append(line) } })
        let recorder = PhoneEventRecorder(link.events)
        await link.start()
        try await recorder.waitFor(.incoming("g1", remote: "sip:bob@127.0.0.1"))
        #expect(logs.withLock { $0 }.contains { $0.contains("garbage on the ctrl_tcp socket") && $0.contains("netstring:") })
        #expect(link.isConnected, "garbage does not drop the connection")
        await link.close()
    }
}
