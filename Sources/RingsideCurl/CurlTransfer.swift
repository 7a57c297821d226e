import CCurl
import Foundation

/// What a finished transfer produced (HTTP or SMTP).
struct CurlOutcome: Sendable {
    var status: Int
    var headers: HTTPHeaderFields
    var body: Data
    var effectiveURL: String
    var timing: HTTPTiming
}

/// The state of one transfer: buffers the C callbacks fill, the body they upload, the
/// continuation to resume, and the cancel flag.
///
/// Threading: `cancel()` may be called from any thread (it only flips a locked flag); every
/// other member is touched by the thread that configures the handle and then, strictly
/// afterwards, only by the transfer loop thread. That hand-over goes through the loop's
/// lock, which orders the memory accesses, hence `@unchecked Sendable`.
final class CurlTransfer: @unchecked Sendable {
    let easy: CurlEasy
    let host: String
    let isMail: Bool
    /// `CURLOPT_ERRORBUFFER`: libcurl writes a human-readable reason here on failure.
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// Lists handed to libcurl (headers, recipients) that must outlive the transfer.
    var lists: [UnsafeMutablePointer<curl_slist>] = []

    // Filled by callbacks on the loop thread.
    var responseBody = Data()
    var responseHeaders = HTTPHeaderFields()
    /// Body fed to libcurl by the read callback (SMTP upload).
    var upload = Data()
    var uploadOffset = 0

    private let lock = NSLock()
    private var cancelFlag = false
    private var continuation: CheckedContinuation<Result<CurlOutcome, HTTPError>, Never>?

    init(easy: CurlEasy, host: String, isMail: Bool) {
        self.easy = easy
        self.host = host
        self.isMail = isMail
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    // MARK: Cancellation (any thread)

    /// Asks the transfer to stop; the progress callback returns non-zero on its next call.
    func cancel() {
        lock.withLock { cancelFlag = true }
    }

    var isCancelRequested: Bool {
        lock.withLock { cancelFlag }
    }

    // MARK: Continuation

    func setContinuation(_ continuation: CheckedContinuation<Result<CurlOutcome, HTTPError>, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Resumes the waiting task exactly once.
    func complete(_ result: Result<CurlOutcome, HTTPError>) {
        let waiting: CheckedContinuation<Result<CurlOutcome, HTTPError>, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: result)
    }

    // MARK: Callbacks

    /// Installs the write, header, read and progress callbacks, all pointing at `self`.
    /// The loop keeps `self` alive while the handle is in the multi stack.
    func installCallbacks() throws(HTTPError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try easy.setWriteFunction { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.responseBody.append($0, count: length) }
            return length
        }
        try easy.set(CURLOPT_WRITEDATA, pointer: me)
        try easy.setHeaderFunction { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
            }
            transfer.receiveHeaderLine(line)
            return length
        }
        try easy.set(CURLOPT_HEADERDATA, pointer: me)
        try easy.setReadFunction { buffer, size, count, context in
            guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.fillUpload(buffer, capacity: size * count)
        }
        try easy.set(CURLOPT_READDATA, pointer: me)
        try easy.setProgressFunction { context, _, _, _, _ in
            guard let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.isCancelRequested ? 1 : 0
        }
        try easy.set(CURLOPT_XFERINFODATA, pointer: me)
        try easy.set(CURLOPT_NOPROGRESS, false)
        try easy.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    /// Parses one raw header line. A status line starts a new header block, so interim
    /// responses (`100 Continue`) and proxy `CONNECT` replies leave only the final headers.
    func receiveHeaderLine(_ raw: String) {
        let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        if line.hasPrefix("HTTP/") {
            responseHeaders = HTTPHeaderFields()
            return
        }
        guard !line.isEmpty else { return }
        if line.first == " " || line.first == "\t", let last = responseHeaders.fields.last {
            // Obsolete line folding: continue the previous value.
            var fields = responseHeaders.fields
            fields[fields.count - 1].value = last.value + " " + line.trimmingCharacters(in: .whitespaces)
            responseHeaders = HTTPHeaderFields(fields.map { ($0.name, $0.value) })
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        responseHeaders.add(name, value)
    }

    private func fillUpload(_ buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        if isCancelRequested { return Int(CURL_READFUNC_ABORT) }
        let remaining = upload.count - uploadOffset
        let length = min(remaining, capacity)
        guard length > 0 else { return 0 }
        upload.withUnsafeBytes { bytes in
            let start = bytes.baseAddress!.advanced(by: uploadOffset)
            UnsafeMutableRawPointer(buffer).copyMemory(from: start, byteCount: length)
        }
        uploadOffset += length
        return length
    }

    // MARK: Result

    /// Builds the result from the handle's info. Called on the loop thread while the handle
    /// is still attached, right after libcurl reported the transfer done.
    func outcome(_ code: CURLcode) -> Result<CurlOutcome, HTTPError> {
        guard code == CURLE_OK else {
            let buffered = String(cString: errorBuffer)
            let message = buffered.isEmpty ? CurlEasy.describe(code) : buffered
            let sentHeaderBytes = (easy.long(CURLINFO_REQUEST_SIZE) ?? 0) > 0
            let sentBodyBytes = (easy.offset(CURLINFO_SIZE_UPLOAD_T) ?? 0) > 0 || uploadOffset > 0
            let context = HTTPError.FailureContext(
                host: host,
                requestBytesSent: sentHeaderBytes || sentBodyBytes,
                connectionEstablished: (easy.offset(CURLINFO_PRETRANSFER_TIME_T) ?? 0) > 0,
                cancelRequested: isCancelRequested,
                isMail: isMail
            )
            return .failure(HTTPError.classify(code: Int(code.rawValue), message: message, context: context))
        }
        guard let status = easy.long(CURLINFO_RESPONSE_CODE) else {
            return .failure(.other(code: 43, message: "curl_easy_getinfo(CURLINFO_RESPONSE_CODE) failed"))
        }
        let timing = HTTPTiming(
            total: Double(easy.offset(CURLINFO_TOTAL_TIME_T) ?? 0) / 1_000_000,
            connectionsOpened: easy.long(CURLINFO_NUM_CONNECTS) ?? 0
        )
        return .success(CurlOutcome(
            status: status,
            headers: responseHeaders,
            body: responseBody,
            effectiveURL: easy.string(CURLINFO_EFFECTIVE_URL) ?? "",
            timing: timing
        ))
    }
}
