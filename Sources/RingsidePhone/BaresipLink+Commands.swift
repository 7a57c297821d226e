import Foundation
import RingsideCore

extension BaresipLink {
    /// Sends a command. Call-specific commands first select the call with `callfind <id>` (baresip acts on its
    /// "current call"); the pair runs under the command gate so no other command can slip in between.
    ///
    /// | PhoneCommand        | baresip 1.0.0 commands           |
    /// |---------------------|----------------------------------|
    /// | `.answer(id)`       | `callfind id`, `accept`          |
    /// | `.hold(id)`         | `callfind id`, `hold`            |
    /// | `.resume(id)`       | `callfind id`, `resume`          |
    /// | `.transfer(id, to)` | `callfind id`, `transfer <to>` (blind; 1.0.0 has no attended transfer) |
    /// | `.hangUp(id)`       | `callfind id`, `hangup`          |
    /// | `.dial(number)`     | `dial <number>`                  |
    public func send(_ command: PhoneCommand) async throws {
        try checkConnected()
        try await gate.run {
            switch command {
            case .dial(let number):
                try await perform(command, "dial", params: number)
            case .answer(let id):
                try await select(id)
                try await perform(command, "accept")
            case .hold(let id):
                try await select(id)
                try await perform(command, "hold")
            case .resume(let id):
                try await select(id)
                try await perform(command, "resume")
            case .transfer(let id, let target):
                try await select(id)
                try await perform(command, "transfer", params: target)
            case .hangUp(let id):
                try await select(id)
                try await perform(command, "hangup")
            }
        }
    }

    /// Throws unless a connection is up.
    func checkConnected() throws(BaresipLinkError) {
        let status = state.withLock { state -> (Lifecycle, Bool, String?) in (state.lifecycle, state.socket != nil, state.lastError) }
        switch status.0 {
        case .closed: throw .closed
        case .idle: throw .notConnected(configuration.endpoint, lastError: "the link was not started")
        case .running: if !status.1 { throw .notConnected(configuration.endpoint, lastError: status.2) }
        }
    }

    /// Makes `id` baresip's current call.
    private func select(_ id: LineCallID) async throws {
        let response = try await request("callfind", params: id)
        guard response.ok else { throw BaresipLinkError.unknownCall(id) }
    }

    /// Sends the main request of `command`, reporting outcome events through the tracker.
    private func perform(_ command: PhoneCommand, _ name: String, params: String? = nil) async throws {
        state.withLock { $0.tracker.willSend(command) }
        let response: BaresipResponse
        do {
            response = try await request(name, params: params)
        } catch {
            state.withLock { emit($0.tracker.didFail(command, reason: "\(error)")) }
            throw error
        }
        guard response.ok else {
            let reason = response.data.trimmingCharacters(in: .whitespacesAndNewlines)
            state.withLock { emit($0.tracker.didFail(command, reason: reason)) }
            throw BaresipLinkError.rejected(command: name, reason: reason.isEmpty ? "no reason given" : reason)
        }
        state.withLock { emit($0.tracker.didSucceed(command)) }
    }

    /// One request/response exchange, correlated by token, with the command timeout.
    func request(_ command: String, params: String? = nil) async throws -> BaresipResponse {
        let token = state.withLock { state -> String in
            state.nextToken += 1
            return "r\(state.nextToken)"
        }
        let frame = BaresipRequest(command: command, params: params, token: token).frame()
        let timeout = configuration.commandTimeout
        let timer = Task { [self] in
            try await Task.sleep(for: timeout)
            let waiter = state.withLock { $0.pending.removeValue(forKey: token) }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            waiter?.resume(throwing: BaresipLinkError.timedOut(command: command, seconds: seconds))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<BaresipResponse, any Error>) in
            let failure = state.withLock { state -> (any Error)? in
                switch state.lifecycle {
                case .closed: return BaresipLinkError.closed
                case .idle, .running: break
                }
                guard let socket = state.socket else {
                    return BaresipLinkError.notConnected(configuration.endpoint, lastError: state.lastError)
                }
                state.pending[token] = waiter
                do {
                    try socket.write(frame)
                    return nil
                } catch {
                    state.pending[token] = nil
                    socket.shutdownBoth()  // the reader notices and reconnects
                    return BaresipLinkError.connectionLost(command: command)
                }
            }
            if let failure { waiter.resume(throwing: failure) }
        }
    }
}
