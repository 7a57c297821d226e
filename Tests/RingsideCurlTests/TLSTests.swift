#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import RingsideTestSupport
import Testing
@testable import RingsideCurl

/// An HTTPS server on 127.0.0.1 with a freshly made self-signed certificate: Python's
/// `http.server` wrapped in `ssl`, certificate from the `openssl` command line.
private final class SelfSignedHTTPSServer: @unchecked Sendable {
    let port: Int
    let certificatePath: String
    private let process: Process
    private let directory: URL

    static var toolsAvailable: Bool {
        ["/usr/bin/openssl", "/usr/bin/python3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static let script = """
    import http.server, signal, ssl, sys
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the test runner may have left SIGTERM ignored
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"tls ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringside-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        openssl.standardError = FileHandle.nullDevice
        openssl.standardOutput = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        certificatePath = cert

        let output = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script, cert, key]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
    }

    func stop() {
        // SIGKILL: a SIGTERM disposition inherited from the test runner could be "ignore".
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("TLS verification", .serialized, .enabled(if: RequiredComponent.runs(SelfSignedHTTPSServer.toolsAvailable), "needs /usr/bin/openssl and /usr/bin/python3"))
struct TLSTests {
    @Test func selfSignedCertificateIsRejectedByDefault() async throws {
        let server = try SelfSignedHTTPSServer()
        defer { server.stop() }
        let client = try CurlHTTPClient()
        do {
            _ = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/"))
            Issue.record("a self-signed certificate was accepted")
        } catch {
            guard case .tls(let message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(message.lowercased().contains("certificate"))
        }
    }

    @Test func configuredCABundleIsTrusted() async throws {
        let server = try SelfSignedHTTPSServer()
        defer { server.stop() }
        let client = try CurlHTTPClient(configuration: CurlConfiguration(caBundlePath: server.certificatePath))
        let response = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/"))
        #expect(response.text == "tls ok")
        // Host verification stays on: the certificate names 127.0.0.1 and localhost only.
        let viaLocalhost = try await client.send(HTTPRequest(url: "https://localhost:\(server.port)/"))
        #expect(viaLocalhost.status == 200)
    }

    @Test func allowInsecureLoopbackSkipsVerificationOnLoopbackOnly() async throws {
        let server = try SelfSignedHTTPSServer()
        defer { server.stop() }
        let client = try CurlHTTPClient(configuration: CurlConfiguration(allowInsecureLoopback: true))
        let response = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/"))
        #expect(response.text == "tls ok")
    }

    @Test func missingCABundleIsATLSError() async throws {
        let server = try SelfSignedHTTPSServer()
        defer { server.stop() }
        let client = try CurlHTTPClient(configuration: CurlConfiguration(caBundlePath: "/nonexistent/ca.pem"))
        do {
            _ = try await client.send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/"))
            Issue.record("expected a TLS error")
        } catch {
            guard case .tls = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.description.contains("CA bundle"))
        }
    }
}
