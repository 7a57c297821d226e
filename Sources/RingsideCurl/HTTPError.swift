/// Why a transfer did not produce a complete response.
///
/// Every `CURLcode` maps to exactly one case (see `HTTPError.classify`). Each case's
/// `description` says what to try next. The most important question for callers that
/// create records is answered by `requestMayHaveBeenProcessed`: when it is true the
/// server may have acted on the request, so check before re-sending a non-idempotent one.
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which part of the transfer ran out of time.
    public enum TimeoutPhase: String, Sendable, Equatable {
        /// DNS, TCP connect or TLS handshake: nothing was sent.
        case connect
        /// After the connection was set up: sending the request or waiting for the response.
        case transfer
    }

    /// The URL could not be parsed or uses a scheme this client does not speak.
    case invalidURL(String)
    /// A header name or value contains characters that would corrupt the request (CR, LF, ':' in the name).
    case invalidHeader(name: String)
    /// `allowInsecureLoopback` was set but the host is not 127.0.0.1, localhost or ::1.
    case insecureTransportNotAllowed(host: String)
    /// An e-mail address is empty or contains CR, LF, '<' or '>'.
    case invalidMailAddress(String)
    /// The host name (or proxy name) could not be resolved.
    case dns(host: String)
    /// Nothing accepted a TCP connection at the host and port.
    case couldNotConnect(host: String)
    /// The connect or total timeout expired.
    case timedOut(phase: TimeoutPhase, afterSending: Bool)
    /// The connection broke or closed before a complete response arrived
    /// (reset, empty reply, truncated body).
    case connectionReset(afterSending: Bool)
    /// TLS handshake or certificate verification failed.
    case tls(String)
    /// The server rejected the credentials (SMTP AUTH and similar).
    case loginDenied(String)
    /// The mail server refused the sender, a recipient, or the message.
    case mailRejected(String)
    /// The Swift task was cancelled (or the client shut down) and the transfer was aborted.
    case cancelled
    /// libcurl failed after (part of) the request had gone out, in a way none of the cases above
    /// describes: an unreadable reply (bad content encoding, an HTTP/0.9 or otherwise non-HTTP answer,
    /// a weird server reply), a failed rewind, an aborted upload… The server may have processed it.
    case failedAfterSending(code: Int, message: String)
    /// Any other libcurl failure before the request went out: the raw `CURLcode` and libcurl's message.
    case other(code: Int, message: String)

    /// True when the failure happened after (part of) the request had been sent, so the
    /// server may have processed it. Before re-sending a request that creates something,
    /// check whether it was created (e.g. look the record up by its idempotency key).
    public var requestMayHaveBeenProcessed: Bool {
        switch self {
        case .timedOut(_, let afterSending), .connectionReset(let afterSending):
            return afterSending
        case .failedAfterSending:
            return true
        case .mailRejected:
            // Rejections happen before DATA is accepted: the message was not queued.
            return false
        case .invalidURL, .invalidHeader, .insecureTransportNotAllowed, .invalidMailAddress,
             .dns, .couldNotConnect, .tls, .loginDenied, .cancelled, .other:
            return false
        }
    }

    /// True for failures that a later retry might not hit (network and timeout trouble),
    /// false for mistakes in the request or configuration that will fail the same way again.
    public var isTransient: Bool {
        switch self {
        case .dns, .couldNotConnect, .timedOut, .connectionReset, .failedAfterSending:
            return true
        case .invalidURL, .invalidHeader, .insecureTransportNotAllowed, .invalidMailAddress,
             .tls, .loginDenied, .mailRejected, .cancelled, .other:
            return false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url):
            return "Invalid URL \(url): use an absolute http(s):// (or smtp(s):// for mail) URL and check the configured host."
        case .invalidHeader(let name):
            return "Invalid HTTP header \"\(name)\": header names and values must not contain line breaks; fix the caller that built it."
        case .insecureTransportNotAllowed(let host):
            return "Refusing to skip TLS verification for \(host): allowInsecureLoopback is only permitted for 127.0.0.1, localhost or ::1. Remove the setting or point it at a loopback test server."
        case .invalidMailAddress(let address):
            return "Invalid e-mail address \"\(address)\": give a plain address like agent@example.com without line breaks or angle brackets."
        case .dns(let host):
            return "Could not resolve host \(host): check the host name in the configuration, your DNS, and the network connection."
        case .couldNotConnect(let host):
            return "Could not connect to \(host): check that the server is up, the port is right, and no firewall or proxy (http_proxy/https_proxy) blocks it."
        case .timedOut(.connect, _):
            return "Timed out connecting: the server or network is slow or unreachable. Check connectivity, or raise the connect timeout."
        case .timedOut(.transfer, let afterSending):
            return afterSending
                ? "Timed out waiting for the response after the request was sent: the server may still have processed it. Check before re-sending, or raise the total timeout."
                : "Timed out before the request was fully sent: check the network, or raise the total timeout."
        case .connectionReset(let afterSending):
            return afterSending
                ? "The connection closed before a complete response arrived, after the request was sent: the server may have processed it. Check before re-sending."
                : "The connection closed before the request was sent: it is safe to retry."
        case .tls(let message):
            return "TLS failed (\(message)): check the system clock, the CA bundle (caBundlePath), and any intercepting proxy."
        case .loginDenied(let message):
            return "Login denied (\(message)): check the username and password."
        case .mailRejected(let message):
            return "The mail server refused the message (\(message)): check the sender and recipient addresses and whether the server requires authentication."
        case .cancelled:
            return "The request was cancelled before it completed."
        case .failedAfterSending(let code, let message):
            return "libcurl error \(code) after the request was sent (\(message)): the server may have processed it. Check before re-sending; if it keeps happening, a proxy or load balancer may be answering instead of the server."
        case .other(let code, let message):
            return "libcurl error \(code): \(message). Re-run with tracing enabled for details."
        }
    }
}

extension HTTPError {
    /// What was known about a failed transfer when libcurl gave up; input to `classify`.
    public struct FailureContext: Sendable, Equatable {
        /// Host from the request URL.
        public var host: String
        /// Bytes of the request (headers or body) had been written to the connection.
        public var requestBytesSent: Bool
        /// Connection set-up (TCP + TLS) had completed (`CURLINFO_PRETRANSFER_TIME_T` > 0).
        public var connectionEstablished: Bool
        /// The caller had asked to cancel (so an abort-by-callback is a cancellation).
        public var cancelRequested: Bool
        /// The transfer was an SMTP send.
        public var isMail: Bool

        public init(host: String, requestBytesSent: Bool, connectionEstablished: Bool,
                    cancelRequested: Bool, isMail: Bool = false) {
            self.host = host
            self.requestBytesSent = requestBytesSent
            self.connectionEstablished = connectionEstablished
            self.cancelRequested = cancelRequested
            self.isMail = isMail
        }
    }

    /// When a libcurl error can happen, relative to sending the request.
    public enum Phase: Sendable, Equatable {
        /// Only before anything is written to the connection (set-up, DNS, connect, TLS handshake).
        case beforeSending
        /// Only once the request went out (reading or decoding the reply, closing the connection).
        case afterSending
        /// Either: decided by whether request bytes had been written (`FailureContext.requestBytesSent`).
        case eitherSide
    }

    /// Every `CURLcode` (0…101, libcurl 8) by when it can happen. Codes not listed (newer libcurl) are
    /// `.eitherSide`, so they count as "may have been processed" once anything was sent.
    public static func phase(ofCode code: Int) -> Phase {
        switch code {
        case 2, 4, 5, 6, 7, 33, 35, 36, 37, 43, 45, 48, 49, 53, 54, 58, 59, 60, 64, 66, 77, 82, 83, 89, 90, 91, 93, 96, 97, 98, 101:
            // FAILED_INIT, NOT_BUILT_IN, COULDNT_RESOLVE_PROXY/HOST, COULDNT_CONNECT, RANGE_ERROR, SSL_CONNECT_ERROR,
            // BAD_DOWNLOAD_RESUME, FILE_COULDNT_READ_FILE, BAD_FUNCTION_ARGUMENT, INTERFACE_FAILED, UNKNOWN_OPTION,
            // SETOPT_OPTION_SYNTAX, SSL_ENGINE_*, SSL_CERTPROBLEM, SSL_CIPHER, PEER_FAILED_VERIFICATION, USE_SSL_FAILED,
            // SSL_CACERT_BADFILE, SSL_CRL_BADFILE, SSL_ISSUER_ERROR, NO_CONNECTION_AVAILABLE, SSL_PINNEDPUBKEYNOTMATCH,
            // SSL_INVALIDCERTSTATUS, RECURSIVE_API_CALL, QUIC_CONNECT_ERROR, PROXY, SSL_CLIENTCERT, ECH_REQUIRED
            return .beforeSending
        case 8, 18, 22, 23, 47, 52, 56, 61, 63, 65, 80, 100:
            // WEIRD_SERVER_REPLY, PARTIAL_FILE, HTTP_RETURNED_ERROR, WRITE_ERROR, TOO_MANY_REDIRECTS, GOT_NOTHING,
            // RECV_ERROR, BAD_CONTENT_ENCODING, FILESIZE_EXCEEDED, SEND_FAIL_REWIND, SSL_SHUTDOWN_FAILED, TOO_LARGE:
            // all need a reply (or a sent request) to exist
            return .afterSending
        default:
            // UNSUPPORTED_PROTOCOL and URL_MALFORMAT (also how an HTTP/0.9 reply is reported), timeouts, SEND_ERROR,
            // OUT_OF_MEMORY, ABORTED_BY_CALLBACK, READ_ERROR, HTTP2, HTTP2_STREAM, HTTP3, AGAIN, UNRECOVERABLE_POLL,
            // AUTH_ERROR, LOGIN_DENIED, the FTP/TFTP/SSH/LDAP/RTSP codes, and anything newer
            return .eitherSide
        }
    }

    /// Maps a `CURLcode` (by its numeric value) to a typed error. Pure, so it is unit-tested
    /// without a network. `message` is the `CURLOPT_ERRORBUFFER` text (or `curl_easy_strerror`).
    public static func classify(code: Int, message: String, context: FailureContext) -> HTTPError {
        switch code {
        case 1, 3: // UNSUPPORTED_PROTOCOL, URL_MALFORMAT — after sending, an HTTP/0.9 or non-HTTP reply
            return context.requestBytesSent && !context.isMail ? .failedAfterSending(code: code, message: message) : .invalidURL(message)
        case 5: // COULDNT_RESOLVE_PROXY
            return .dns(host: "proxy (\(message))")
        case 6: // COULDNT_RESOLVE_HOST
            return .dns(host: context.host)
        case 7: // COULDNT_CONNECT
            return .couldNotConnect(host: context.host)
        case 28: // OPERATION_TIMEDOUT
            let phase: TimeoutPhase = (context.connectionEstablished || context.requestBytesSent) ? .transfer : .connect
            return .timedOut(phase: phase, afterSending: context.requestBytesSent)
        case 18, 52, 56: // PARTIAL_FILE, GOT_NOTHING, RECV_ERROR: only possible once the request went out
            return .connectionReset(afterSending: true)
        case 55: // SEND_ERROR (SMTP also reports refused MAIL FROM / RCPT TO this way)
            if context.isMail, message.contains("MAIL failed") || message.contains("RCPT failed") || message.contains("DATA failed") {
                return .mailRejected(message)
            }
            return .connectionReset(afterSending: context.requestBytesSent)
        case 8: // WEIRD_SERVER_REPLY (SMTP: unexpected reply code)
            return context.isMail ? .mailRejected(message) : .failedAfterSending(code: code, message: message)
        case 35, 53, 54, 58, 59, 60, 64, 66, 77, 82, 83, 90, 91, 98:
            // SSL_CONNECT_ERROR, SSL_ENGINE_*, SSL_CERTPROBLEM, SSL_CIPHER, PEER_FAILED_VERIFICATION,
            // USE_SSL_FAILED, SSL_ENGINE_INITFAILED, SSL_CACERT_BADFILE,
            // SSL_CRL_BADFILE, SSL_ISSUER_ERROR, SSL_PINNEDPUBKEYNOTMATCH, SSL_INVALIDCERTSTATUS, SSL_CLIENTCERT
            return .tls(message)
        case 67, 94: // LOGIN_DENIED, AUTH_ERROR
            return .loginDenied(message)
        case 42: // ABORTED_BY_CALLBACK
            if context.cancelRequested { return .cancelled }
            return context.requestBytesSent ? .failedAfterSending(code: code, message: message) : .other(code: code, message: message)
        default:
            switch phase(ofCode: code) {
            case .afterSending:
                return .failedAfterSending(code: code, message: message)
            case .eitherSide where context.requestBytesSent:
                return .failedAfterSending(code: code, message: message)
            case .beforeSending, .eitherSide:
                return .other(code: code, message: message)
            }
        }
    }
}
