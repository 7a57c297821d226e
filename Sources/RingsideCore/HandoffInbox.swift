import Foundation

/// Transfer contexts received from other agents, waiting for the call they describe to ring here.
///
/// Matching (pure; the receiver's clock is passed in): the same Call-ID first; failing that (a blind transfer
/// gives the receiving leg a new Call-ID) the same E.164 number with the context received within `window`
/// seconds of the ring. The newest matching context wins and is consumed. Bounded: at most `capacity`
/// contexts are kept, and old ones are dropped on every use.
public struct HandoffInbox: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var context: TransferContext
        public var receivedAt: Date
    }

    public private(set) var entries: [Entry] = []
    public var window: TimeInterval
    public var capacity: Int

    public init(window: TimeInterval = 120, capacity: Int = 64) {
        self.window = window
        self.capacity = capacity
    }

    /// Keeps `context` (received `now`) for a call that has not rung yet.
    public mutating func receive(_ context: TransferContext, at now: Date) {
        prune(at: now)
        entries.removeAll { $0.context.callId == context.callId && $0.context.fromAgentId == context.fromAgentId }
        entries.append(Entry(context: context, receivedAt: now))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    /// The context for a call that rang `now` with this Call-ID and number, removed from the inbox.
    public mutating func take(callId: String?, number: String?, at now: Date) -> TransferContext? {
        prune(at: now)
        guard let index = Self.bestMatch(entries.map { ($0.context, $0.receivedAt) }, callId: callId, number: number,
                                         ringAt: now, window: window) else { return nil }
        return entries.remove(at: index).context
    }

    /// Drops contexts older than the window.
    public mutating func prune(at now: Date) {
        entries.removeAll { now.timeIntervalSince($0.receivedAt) > window }
    }

    /// Whether a context received at `receivedAt` describes a call that rang at `ringAt` with this Call-ID and number.
    public static func matches(_ context: TransferContext, receivedAt: Date, callId: String?, number: String?,
                               ringAt: Date, window: TimeInterval) -> Bool {
        if let callId, !callId.isEmpty, context.callId == callId { return true }
        guard let number, !number.isEmpty, context.number == number else { return false }
        return abs(ringAt.timeIntervalSince(receivedAt)) <= window
    }

    /// Index of the best candidate: a Call-ID match, else the newest number match within the window.
    public static func bestMatch(_ candidates: [(TransferContext, Date)], callId: String?, number: String?,
                                 ringAt: Date, window: TimeInterval) -> Int? {
        if let callId, !callId.isEmpty, let exact = candidates.lastIndex(where: { $0.0.callId == callId }) { return exact }
        return candidates.indices.last { i in
            matches(candidates[i].0, receivedAt: candidates[i].1, callId: nil, number: number, ringAt: ringAt, window: window)
        }
    }
}
