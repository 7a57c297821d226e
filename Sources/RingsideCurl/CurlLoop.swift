import CCurl
import Foundation

/// Drives every transfer of one `CurlHTTPClient` on a single dedicated thread with
/// libcurl's multi interface.
///
/// Why the multi interface on one thread (rather than a pool of threads each blocking in
/// `curl_easy_perform`):
/// - **Connection reuse is shared.** The multi handle owns one connection cache and one DNS
///   cache, so any request can reuse any kept-alive connection; a thread pool would keep a
///   separate cache per handle and open up to N connections to the same host.
/// - **Concurrency without threads.** 50 parallel requests cost 50 easy handles, not 50
///   threads; the machine has 2 cores.
/// - **Prompt cancellation and shutdown.** `curl_multi_poll` sleeps until a socket is ready,
///   a timeout is due, or another thread calls `curl_multi_wakeup` (thread-safe). Cancelling a
///   Swift task sets the transfer's flag and wakes the loop; the next `curl_multi_perform`
///   runs the progress callback, which returns non-zero and aborts the transfer with
///   `CURLE_ABORTED_BY_CALLBACK`. No signals are involved (`CURLOPT_NOSIGNAL`).
/// - **Idle means blocked.** With nothing to do the thread sits in `curl_multi_poll`
///   (woken at least once a second as a safety net), no busy polling.
///
/// Easy handles are recycled (`curl_easy_reset`) through a small idle pool.
/// Threading: `incoming`, `idle` and `stopRequested` are guarded by `lock`; `active` and
/// the multi handle are only touched by the loop thread (except `curl_multi_wakeup`).
final class CurlLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var incoming: [CurlTransfer] = []
    private var idle: [UnsafeMutableRawPointer] = []
    private var stopRequested = false
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private let maxIdleHandles: Int

    /// Creates the multi handle and starts the loop thread.
    init(maxConnections: Int, maxIdleHandles: Int = 16) throws(HTTPError) {
        try CurlGlobal.initialise()
        guard let multi = curl_multi_init() else {
            throw .other(code: 2, message: "curl_multi_init failed: libcurl could not allocate a multi handle")
        }
        let code = rs_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, maxConnections))
        guard code == CURLM_OK else {
            curl_multi_cleanup(multi)
            throw .other(code: Int(code.rawValue), message: "curl_multi_setopt(CURLMOPT_MAXCONNECTS) failed: \(Self.describe(code))")
        }
        self.multi = multi
        self.maxIdleHandles = maxIdleHandles
        // The thread holds the loop strongly until it exits after `shutdown()`.
        let thread = Thread { [self] in self.run() }
        thread.name = "ringside.curl"
        thread.start()
    }

    static func describe(_ code: CURLMcode) -> String {
        guard let text = curl_multi_strerror(code) else { return "CURLMcode \(code.rawValue)" }
        return String(cString: text)
    }

    // MARK: Any thread

    /// An easy handle for a new transfer: a recycled one if available.
    func makeHandle() throws(HTTPError) -> CurlEasy {
        if let handle = lock.withLock({ idle.popLast() }) {
            return CurlEasy(raw: handle)
        }
        guard let handle = curl_easy_init() else {
            throw .other(code: 2, message: "curl_easy_init failed: libcurl could not allocate a handle")
        }
        return CurlEasy(raw: handle)
    }

    /// Returns a handle that was never submitted (configuration failed).
    func discard(_ easy: CurlEasy) {
        recycle(easy.raw)
    }

    /// Runs a configured transfer to completion. Cancelling the calling task aborts it.
    func perform(_ transfer: CurlTransfer) async -> Result<CurlOutcome, HTTPError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.setContinuation(continuation)
                submit(transfer)
            }
        } onCancel: {
            transfer.cancel()
            wake()
        }
    }

    /// Stops the loop: queued and running transfers finish with `.cancelled`, then the
    /// thread cleans up the handles and exits. Returns immediately.
    func shutdown() {
        lock.withLock { stopRequested = true }
        wake()
    }

    private func submit(_ transfer: CurlTransfer) {
        let accepted: Bool = lock.withLock {
            guard !stopRequested else { return false }
            incoming.append(transfer)
            return true
        }
        guard accepted else {
            transfer.complete(.failure(.cancelled))
            discard(transfer.easy)
            return
        }
        wake()
    }

    /// Interrupts `curl_multi_poll`. If the wake-up fails the loop still notices new work
    /// within its one-second poll timeout, so the failure only costs latency.
    private func wake() {
        _ = curl_multi_wakeup(multi)
    }

    private func recycle(_ handle: UnsafeMutableRawPointer) {
        curl_easy_reset(handle)
        let kept: Bool = lock.withLock {
            guard !stopRequested, idle.count < maxIdleHandles else { return false }
            idle.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }

    // MARK: Loop thread

    private func run() {
        var running: Int32 = 0
        while true {
            let (arrived, stopping) = lock.withLock { () -> ([CurlTransfer], Bool) in
                defer { incoming.removeAll() }
                return (incoming, stopRequested)
            }
            for transfer in arrived { attach(transfer) }
            if stopping {
                for transfer in active.values { transfer.cancel() }
                if active.isEmpty { break }
            }

            let performCode = curl_multi_perform(multi, &running)
            if performCode != CURLM_OK {
                failAll(.other(code: Int(performCode.rawValue), message: "curl_multi_perform failed: \(Self.describe(performCode))"))
            }
            collectFinished()

            var readyDescriptors: Int32 = 0
            let pollCode = curl_multi_poll(multi, nil, 0, 1000, &readyDescriptors)
            if pollCode != CURLM_OK {
                failAll(.other(code: Int(pollCode.rawValue), message: "curl_multi_poll failed: \(Self.describe(pollCode))"))
                usleep(10_000) // do not spin if polling keeps failing
            }
        }
        let handles: [UnsafeMutableRawPointer] = lock.withLock {
            defer { idle.removeAll() }
            return idle
        }
        for handle in handles { curl_easy_cleanup(handle) }
        let cleanupCode = curl_multi_cleanup(multi)
        assert(cleanupCode == CURLM_OK, "curl_multi_cleanup: \(Self.describe(cleanupCode))")
    }

    private func attach(_ transfer: CurlTransfer) {
        if transfer.isCancelRequested {
            transfer.complete(.failure(.cancelled))
            recycle(transfer.easy.raw)
            return
        }
        let code = curl_multi_add_handle(multi, transfer.easy.raw)
        guard code == CURLM_OK else {
            transfer.complete(.failure(.other(code: Int(code.rawValue), message: "curl_multi_add_handle failed: \(Self.describe(code))")))
            recycle(transfer.easy.raw)
            return
        }
        active[transfer.easy.raw] = transfer
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            // Copy what we need: the message is invalid after curl_multi_remove_handle.
            let kind = message.pointee.msg
            let result = message.pointee.data.result
            guard kind == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  let transfer = active.removeValue(forKey: handle) else { continue }
            let outcome = transfer.outcome(result)
            detach(transfer, outcome: outcome)
        }
    }

    private func detach(_ transfer: CurlTransfer, outcome: Result<CurlOutcome, HTTPError>) {
        withExtendedLifetime(transfer) {
            let code = curl_multi_remove_handle(multi, transfer.easy.raw)
            transfer.complete(outcome)
            if code == CURLM_OK {
                recycle(transfer.easy.raw)
            }
            // If removal failed the multi handle still references the easy handle: leaking
            // it is safer than freeing memory libcurl may touch again.
        }
    }

    private func failAll(_ error: HTTPError) {
        let transfers = active.values
        active.removeAll()
        for transfer in transfers { detach(transfer, outcome: .failure(error)) }
    }
}
