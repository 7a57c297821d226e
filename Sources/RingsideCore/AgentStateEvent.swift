import Foundation

/// One agent state change as a Salesforce platform event (seed 002's real-time integration), e.g. `Agent_State__e`.
///
/// Fields (all text; create them on the event in Setup): `Agent__c` (name), `Agent_Id__c`, `User_Id__c` (the Salesforce
/// user id), `State__c` (`ready`, `notReady`, `onCall`, `wrapUp`, `offline`), `Reason__c`, `Activity_Category__c`
/// (the seed-002 categories the activity counts towards, `"Idle; Ready"`), `Since__c` (ISO 8601) and
/// `Call_Direction__c` (`Inbound` / `Outbound`, empty without a call).
public struct AgentStateEvent: Hashable, Sendable, Codable {
    public var agentName: String
    public var agentId: String
    public var userId: String
    public var state: PresenceState
    public var reason: String?
    public var categories: [ActivityCategory]
    public var since: Date
    public var callDirection: CallDirection?

    public init(presence: AgentPresence, userId: String, mapping: ActivityCategoryMapping = ActivityCategoryMapping()) {
        agentName = presence.name
        agentId = presence.agentId
        self.userId = userId
        state = presence.state
        reason = presence.reason
        categories = mapping.categories(state: presence.state, reason: presence.reason).sorted { $0.rawValue < $1.rawValue }
        since = presence.since
        callDirection = presence.call?.direction
    }

    /// The event's field values for `POST /sobjects/<Event>__e` (nil: sent as JSON null).
    public var fields: [String: String?] {
        [
            "Agent__c": agentName, "Agent_Id__c": agentId, "User_Id__c": userId.isEmpty ? nil : userId,
            "State__c": state.rawValue, "Reason__c": reason,
            "Activity_Category__c": categories.isEmpty ? nil : categories.map(\.rawValue).joined(separator: "; "),
            "Since__c": ISO8601.string(since), "Call_Direction__c": callDirection?.rawValue,
        ]
    }
}
