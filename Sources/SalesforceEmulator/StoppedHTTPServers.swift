import FlyingFox
import Synchronization

/// Keeps stopped FlyingFox servers alive until the process ends: FlyingFox's socket pool can still be in `epoll_wait`
/// on a dispatch queue after its run task ends, and freeing it then crashes the process ("Attempted to read an unowned
/// reference but object … was already destroyed", SocketPool.swift:145). The emulator and the tests' HTTP servers
/// hand every server they stop to `retire`.
public enum StoppedHTTPServers {
    private static let retired = Mutex<[HTTPServer]>([])

    /// Keeps `server` referenced for the rest of the process.
    public static func retire(_ server: HTTPServer) {
        retired.withLock { $0.append(server) }
    }
}
