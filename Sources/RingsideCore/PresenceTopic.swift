/// MQTT topic names for presence: `ringside/<tenant>/agents/<agentId>` (retained agent state) and
/// `ringside/<tenant>/queue/events` (queue events for the wallboard's figures, not retained).
public enum PresenceTopic {
    public static let root = "ringside"

    /// Topic of one agent's retained state.
    public static func agent(tenant: String, agentId: String) -> String { "\(root)/\(tenant)/agents/\(agentId)" }

    /// Subscription covering every agent of a tenant.
    public static func allAgents(tenant: String) -> String { "\(root)/\(tenant)/agents/+" }

    /// Topic of transfer contexts (issue 18): every agent of the tenant listens, the call decides who it is for.
    public static func handoffs(tenant: String) -> String { "\(root)/\(tenant)/handoffs" }

    /// Topic of the queue event feed.
    public static func queueEvents(tenant: String) -> String { "\(root)/\(tenant)/queue/events" }

    /// The agent id of an agent topic of `tenant`, or nil when `topic` is something else.
    public static func agentId(in topic: String, tenant: String) -> String? {
        let prefix = "\(root)/\(tenant)/agents/"
        guard topic.hasPrefix(prefix) else { return nil }
        let id = String(topic.dropFirst(prefix.count))
        return isValidLevel(id) ? id : nil
    }

    /// A tenant or agent id usable as one topic level: non-empty, at most 128 bytes,
    /// no `/`, `+`, `#`, NUL or other control characters.
    public static func isValidLevel(_ level: String) -> Bool {
        guard !level.isEmpty, level.utf8.count <= 128 else { return false }
        return level.unicodeScalars.allSatisfy { s in
            s != "/" && s != "+" && s != "#" && s.value >= 0x20 && !(0x7F...0x9F).contains(s.value)
        }
    }
}
