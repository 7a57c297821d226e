import Foundation
import RingsideCore

extension BaresipLink {
    /// The reader thread: connect, read until the connection drops, back off, repeat until closed.
    func runConnectionLoop() {
        var backoff = configuration.initialBackoff
        state.withLock { emitLinkState(.connecting, in: &$0) }
        while state.withLock({ $0.lifecycle == .running }) {
            let endpoint = configuration.endpoint
            let socket: BaresipSocket
            do {
                socket = try BaresipSocket.connect(host: endpoint.host, port: endpoint.port,
                                                   timeoutSeconds: configuration.connectTimeoutSeconds)
            } catch {
                let reason = "cannot connect to \(endpoint): \(error)"
                // Refused = nothing listens on ctrl_tcp: the baresip process that held our calls is gone, so are its
                // calls. End them now (their records are saved) rather than when a new baresip comes back, if ever.
                let refused = error == .socket(call: "connect", errno: ECONNREFUSED)
                state.withLock { state in
                    state.lastError = reason
                    guard state.lifecycle == .running else { return }
                    emitLinkState(.disconnected(reason: reason), in: &state)
                    if refused, !state.tracker.calls.isEmpty {
                        state.tracker.beginSnapshot()
                        emit(state.tracker.reconcile([], vanishedReason: .failed(Self.baresipStoppedReason)))
                    }
                }
                waitBackoff(&backoff)
                continue
            }
            let generation = state.withLock { state -> Int? in
                guard state.lifecycle == .running else { return nil }
                state.socket = socket
                state.generation += 1
                state.lastError = nil
                emitLinkState(.connected, in: &state)
                return state.generation
            }
            guard let generation else { break }
            log("baresip: connected to \(endpoint)")
            scheduleResync(generation: generation, vanishedReason: .failed("ended while the phone link was down"), after: nil)
            let connectedAt = ContinuousClock.now
            let reason = readUntilDropped(socket)
            let pending = state.withLock { state -> [CheckedContinuation<BaresipResponse, any Error>] in
                state.socket = nil
                state.lastError = reason
                let pending = Array(state.pending.values)
                state.pending = [:]
                if state.lifecycle == .running { emitLinkState(.disconnected(reason: reason), in: &state) }
                return pending
            }
            for waiter in pending { waiter.resume(throwing: BaresipLinkError.connectionLost(command: "pending command")) }
            socket.shutdownBoth()
            log("baresip: disconnected from \(endpoint): \(reason)")
            if ContinuousClock.now - connectedAt >= configuration.stableConnection {
                backoff = configuration.initialBackoff
            }
            waitBackoff(&backoff)
        }
        state.withLock { state in
            state.lastLinkState = .disconnected(reason: "closed")
        }
        continuation.yield(.link(.disconnected(reason: "phone link closed")))
        continuation.finish()
    }

    /// Sleeps for `backoff` (or until `close()`), then doubles it up to the cap.
    private func waitBackoff(_ backoff: inout Duration) {
        guard state.withLock({ $0.lifecycle == .running }) else { return }
        let seconds = Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18
        _ = wake.wait(timeout: .now() + seconds)
        backoff = min(backoff * 2, configuration.maxBackoff)
    }

    /// Reads and dispatches frames until the socket fails; returns why.
    private func readUntilDropped(_ socket: BaresipSocket) -> String {
        var decoder = NetstringDecoder(maxLength: Netstring.defaultMaxLength, expectedPayloadStart: UInt8(ascii: "{"))
        while true {
            let bytes: [UInt8]
            do {
                bytes = try socket.read()
            } catch {
                return state.withLock { $0.lifecycle == .closed } ? "closed" : "\(error)"
            }
            var needsResync = false
            for result in decoder.append(bytes) {
                switch result {
                case .success(let frame):
                    switch BaresipMessage.decode(frame.payload) {
                    case .success(let message):
                        dispatch(message)
                    case .failure(let error):
                        log("baresip: ignoring a frame: \(error); re-reading the call list")
                        needsResync = true
                    }
                case .failure(let error):
                    log("baresip: garbage on the ctrl_tcp socket — \(error); skipping to the next frame and re-reading the call list")
                    needsResync = true
                }
            }
            if needsResync {
                let generation = state.withLock { $0.generation }
                scheduleResync(generation: generation, vanishedReason: .remoteHangUp, after: nil)
            }
        }
    }

    /// Routes one decoded message.
    private func dispatch(_ message: BaresipMessage) {
        switch message {
        case .response(let response):
            guard let token = response.token else {
                log("baresip: response without token ignored: \(response.data)")
                return
            }
            let waiter = state.withLock { $0.pending.removeValue(forKey: token) }
            guard let waiter else {
                log("baresip: response for unknown or expired token \(token) ignored")
                return
            }
            waiter.resume(returning: response)
        case .event(let event):
            let (emitted, generation) = state.withLock { state -> ([PhoneEvent], Int) in
                let emitted = state.tracker.apply(event)
                emit(emitted)
                return (emitted, state.generation)
            }
            for phoneEvent in emitted {
                switch phoneEvent {
                case .outgoing(let id, _):
                    scheduleNoAnswerTimer(id)
                case .transferFailed:
                    scheduleResync(generation: generation, vanishedReason: .remoteHangUp,
                                   after: configuration.transferFailedResyncDelay)
                case .incoming, .remoteRinging, .established, .held, .resumed, .transferred, .closed, .link, .listed:
                    break
                }
            }
        }
    }

    /// Hangs up an outbound call still unanswered after `noAnswerTimeout`, reporting `.noAnswer`.
    private func scheduleNoAnswerTimer(_ id: LineCallID) {
        guard let timeout = configuration.noAnswerTimeout else { return }
        Task { [self] in
            try? await Task.sleep(for: timeout)
            let stillAlerting = state.withLock { state -> Bool in
                guard state.tracker.isAlerting(id) else { return false }
                state.tracker.overrideCloseReason(id, .noAnswer)
                return true
            }
            guard stillAlerting else { return }
            log("baresip: outbound call \(id) not answered within \(timeout); hanging up")
            do {
                try await send(.hangUp(id))
            } catch {
                log("baresip: no-answer hang-up of \(id) failed: \(error)")
            }
        }
    }
}
