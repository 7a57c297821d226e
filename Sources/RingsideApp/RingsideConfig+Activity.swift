import RingsideCore

/// `[activity]`: which activities count towards each seed-002 activity category (semicolon lists, as in the
/// workforce-management settings). Used by the wallboard, `ringside report` and the agent-state platform event.
extension RingsideConfig {
    static let activityKeys: [Key] = [
        string("activity", "admin", "Activities counted as Admin (semicolon list)", \.activityAdmin),
        string("activity", "idle", "Activities counted as Idle (semicolon list)", \.activityIdle),
        string("activity", "not_ready", "Activities counted as Not ready (semicolon list; Not-ready reasons go here)", \.activityNotReady),
        string("activity", "ready", "Activities counted as Ready (semicolon list)", \.activityReady),
    ]

    /// The category lists as configured.
    public var activityMapping: ActivityCategoryMapping {
        ActivityCategoryMapping(admin: activityAdmin, idle: activityIdle, notReady: activityNotReady, ready: activityReady)
    }
}
