import Foundation
import RingsideCore
import RingsideStore
import RingsideUI

/// The event outboxes at a glance, for `doctor` and `outbox list`: agent-state platform events (Salesforce) and
/// queue observations (MQTT queue feed), each with counts and the oldest waiting one's age.
public struct OutboxStatus: Hashable, Sendable {
    public var events: EventOutboxSummary
    public var queue: QueueOutboxSummary

    public init(events: EventOutboxSummary, queue: QueueOutboxSummary) {
        self.events = events
        self.queue = queue
    }

    /// Reads both summaries from the store.
    public static func read(_ store: SQLiteCallStore) throws -> OutboxStatus {
        OutboxStatus(events: try store.eventOutboxSummary(), queue: try store.queueOutboxSummary())
    }

    /// Parked platform events need someone to fix the cause and retry them.
    public var needsAttention: Bool { events.parked > 0 }

    /// `platform events: 2 queued (oldest 4m 10s ago), 1 parked (oldest 1h 02m ago)`.
    public func eventsLine(now: Date) -> String {
        guard events.queued + events.parked > 0 else { return "platform events: none waiting" }
        var parts: [String] = []
        if events.queued > 0 { parts.append("\(events.queued) queued\(Self.age(events.oldestQueued, now: now))") }
        if events.parked > 0 { parts.append("\(events.parked) parked\(Self.age(events.oldestParked, now: now))") }
        var line = "platform events: " + parts.joined(separator: ", ")
        if let error = events.lastError { line += "; last error: \(SafeText.line(error))" }
        return line
    }

    /// `queue events (MQTT): 3 waiting (oldest 2m 05s ago); last error: …`.
    public func queueLine(now: Date) -> String {
        guard queue.pending > 0 else { return "queue events (MQTT): none waiting" }
        var line = "queue events (MQTT): \(queue.pending) waiting\(Self.age(queue.oldest, now: now))"
        if let error = queue.lastError { line += "; last error: \(SafeText.line(error))" }
        return line
    }

    static func age(_ date: Date?, now: Date) -> String {
        guard let date else { return "" }
        return " (oldest \(WallboardFormat.span(max(0, now.timeIntervalSince(date)).rounded())) ago)"
    }
}
