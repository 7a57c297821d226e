import Foundation
import RingsideCore

/// `PhoneLink` over baresip's ctrl_tcp (netstring-framed JSON on TCP), tested against baresip 1.0.0.
///
/// **Threads.** One dedicated reader thread owns connecting, reading, decoding and reconnecting. Commands are
/// written by the calling task under the state lock and their responses are matched by `token`. All call state
/// lives in a `BaresipCallTracker` behind the same lock, so events and synthesised events come out in one order.
///
/// **Link states** are emitted on transitions only: `.connecting` once at start, `.connected` on every
/// successful connect, `.disconnected(reason)` when a connection drops or a connect attempt fails with a new
/// reason. Retries use exponential backoff (`initialBackoff` doubling up to `maxBackoff`); the backoff resets only
/// after a connection that lasted `stableConnection`, so two clients fighting over baresip's single ctrl_tcp slot
/// do not spin.
///
/// **Resynchronisation.** baresip does not buffer or replay events. After every (re)connect, after a netstring or
/// JSON error, and shortly after TRANSFER_FAILED (1.0.0 drops the call without CALL_CLOSED), the link reads the call
/// list (`listcalls`, then `line N` + `callstat` per call for its id and direction) and reconciles: calls it no longer
/// has are closed, new ones announced, answered/held state changes reported. See `BaresipCallTracker.reconcile`.
/// When a reconnect is *refused* (nothing listens: the baresip process is gone), the calls it held are closed at once
/// with `.failed(baresipStoppedReason)`, so their records are saved without waiting for baresip to return.
///
/// **Events baresip 1.0.0 does not send** and that the link synthesises: `.outgoing` (from the first event carrying the
/// call id), `.held`/`.resumed` (after baresip accepts `hold`/`resume`), `.held` for the active call when `answer`
/// takes a waiting call (baresip's `accept` holds it), `.closed(.noAnswer)` when the optional `noAnswerTimeout`
/// hangs up an unanswered outbound call (1.0.0 has no outbound ring timeout).
public final class BaresipLink: PhoneLink {
    /// baresip keeps its calls when Ringside stops: they are picked up again at the next start.
    public var callsOutliveRingside: Bool { true }

    /// Tunables; defaults suit a local baresip.
    public struct Configuration: Sendable {
        public var endpoint: BaresipEndpoint
        /// How long to wait for each response.
        public var commandTimeout: Duration = .seconds(5)
        public var initialBackoff: Duration = .milliseconds(100)
        public var maxBackoff: Duration = .seconds(5)
        /// A connection that lasted this long resets the backoff.
        public var stableConnection: Duration = .seconds(10)
        public var connectTimeoutSeconds = 3
        /// Outbound calls not answered within this are hung up and reported as `.closed(.noAnswer)`; nil = never.
        public var noAnswerTimeout: Duration?
        /// Delay before re-reading the call list after TRANSFER_FAILED.
        public var transferFailedResyncDelay: Duration = .milliseconds(500)

        public init(endpoint: BaresipEndpoint) {
            self.endpoint = endpoint
        }
    }

    /// The end reason of calls lost because baresip stopped (its ctrl_tcp port refuses connections).
    public static let baresipStoppedReason = "baresip stopped during the call"

    public let events: AsyncStream<PhoneEvent>
    let configuration: Configuration
    let log: @Sendable (String) -> Void
    let continuation: AsyncStream<PhoneEvent>.Continuation
    let state = BaresipLocked(State())
    let gate = BaresipCommandGate()
    /// Signalled by `close()` to cut a backoff wait short.
    let wake = DispatchSemaphore(value: 0)

    /// Lifecycle of the link object.
    enum Lifecycle {
        /// Created, `start()` not called.
        case idle
        /// Reader thread running.
        case running
        /// `close()` called; final.
        case closed
    }

    /// Everything mutable, guarded by `state`.
    struct State {
        var lifecycle = Lifecycle.idle
        /// The live connection, nil while disconnected.
        var socket: BaresipSocket?
        /// Incremented on each connect; stale resync passes check it.
        var generation = 0
        var tracker = BaresipCallTracker()
        var pending: [String: CheckedContinuation<BaresipResponse, any Error>] = [:]
        var nextToken = 0
        var lastLinkState: LinkState?
        var lastError: String?
    }

    /// Creates a link; nothing happens until `start()`.
    public init(configuration: Configuration, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.log = log
        (events, continuation) = AsyncStream.makeStream(of: PhoneEvent.self, bufferingPolicy: .unbounded)
    }

    /// Convenience: `BaresipLink(url: "baresip://127.0.0.1:4444")`.
    public convenience init(url: String, log: @escaping @Sendable (String) -> Void = { _ in }) throws(BaresipEndpointError) {
        self.init(configuration: Configuration(endpoint: try BaresipEndpoint(parsing: url)), log: log)
    }

    public func start() async {
        let shouldStart = state.withLock { state -> Bool in
            switch state.lifecycle {
            case .idle:
                state.lifecycle = .running
                return true
            case .running, .closed:
                return false
            }
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in runConnectionLoop() }
        thread.name = "ringside.baresip-reader"
        thread.start()
    }

    public func close() async {
        let (socket, pending) = state.withLock { state -> (BaresipSocket?, [CheckedContinuation<BaresipResponse, any Error>]) in
            state.lifecycle = .closed
            let pending = Array(state.pending.values)
            state.pending = [:]
            return (state.socket, pending)
        }
        socket?.shutdownBoth()
        wake.signal()
        for waiter in pending { waiter.resume(throwing: BaresipLinkError.closed) }
    }

    /// True while a ctrl_tcp connection is up.
    public var isConnected: Bool {
        state.withLock { $0.socket != nil }
    }

    // MARK: - Emitting

    /// Yields events; call with the state lock held so that order matches tracker order.
    func emit(_ events: [PhoneEvent]) {
        for event in events { continuation.yield(event) }
    }

    /// Emits a link state if it differs from the last one. Lock must be held.
    func emitLinkState(_ linkState: LinkState, in state: inout State) {
        guard state.lastLinkState != linkState else { return }
        state.lastLinkState = linkState
        continuation.yield(.link(linkState))
    }
}
