import Foundation
import Logging
import RingsideCore
import RingsidePresence

/// Builds the agent's presence publisher from `[presence]` settings (nil when no broker is configured).
public enum PresenceSetup {
    public static func agentPresence(config: RingsideConfig, user: AgentUser) throws -> (presence: any Presence, agentId: String)? {
        guard !config.broker.isEmpty else { return nil }
        var settings = try MQTTSettings(url: config.broker, tenant: config.tenant)
        if !config.presenceUsername.isEmpty { settings.username = config.presenceUsername }
        if !config.presencePassword.isEmpty { settings.password = config.presencePassword }
        if !config.presenceCAFile.isEmpty { settings.caFile = config.presenceCAFile }
        let id = user.id.isEmpty ? sanitizedID(config.agentName) : user.id
        let logger = RingsideLog.logger("mqtt")
        return (try MQTTPresence(settings: settings, role: .agent(id: id, name: user.name), log: { logger.notice("\($0)") }), id)
    }

    /// The wallboard's queue thresholds from `[presence] service_level_seconds` and `short_abandon_seconds`.
    public static func queueSettings(config: RingsideConfig?) -> QueueSettings {
        guard let config else { return QueueSettings() }
        return QueueSettings(serviceLevelThreshold: TimeInterval(config.serviceLevelSeconds),
                             shortAbandonThreshold: TimeInterval(config.shortAbandonSeconds))
    }

    /// A topic-safe agent id from a display name (`Sam Agent` → `sam-agent`).
    static func sanitizedID(_ name: String) -> String {
        let id = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(id).trimmingCharacters(in: CharacterSet(charactersIn: "-")).isEmpty ? "agent" : String(id)
    }
}
