import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-shot TCP reachability check for `ringside doctor`.
public enum TCPProbe {
    public static func canConnect(host: String, port: UInt16, timeoutSeconds: Int = 2) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return false }
        defer { freeaddrinfo(result) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else { return false }
        return connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0
    }
}
