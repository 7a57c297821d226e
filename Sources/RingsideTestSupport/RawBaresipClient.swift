import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A minimal ctrl_tcp client (netstring-framed JSON) that drives the "remote" baresip instances in tests and records
/// their events and responses. Deliberately independent of RingsidePhone's codec, so it checks that code rather than
/// sharing its mistakes. Note baresip accepts one ctrl_tcp client per instance (a new one replaces the old).
public final class RawBaresipClient: Sendable {
    /// A ctrl_tcp event (`{"event":true,"type":…}`), with the fields tests look at.
    public struct Event: Hashable, Sendable {
        public var typeName: String
        public var callID: String?
        public var peerURI: String?
        public var param: String?
    }

    /// A ctrl_tcp response (`{"response":true,"ok":…,"data":…,"token":…}`).
    public struct Response: Hashable, Sendable {
        public var ok: Bool
        public var data: String
        public var token: String?
    }

    /// One decoded message.
    public enum Message: Hashable, Sendable {
        case event(Event)
        case response(Response)
    }

    private struct State {
        var messages: [Message] = []
        var tokens = 0
        var closed = false
    }

    private let fd: Int32
    private let state = Mutex(State())

    public init(port: Int) throws {
        guard let fd = LoopbackPort.connect(port) else { throw BaresipHarnessError.clientFailed("connect to 127.0.0.1:\(port): errno \(errno)") }
        self.fd = fd
        Thread { [self] in readLoop() }.start()
    }

    deinit { close() }

    /// Ends the connection (the reader thread then closes the socket).
    public func close() {
        state.withLock { state in
            if !state.closed { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private func readLoop() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            buffer += chunk[0..<count]
            // Netstrings: <length>:<payload>,
            while let colon = buffer.firstIndex(of: UInt8(ascii: ":")),
                  let length = Int(String(decoding: buffer[..<colon], as: UTF8.self)),
                  buffer.count >= colon + 1 + length + 1 {
                let payload = Data(buffer[(colon + 1)..<(colon + 1 + length)])
                buffer.removeFirst(colon + 1 + length + 1)
                if let message = Self.decode(payload) { state.withLock { $0.messages.append(message) } }
            }
        }
        state.withLock { state in
            state.closed = true
            Glibc.close(fd)
        }
    }

    static func decode(_ payload: Data) -> Message? {
        guard let object = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any] else { return nil }
        if object["event"] as? Bool == true, let type = object["type"] as? String {
            return .event(Event(typeName: type, callID: object["id"] as? String, peerURI: object["peeruri"] as? String,
                                param: object["param"] as? String))
        }
        if object["response"] as? Bool == true {
            return .response(Response(ok: object["ok"] as? Bool ?? false, data: object["data"] as? String ?? "",
                                      token: object["token"] as? String))
        }
        return nil
    }

    /// Sends a command and returns its token.
    @discardableResult
    public func send(_ command: String, _ params: String? = nil) throws -> String {
        let token = state.withLock { state -> String in
            state.tokens += 1
            return "raw\(state.tokens)"
        }
        var request: [String: Any] = ["command": command, "token": token]
        if let params { request["params"] = params }
        let json = try JSONSerialization.data(withJSONObject: request)
        let frame = Array("\(json.count):".utf8) + Array(json) + Array(",".utf8)
        var sent = 0
        while sent < frame.count {
            let written = frame[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw BaresipHarnessError.clientFailed("send \(command): errno \(errno)") }
            sent += written
        }
        return token
    }

    /// Sends a command and waits for its response.
    @discardableResult
    public func command(_ command: String, _ params: String? = nil, timeout: Duration = .seconds(5)) async throws -> Response {
        let token = try send(command, params)
        let message = try await waitFor("response to \(command)", timeout: timeout) {
            if case .response(let response) = $0, response.token == token { return true }
            return false
        }
        guard case .response(let response) = message else { throw BaresipHarnessError.clientFailed("not a response") }
        return response
    }

    /// How many messages arrived so far (pass it as `after` to wait only for newer ones).
    public var received: Int { state.withLock { $0.messages.count } }

    /// Every event seen so far.
    public var events: [Event] {
        state.withLock { $0.messages.compactMap { if case .event(let event) = $0 { event } else { nil } } }
    }

    /// Waits for an event of `type` (optionally about call `id`, whose peer URI contains `peer`, with `param`, among the
    /// messages after the first `after`).
    @discardableResult
    public func waitForEvent(_ type: String, id: String? = nil, peer: String? = nil, param: String? = nil, after: Int = 0,
                             timeout: Duration = .seconds(5)) async throws -> Event {
        let what = "\(type) event" + (peer.map { " with \($0)" } ?? "") + (param.map { " (\($0))" } ?? "")
        let message = try await waitFor(what, after: after, timeout: timeout) {
            guard case .event(let event) = $0, event.typeName == type else { return false }
            return (id == nil || event.callID == id) && (peer.map { event.peerURI?.contains($0) == true } ?? true)
                && (param == nil || event.param == param)
        }
        guard case .event(let event) = message else { throw BaresipHarnessError.clientFailed("not an event") }
        return event
    }

    private func waitFor(_ what: String, after: Int = 0, timeout: Duration, _ matches: (Message) -> Bool) async throws -> Message {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = state.withLock({ $0.messages.dropFirst(after).first(where: matches) }) { return found }
            guard ContinuousClock.now < deadline else { throw BaresipHarnessError.timedOut(what) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
