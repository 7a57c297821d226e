import RingsideCore

/// Why a command to baresip did not happen. Each message says what to do.
public enum BaresipLinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No ctrl_tcp connection right now (the link keeps reconnecting in the background).
    case notConnected(BaresipEndpoint, lastError: String?)
    /// `close()` was called.
    case closed
    /// The connection dropped before baresip answered; the command may or may not have run.
    case connectionLost(command: String)
    /// baresip answered `ok:false`.
    case rejected(command: String, reason: String)
    /// baresip does not know this call (it ended, or the id is wrong).
    case unknownCall(LineCallID)
    /// No answer within the command timeout.
    case timedOut(command: String, seconds: Double)

    public var description: String {
        switch self {
        case .notConnected(let endpoint, let lastError):
            "The phone is not connected (\(endpoint)\(lastError.map { ": \($0)" } ?? "")). "
                + "Start baresip with ctrl_tcp_listen set to that address; Ringside reconnects automatically."
        case .closed:
            "The phone link was closed; restart Ringside's phone link to send commands."
        case .connectionLost(let command):
            "The connection to baresip dropped while '\(command)' was in flight; check the call state once the link is back."
        case .rejected(let command, let reason):
            "baresip refused '\(command)': \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .unknownCall(let id):
            "baresip has no call \(id) any more; it probably ended. The call list resynchronises on its own."
        case .timedOut(let command, let seconds):
            "baresip did not answer '\(command)' within \(seconds) s; it may be overloaded or hung — check the baresip process."
        }
    }
}
