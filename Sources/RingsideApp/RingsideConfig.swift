import Foundation
import RingsideCore
import RingsideUI

/// How completed call records are delivered (seed 000).
public enum DeliverySchedule: String, Hashable, Sendable, CaseIterable {
    case immediate
    case daily
    case off
}

/// The effective configuration: defaults, then the TOML file, then `RINGSIDE_*` environment variables.
public struct RingsideConfig: Sendable {
    // [agent]
    public var agentName = "Demo Agent"
    public var agentUserId = ""
    public var timeZone = TimeZone.current.identifier == "GMT" ? "UTC" : TimeZone.current.identifier
    public var region: PhoneRegion = .GB
    public var internalNumberDigits = 5
    public var notReadyReasons = ["Break", "Lunch", "Training", "Admin"]
    // [crm]
    public var crm = "local"
    public var searchedEntities: [EntityType] = [.contact, .account, .lead]
    public var defaultNewEntity: EntityType = .lead
    /// `[record] subject` / `description` templates; empty: the standard text (issue 15).
    public var recordSubject = ""
    public var recordDescription = ""
    /// Person Accounts: "auto" (describe decides), "true" or "false" (issue 15).
    public var personAccounts = "auto"
    /// `[layout]`: seed 001's softphone-layout screen-pop settings (issue 15).
    public var layout = SoftphoneLayout()
    // [salesforce]
    public var loginURL = "https://login.salesforce.com"
    public var instanceURL = ""
    public var apiVersion = "v62.0"
    public var auth = "device"
    public var clientId = ""
    public var clientSecret = ""
    public var username = ""
    public var password = ""
    public var securityToken = ""
    /// A refresh token for `auth = "refresh_token"` (secret; otherwise the one saved by `ringside login`).
    public var refreshToken = ""
    public var caBundle = ""
    public var taskObject = "Task"
    public var fieldMap: [String] = []
    /// Total timeout of one Salesforce request, seconds (`salesforce.timeout_seconds`).
    public var salesforceTimeoutSeconds = 20
    /// External ID field holding the call id: "" finds one with describe, "none" never upserts.
    public var callIdField = ""
    // [phone]
    public var phone = "simulated"
    // [wrapup]
    public var wrapUpSeconds = 120
    public var dispositions = ["Resolved", "Follow-up needed", "Left voicemail", "No answer", "Wrong number"]
    // [delivery]
    public var schedule: DeliverySchedule = .immediate
    public var dailyAt = "23:00"
    /// How long Salesforce may go on with a request after the client gave up, seconds (`delivery.uncertain_wait_seconds`).
    public var uncertainWaitSeconds = 120
    // [postcall]
    public var opportunityFields: [String] = []
    public var caseFields: [String] = []
    // [sync] phone index (PhoneIndexScheduler): a daily full sync and/or an incremental one every N minutes
    public var syncDailyAt = ""
    public var syncEveryMinutes = 15
    // [notify]
    public var failingAlertMinutes = 15
    public var smtpURL = ""
    public var mailFrom = ""
    public var mailTo: [String] = []
    public var smtpUsername = ""
    public var smtpPassword = ""
    // [data]
    public var dataDirectory = RingsideConfig.defaultDataDirectory()
    public var directoryFile = ""
    // [presence]
    public var broker = ""
    public var tenant = "default"
    public var presenceUsername = ""
    public var presencePassword = ""
    public var presenceCAFile = ""
    /// Queue figures (seed 002): answered within this many seconds counts towards the service level.
    public var serviceLevelSeconds = 20
    /// Queue figures (seed 002): a caller who hangs up within this many seconds is a short abandon.
    public var shortAbandonSeconds = 5
    /// Salesforce platform event published on every agent state change (`Agent_State__e`; empty: off).
    public var salesforceEvent = ""
    /// Transfer contexts (issue 18): seconds one is kept and offered to a call ringing with its number, and how many are kept.
    public var handoffWindowSeconds = 120
    public var handoffKeep = 64
    // [alerts] (issue 18; keys in RingsideConfig+Alerts.swift)
    public var alerts = AlertSettings()
    // [display] (issue 18; keys in RingsideConfig+Display.swift)
    public var hyperlinks = Hyperlink.Mode.auto
    // [keys] (issue 18; keys in RingsideConfig+KeyMap.swift)
    public var consoleKeys = KeyTable.standard
    // [log]
    public var logLevel = "info"

    // [activity] (seed 002 category lists; keys in RingsideConfig+Activity.swift)
    public var activityAdmin = "Admin; Wrap-up"
    public var activityIdle = "Ready"
    public var activityNotReady = "Not ready; Break; Lunch; Training"
    public var activityReady = "Ready; On call"

    public init() {}

    /// Where the config was read from (for `config --print` and errors).
    public var sources: [String] = []

    /// Post-call field templates per related entity type (`"NextStep={notes}"` → `["NextStep": "{notes}"]`).
    public var postCallFields: [EntityType: [String: String]] {
        var out: [EntityType: [String: String]] = [:]
        for (type, entries) in [(EntityType.opportunity, opportunityFields), (.caseRecord, caseFields)] {
            for entry in entries {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, !parts[0].isEmpty { out[type, default: [:]][parts[0]] = parts[1] }
            }
        }
        return out
    }

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("ringside.sqlite") }

    public var sessionSettings: SessionSettings {
        var settings = SessionSettings(match: MatchSettings(searchedEntities: searchedEntities, defaultNewEntity: defaultNewEntity,
                                                            layout: layout),
                        homeRegion: region, internalNumberDigits: internalNumberDigits, wrapUpSeconds: wrapUpSeconds,
                        dispositions: dispositions, notReadyReasons: notReadyReasons,
                        completedState: schedule == .off ? .local : .queued)
        settings.handoffWindowSeconds = handoffWindowSeconds
        settings.handoffKeep = handoffKeep
        settings.subjectTemplate = recordSubject.isEmpty ? nil : try? TaskTemplate(recordSubject, key: "record.subject")
        settings.descriptionTemplate = recordDescription.isEmpty ? nil : try? TaskTemplate(recordDescription, key: "record.description")
        return settings
    }

    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["XDG_DATA_HOME"], !dir.isEmpty { return dir + "/ringside" }
        return (environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/share/ringside"
    }

    public static func defaultConfigPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["XDG_CONFIG_HOME"], !dir.isEmpty { return dir + "/ringside/config.toml" }
        return (environment["HOME"] ?? NSTemporaryDirectory()) + "/.config/ringside/config.toml"
    }
}
