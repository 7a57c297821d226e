#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock (`flock`) on a file next to the database, held by whoever is delivering.
///
/// The kernel drops it when its holder dies — even under `kill -9` — so a process that gets the lock knows
/// no other sender is alive: every claim left in the outbox belongs to a dead sender and can be taken over
/// at once (as uncertain, so the CRM is asked before re-sending) instead of waiting for the claim's lease.
final class OutboxDrainLock {
    enum Outcome: Equatable {
        /// This process is the only sender.
        case acquired
        /// Another process is delivering right now.
        case busy
        /// The lock file can't be opened (e.g. a read-only directory): fall back to claim leases.
        case unavailable
    }

    let path: String
    private var fd: Int32 = -1

    init(databasePath: String) {
        path = databasePath + ".deliver-lock"
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func tryLock() -> Outcome {
        if fd < 0 {
            fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return .unavailable }
        }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return .acquired }
        return errno == EWOULDBLOCK ? .busy : .unavailable
    }

    func unlock() {
        if fd >= 0 { _ = flock(fd, LOCK_UN) }
    }
}
