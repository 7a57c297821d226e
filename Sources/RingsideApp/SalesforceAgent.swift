import Foundation
import RingsideCore
import RingsidePhone
import RingsideSalesforce
import RingsideStore

/// Builds the Salesforce back end from a config: the REST client over libcurl, the outbox worker
/// delivering to it, and the local store (calls, outbox, audit, phone index).
public struct SalesforceAgent: Sendable {
    public let local: LocalAgent
    public let client: SalesforceClient
    /// The saved refresh token: encrypted with a key in the kernel keyring when there is one (issue 15).
    public let tokens: EncryptedFileTokenStore

    /// The live token store for `config`'s data folder.
    public static func tokenStore(_ config: RingsideConfig,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> EncryptedFileTokenStore {
        EncryptedFileTokenStore.live(path: (config.dataDirectory as NSString).appendingPathComponent("salesforce-refresh-token"),
                                     environment: environment)
    }
    public let worker: OutboxWorker
    /// Agent-state platform events (`presence.salesforce_event`); nil when off. Run it beside `worker`.
    public let eventWorker: PlatformEventWorker?
    // Phone index (issue 6): lookups go through `indexed` (0 requests on a hit, 1 SOSL on a miss);
    // `indexScheduler` keeps it fresh ([sync] daily_at / every_minutes) once `runtime(...)` starts it.
    public let indexed: IndexedCRM
    public let indexScheduler: PhoneIndexScheduler
    /// Set when the Salesforce user could not be read and the config's values stand in (issue 15): shown on
    /// the agent's banner instead of falling back silently.
    private let userNotice = PhoneIndexLock<String?>(nil)

    public init(config: RingsideConfig, notifier: (any Notifier)? = nil, trace: (@Sendable (String) -> Void)? = nil) throws {
        local = try LocalAgent(config: config, seedDemo: false)
        let settings = try Self.settings(from: config)
        let tokens = Self.tokenStore(config)
        self.tokens = tokens
        // The org's describe (issue 15) is kept for a day so a restart does not describe again.
        let schemas = FileOrgSchemaStore(path: (config.dataDirectory as NSString).appendingPathComponent("salesforce-describe.json"))
        client = try SalesforceClient.live(settings: settings, tokenStore: tokens, schemaStore: schemas, trace: trace ?? RingsideLog.curlTrace())
        let policy = DeliveryPolicy(requestTimeoutSeconds: Double(config.salesforceTimeoutSeconds),
                                    uncertainGraceSeconds: Double(config.uncertainWaitSeconds))
        worker = OutboxWorker(store: local.store, sink: SalesforceRecordSink(client: client), policy: policy, schedule: config.schedule,
                              dailyAt: config.dailyAt, timeZone: config.timeZone, notifier: notifier,
                              failingAlertMinutes: config.failingAlertMinutes)
        eventWorker = config.salesforceEvent.isEmpty ? nil
            : PlatformEventWorker(store: local.store, sobject: config.salesforceEvent, client: client)
        // Phone index (issue 6): load the synced index into memory in the background (issue 16: paint first;
        // until it is loaded lookups use an indexed SQLite query; a failure only means live lookups).
        let indexStore = PhoneIndexStore(database: local.database)
        indexed = IndexedCRM(base: client, store: indexStore, snapshotPath: local.database.path + ".index")
        indexed.loadInBackground()
        indexScheduler = PhoneIndexScheduler(sync: PhoneIndexSync(client: client, store: indexStore), index: indexed,
                                             plan: .init(dailyAt: config.syncDailyAt, everyMinutes: config.syncEveryMinutes,
                                                         timeZone: config.timeZone))
    }

    /// Maps Ringside's config to the client's settings; loopback http endpoints (the emulator) are allowed
    /// without TLS, everything else must be https.
    public static func settings(from config: RingsideConfig) throws -> SalesforceSettings {
        let auth: SalesforceSettings.AuthKind = switch config.auth {
        case "password": .password
        case "client_credentials": .clientCredentials
        case "refresh_token": .refreshToken
        default: .deviceFlow
        }
        var taskObject = TaskObject.standardTask
        if config.taskObject != "Task" {
            var map: [String: String] = [:]
            for entry in config.fieldMap {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ConfigError(message: "salesforce.field_map entry \"\(entry)\" must look like \"Subject=Subject__c\"")
                }
                map[parts[0]] = parts[1]
            }
            taskObject = .custom(object: config.taskObject, fieldMap: map)
        }
        let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"].contains { config.loginURL.hasPrefix($0) }
        let settings = SalesforceSettings(
            loginURL: config.loginURL, instanceURL: config.instanceURL.isEmpty ? nil : config.instanceURL,
            apiVersion: config.apiVersion, authKind: auth, clientId: config.clientId,
            clientSecret: config.clientSecret.isEmpty ? nil : config.clientSecret,
            username: config.username.isEmpty ? nil : config.username, password: config.password.isEmpty ? nil : config.password,
            securityToken: config.securityToken.isEmpty ? nil : config.securityToken,
            refreshToken: config.refreshToken.isEmpty ? nil : config.refreshToken,
            searchedEntities: config.searchedEntities,
            personAccounts: config.personAccounts == "auto" ? nil : config.personAccounts == "true", defaultNewEntity: config.defaultNewEntity, taskObject: taskObject,
            callIdField: config.callIdField.isEmpty ? .detect : config.callIdField == "none" ? .none : .named(config.callIdField),
            defaultRegion: config.region, internalNumberDigits: config.internalNumberDigits,
            requestTimeouts: .init(total: .seconds(config.salesforceTimeoutSeconds)),
            caBundlePath: config.caBundle.isEmpty ? nil : config.caBundle, allowInsecureLoopback: loopback)
        let problems = settings.validate()
        guard problems.isEmpty else {
            throw ConfigError(message: "Salesforce settings: " + problems.joined(separator: "; "))
        }
        return settings
    }

    /// The agent's user (Task owner and time zone) from Salesforce, falling back to the config — never silently:
    /// the fallback is returned with a notice (also shown on the runtime's banner).
    public func resolveUser() async -> (user: AgentUser, fallback: String?) {
        do {
            let user = try await client.currentUser()
            userNotice.withValue { $0 = nil }
            return (user, nil)
        } catch {
            let notice = Self.fallbackNotice(local.user, reason: "\(error)")
            userNotice.withValue { $0 = notice }
            return (local.user, notice)
        }
    }

    /// The agent's user; see `resolveUser()`.
    public func user() async -> AgentUser {
        await resolveUser().user
    }

    /// What the fallback to the config means, for the banner and doctor.
    public static func fallbackNotice(_ user: AgentUser, reason: String) -> String {
        let owner = user.id.isEmpty ? "no Task owner (Salesforce assigns the API user)" : "Task owner \(user.id) from agent.user_id"
        let short = reason.count > 160 ? String(reason.prefix(157)) + "…" : reason
        return "Salesforce user not read (\(short)); using the config instead: \(owner), time zone \(user.timeZone) from agent.time_zone. "
            + "Run `ringside login` or `ringside doctor`."
    }

    /// A runtime whose completed records wake the outbox worker, and whose banner shows delivery notices.
    public func runtime(phone: any PhoneLink, user: AgentUser, isDemo: Bool, phoneLabel: String,
                        settings overrides: SessionSettings? = nil) async -> AgentRuntime {
        var settings = overrides ?? local.config.sessionSettings
        settings.completedState = local.config.schedule == .off ? .local : .queued
        // Phone index (issue 6): `indexed` wraps `client`; the scheduler syncs in the background.
        await indexScheduler.start()
        let runtime = AgentRuntime(settings: settings, user: user, crm: indexed, phone: phone, store: local.store,
                                   directory: local.directory, scenarios: local.scenarios,
                                   labels: .init(crm: "Salesforce (\(client.settings.instanceURL ?? client.settings.loginURL))",
                                                 phone: phoneLabel, isDemo: isDemo,
                                                 recordLinkBase: client.settings.instanceURL ?? client.settings.loginURL))
        await runtime.setPostCallFields(local.config.postCallFields)
        if let notice = userNotice.withValue({ $0 }) { await runtime.post(.notice(.warning, notice)) }
        let worker = self.worker
        await runtime.setOnComplete { _ in Task { await worker.wake() } }
        await worker.setHandlers(notice: { level, text in Task { await runtime.post(.notice(level, text)) } },
                                 change: { Task { await runtime.refreshOutbox() } })
        if let eventWorker {
            await eventWorker.setNotice { level, text in Task { await runtime.post(.notice(level, text)) } }
            await runtime.setStateEvents(eventWorker, mapping: local.config.activityMapping)
        }
        return runtime
    }
}
