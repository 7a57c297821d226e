import ArgumentParser
import Foundation
import RingsideApp
import RingsideCore
import RingsidePhone
import RingsideSalesforce
import RingsideStore
import SalesforceEmulator

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign in to Salesforce (device flow, or the password / client-credentials flow from the config).",
        discussion: "With the device flow, open the shown address, enter the code, and approve; the refresh token is saved to a 0600 file in the data folder.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let config = try common.load()
        let agent: SalesforceAgent
        do { agent = try SalesforceAgent(config: config) } catch { throw fail("\(error)") }
        do throws(any Error) {
            if agent.client.settings.authKind == .deviceFlow {
                let authorization = try await agent.client.auth.startDeviceFlow()
                print("To sign in, open \(authorization.verificationURL) and enter the code \(authorization.userCode)")
                print("Waiting for approval…")
                _ = try await agent.client.auth.pollDeviceFlow(authorization)
            } else {
                _ = try await agent.client.auth.login()
            }
            let user = try await agent.client.currentUser()
            print("Signed in as \(Terminal.safe(user.name)) (\(user.id)), time zone \(user.timeZone).")
        } catch {
            throw fail("\(error)")
        }
    }
}

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration, credentials, API, limits, Task fields and phone link; each line says what to fix.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        var failures = 0
        func line(_ ok: Bool, _ text: String, fix: String? = nil) {
            print("\(ok ? "✔" : "✖") \(text)\(ok || fix == nil ? "" : "\n    → \(fix!)")")
            if !ok { failures += 1 }
        }
        let config: RingsideConfig
        do {
            config = try common.load()
            line(true, "configuration valid (\(config.sources.isEmpty ? "defaults" : config.sources.joined(separator: ", ")))")
        } catch {
            line(false, "configuration: \(error)", fix: "fix the file or variable named above")
            throw ExitCode(1)
        }
        do {
            // Opening runs PRAGMA quick_check and refuses empty or damaged files; then prove it is writable.
            let database = try RingsideDatabase(path: config.databasePath)
            try database.checkWritable()
            let store = SQLiteCallStore(database: database)
            let counts = try store.outboxCounts()
            line(true, "database \(config.databasePath) intact and writable (\(counts.queued) queued, \(counts.parked) parked)")
            // The event outboxes (issue 17): a parked platform event was refused for good and needs a fix and a retry.
            let status = try OutboxStatus.read(store)
            line(!status.needsAttention, Terminal.safe(status.eventsLine(now: Date())),
                 fix: "see `ringside outbox list`; after fixing the cause (e.g. the platform event's fields), `ringside outbox retry --events`")
            line(true, Terminal.safe(status.queueLine(now: Date())))
        } catch {
            line(false, "database: \(error)")
        }
        if config.crm == "salesforce" {
            await checkSalesforce(config, line)
        } else {
            line(true, "CRM: local directory")
        }
        await checkPhone(config, line)
        if failures > 0 { throw ExitCode(1) }
    }

    func checkSalesforce(_ config: RingsideConfig, _ line: (Bool, String, String?) -> Void) async {
        let agent: SalesforceAgent
        do { agent = try SalesforceAgent(config: config) } catch {
            line(false, "Salesforce settings: \(error)", "see `ringside config --example`")
            return
        }
        line(true, "saved token: \(agent.tokens.protection)", nil)
        do {
            let session = try await agent.client.auth.currentSession()
            line(true, "signed in to \(session.instanceURL)", nil)
        } catch {
            line(false, "sign-in: \(error)", (error as? SalesforceError)?.fix ?? "run `ringside login`")
            return
        }
        do {
            let user = try await agent.client.currentUser()
            line(true, "user \(Terminal.safe(user.name)) (\(user.id)), time zone \(user.timeZone)", nil)
        } catch {
            line(false, "user info: \(error)\n    " + SalesforceAgent.fallbackNotice(agent.local.user, reason: "see above"),
                 (error as? SalesforceError)?.isAuthenticationFailure == true ? "run `ringside login`"
                    : "check the connected app's scopes include api and openid (userinfo)")
        }
        do {
            let limits = try await agent.client.limits()
            let usage = agent.client.apiUsage
            line(!(usage?.isNearLimit ?? false), "API \(agent.client.settings.apiVersion) available; \(usage.map(\.description) ?? "usage unknown") \(limits.isEmpty ? "" : "")",
                 "the org is close to its daily API limit; deliveries will slow down")
        } catch {
            line(false, "API version \(config.apiVersion): \(error)", "set salesforce.api_version to one your org supports (v51.0 or later)")
        }
        await checkDescribe(agent, config, line)
    }

    /// What the org's describe found (issue 15): Person Accounts, phone fields, visible objects, createable
    /// call-record fields; every difference with its consequence and fix.
    func checkDescribe(_ agent: SalesforceAgent, _ config: RingsideConfig, _ line: (Bool, String, String?) -> Void) async {
        let client = agent.client
        let schema: OrgSchema
        do { schema = try await client.refreshOrgSchema() } catch {
            line(false, "describe: \(error)", "check the user can read object metadata (API Enabled, View Setup not needed)")
            return
        }
        switch (schema.hasPersonAccounts, client.settings.personAccounts) {
        case (true, false?):
            line(true, "Person Accounts: present in the org, not searched (crm.person_accounts = false)", nil)
        case (true, _):
            line(true, "Person Accounts: present; their personal phone fields are searched", nil)
        case (false, true?):
            line(false, "Person Accounts: crm.person_accounts = true but this org has none (no Account.IsPersonAccount)",
                 "set crm.person_accounts = auto; Ringside leaves the Person fields out either way")
        case (false, _):
            line(true, "Person Accounts: not enabled in this org; lookups and sync use Contact, Account and Lead fields only", nil)
        }
        for entity in client.settings.searchedEntities where [.contact, .account, .lead].contains(entity) {
            let object = entity.rawValue
            guard schema.isVisible(entity) else {
                line(false, "\(object): not visible for your profile; callers are not looked up there",
                     "ask an admin for read access to \(object), or remove it from crm.searched_entities")
                continue
            }
            let phones = schema.phoneFields(of: object, personAccounts: client.usesPersonAccounts(schema))
            let custom = phones.filter { $0.hasSuffix("__c") }
            line(!phones.isEmpty, "\(object) phone fields: \(phones.isEmpty ? "none" : phones.joined(separator: ", "))"
                 + (custom.isEmpty ? "" : " (custom: \(custom.joined(separator: ", ")))"),
                 "ask an admin for read access to \(object)'s phone fields")
        }
        for entity in [EntityType.caseRecord, .opportunity] where !schema.isVisible(entity) {
            line(true, "\(entity.rawValue): not visible for your profile; \"Related to\" does not offer \(entity.rawValue)s", nil)
        }
        if !schema.isVisible(client.settings.defaultNewEntity) {
            line(false, "New creates a \(client.settings.defaultNewEntity.rawValue), which your profile cannot see",
                 "set crm.default_new_entity to an object you can create, or ask an admin for access")
        }
        let object = client.settings.taskObject.objectName
        guard let task = schema.objects[object] else {
            line(false, "\(object): not visible for your profile; call records cannot be written",
                 "ask an admin for create access to \(object)")
            return
        }
        let needed = ["Subject", "Description", "ActivityDate", "Status", "OwnerId", "TaskSubtype", "CallType",
                      "CallDurationInSeconds", "CallObject", "CallDisposition", "WhoId", "WhatId"]
        let mapped = needed.compactMap { client.settings.taskObject.field(for: $0) }
        let missing = mapped.filter { !task.createable.contains($0) }
        if missing.isEmpty {
            line(true, "call record fields createable on \(object): \(mapped.joined(separator: ", "))", nil)
        }
        for field in missing {
            let effect = field == "CallObject" ? "records cannot be de-duplicated after a lost answer"
                : "it is left out of every call record"
            line(false, "\(field) not createable for your profile on \(object): \(effect)",
                 "ask an admin for field access (edit) to \(object).\(field) for your profile or a permission set")
        }
        // Issue 14: with an External ID field for the call id every delivery is an upsert. Its absence is advice,
        // not a failure: deliveries still work (checked by CallObject before any re-send).
        do {
            let externalIds = try await client.externalIdFields(of: object)
            let field = try await client.callIdField(of: object)
            let advice = CallIdFieldAdvice.text(object: object, field: field, setting: client.settings.callIdField, externalIds: externalIds)
            print("\(advice.ok ? "✔" : "!") \(advice.lines[0])")
            for text in advice.lines.dropFirst() { print("    \(text)") }
        } catch {
            line(false, "call id field on \(object): \(error)", "check the user can read object metadata")
        }
    }

    func checkPhone(_ config: RingsideConfig, _ line: (Bool, String, String?) -> Void) async {
        guard config.phone.hasPrefix("baresip://") else {
            line(true, "phone: simulated", nil)
            return
        }
        let hostPort = config.phone.dropFirst("baresip://".count).split(separator: ":")
        guard hostPort.count == 2, let port = UInt16(hostPort[1]) else {
            line(false, "phone link \(config.phone) is not baresip://HOST:PORT", "write it like baresip://127.0.0.1:4444")
            return
        }
        if let warning = (try? BaresipEndpoint(parsing: config.phone))?.exposureWarning { print("! \(warning)") }
        let reachable = TCPProbe.canConnect(host: String(hostPort[0]), port: port)
        line(reachable, "phone link \(config.phone) \(reachable ? "reachable" : "not reachable")",
             "start baresip with `module_app ctrl_tcp.so` and `ctrl_tcp_listen \(hostPort[0]):\(port)` in its config")
    }
}

struct Emulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Salesforce REST emulator on 127.0.0.1 seeded with the demo directory (for trying Salesforce mode).",
        discussion: """
            Prints `sf-emulator listening on http://127.0.0.1:PORT`. Point Ringside at it with
            RINGSIDE_CRM_KIND=salesforce RINGSIDE_SALESFORCE_LOGIN_URL=<that URL> RINGSIDE_SALESFORCE_AUTH=password \
            RINGSIDE_SALESFORCE_CLIENT_ID=ringside-demo-client RINGSIDE_SALESFORCE_CLIENT_SECRET=ringside-demo-secret \
            RINGSIDE_SALESFORCE_USERNAME=agent@ringside.example RINGSIDE_SALESFORCE_PASSWORD=demo-password \
            RINGSIDE_SALESFORCE_SECURITY_TOKEN=DEMOTOKEN.
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "TCP port (0 picks a free one).") var port: UInt16 = 0
    @Flag(help: "Print the seed JSON and exit instead of serving.") var printSeed = false
    @Flag(help: "Org option: Task has the External ID field Ringside_Call_Id__c, so deliveries are upserts.") var callIdField = false
    @Flag(help: "An org without Person Accounts (queries naming IsPersonAccount fail with INVALID_FIELD).")
    var noPersonAccounts = false
    @Option(help: "Add a custom phone field, e.g. Contact.Mobile_2__c (repeatable).") var customPhoneField: [String] = []
    @Option(help: "Hide an object from the user, e.g. Opportunity (repeatable).") var hide: [String] = []
    @Option(help: "Take field-level edit access away, e.g. Task.TaskSubtype (repeatable).") var readOnlyField: [String] = []

    func run() async throws {
        let config = try common.load()
        guard let path = config.directoryFile.isEmpty ? ResourceLocator.path("demo-directory.json") : config.directoryFile else {
            throw fail("the demo directory is missing from Resources/")
        }
        let file: DirectoryFile
        do { file = try DirectoryFile.load(path: path) } catch { throw fail("\(error)") }
        var seed = DemoSeed.make(from: file, timeZone: config.timeZone)
        seed.callIdField = callIdField
        seed.org.personAccounts = !noPersonAccounts
        seed.org.hiddenObjects = hide
        for (option, values) in [("--custom-phone-field", customPhoneField), ("--read-only-field", readOnlyField)] {
            for value in values {
                let parts = value.split(separator: ".").map(String.init)
                guard parts.count == 2 else { throw fail("\(option) \(value): write it like Object.Field") }
                if option == "--custom-phone-field" {
                    seed.org.customPhoneFields[parts[0], default: []].append(parts[1])
                } else {
                    seed.org.readOnlyFields[parts[0], default: []].append(parts[1])
                }
            }
        }
        if printSeed {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            printJSON(String(decoding: try encoder.encode(seed), as: UTF8.self))
            return
        }
        let emulator: SalesforceEmulator
        do { emulator = try await SalesforceEmulator.start(seed: seed, port: port) } catch { throw fail("\(error)") }
        FileHandle.standardOutput.write(Data("sf-emulator listening on \(emulator.baseURL.absoluteString)\n".utf8))
        await emulator.wait()
    }
}
