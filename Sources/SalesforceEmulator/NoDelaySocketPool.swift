#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FlyingFox
import FlyingSocks

/// Wraps FlyingFox's socket pool to switch Nagle's algorithm off (`TCP_NODELAY`) on every socket it
/// waits on: the listening socket (accepted sockets inherit the option on Linux and the BSDs) and each
/// accepted connection.
///
/// FlyingFox writes a response's head and body in separate `send`s. With Nagle on, the body waits for
/// the client's ACK of the head, and the client delays that ACK (~40 ms on Linux) — so every request on
/// a kept-alive connection cost ~45 ms. FlyingFox creates and accepts sockets internally and offers no
/// socket-option hook; the pool is the one public place that sees every socket.
struct NoDelaySocketPool<Base: AsyncSocketPool>: AsyncSocketPool {
    let base: Base

    func prepare() async throws { try await base.prepare() }

    func run() async throws { try await base.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        Self.disableNagle(socket)
        try await base.suspendSocket(socket, untilReadyFor: events)
    }

    /// Sets `TCP_NODELAY`; harmless (and ignored) on sockets that are not TCP.
    static func disableNagle(_ socket: Socket) {
        try? socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY))
    }

    /// Whether `TCP_NODELAY` is set (tests).
    static func isNagleDisabled(_ socket: Socket) -> Bool {
        (try? socket.getValue(for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY))) ?? false
    }
}
