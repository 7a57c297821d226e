import ArgumentParser
import Foundation
import Logging
import RingsideApp
import RingsideCurses
import RingsideCore
import RingsidePhone
import RingsidePresence
import RingsideStore
import RingsideUI
import SalesforceEmulator

/// The agent's MQTT presence when `presence.broker` is set.
func presence(_ config: RingsideConfig, _ user: AgentUser) throws -> (presence: any Presence, agentId: String)? {
    do { return try PresenceSetup.agentPresence(config: config, user: user) } catch { throw fail("presence: \(error)") }
}

/// Flags shared by the console commands.
struct ConsoleFlags: ParsableArguments {
    @Flag(help: "Monochrome output (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "Don't capture the mouse.") var noMouse = false

    var options: ConsoleOptions {
        ConsoleOptions(noColor: noColor || ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } == true,
                       mouse: !noMouse)
    }

    /// The options with the config file's console settings (`[alerts]`, `[keys]`, `[display]`).
    func options(_ config: RingsideConfig) -> ConsoleOptions {
        var options = self.options
        options.alerts = config.alerts
        options.keyTable = config.consoleKeys
        options.hyperlinks = Hyperlink.enabled(config.hyperlinks, environment: ProcessInfo.processInfo.environment)
        return options
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the agent console on embedded defaults: the local demo directory and a simulated phone.",
        discussion: "Press i for a simulated incoming call (1 single match, 2 several matches, 3 no match, 4 internal), ? for every key.\n\n"
            + KeyTable.standard.helpText(demo: true))

    @OptionGroup var common: CommonOptions
    @OptionGroup var flags: ConsoleFlags
    @Option(help: "Ring with a random simulated call every N seconds (0: only on key press).") var autoRing = 0
    @Flag(help: "Run against a Salesforce REST emulator on 127.0.0.1 (seeded with the demo directory) through real libcurl.")
    var salesforceEmulator = false
    @Option(help: "Show the supervisor wallboard for a simulated team of N agents instead of the agent console.")
    var team: Int?
    @Option(help: "With --team: run the simulated team through this MQTT broker (mqtt://127.0.0.1:1883) instead of in memory.")
    var broker: String?

    func run() async throws {
        HeapPolicy.apply()
        var config = try common.load()
        if let team {
            guard (1...5000).contains(team) else { throw ValidationError("--team takes 1 to 5000 agents") }
            do {
                let settings = try broker.map { url throws in try MQTTSettings(url: url, tenant: config.tenant) }
                try await TeamDemo.run(team: team, broker: settings, tenant: config.tenant, options: flags.options)
            } catch {
                throw fail("\(error)")
            }
            return
        }
        let runtime: AgentRuntime
        var cleanup: [@Sendable () async -> Void] = []
        if salesforceEmulator {
            let started = try await EmulatorDemo.start(config: &config)
            cleanup.append(started.stop)
            runtime = started.runtime
        } else {
            if config.crm == "salesforce" {
                // The demo never writes demo people into the Salesforce database (issue 15): it gets its own.
                config.crm = "local"
                config.dataDirectory = (config.dataDirectory as NSString).appendingPathComponent("demo")
            }
            let agent: LocalAgent
            do { agent = try LocalAgent(config: config) } catch { throw fail("\(error)") }
            runtime = await agent.runtime(phone: SimulatedPhone(), isDemo: true)
            if let found = try presence(config, agent.user) { await runtime.setPresence(found.presence, agentId: found.agentId) }
        }
        await runtime.start()
        let ringer = autoRing > 0 ? Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(autoRing) * 1_000_000_000)
                if await runtime.current.calls.isEmpty { await runtime.simulateIncoming(.random) }
            }
        } : nil
        defer { ringer?.cancel() }
        try await runConsole(runtime, options: flags.options(config), cleanup: cleanup)
    }
}

/// Runs the console, then stops in order whatever ended it (q, Ctrl-C, SIGTERM, SIGHUP, a closed terminal):
/// open calls are saved (or left on a real phone for the next start), presence goes offline, and what quitting
/// did is printed. Exits with 128 + the signal after a signal.
func runConsole(_ runtime: AgentRuntime, options: ConsoleOptions, cleanup: [@Sendable () async -> Void] = []) async throws {
    await runtime.setEmergencyDirectory(EmergencyCopy.defaultDirectory())
    let exit: ConsoleExit
    do {
        exit = try await ConsoleLoop.run(backend: runtime, options: options)
    } catch {
        _ = await runtime.shutdown()
        for stop in cleanup { await stop() }
        throw fail("\(error)")
    }
    let report = await runtime.shutdown()
    for stop in cleanup { await stop() }
    if let summary = report.summary { FileHandle.standardError.write(Data((summary + "\n").utf8)) }
    if report.lost > 0 { throw ExitCode(70) }
    if exit.exitStatus != 0 { throw ExitCode(exit.exitStatus) }
}

/// `demo --salesforce-emulator`: an in-process emulator seeded with the demo directory, and the agent wired to it.
enum EmulatorDemo {
    struct Started {
        var runtime: AgentRuntime
        var stop: @Sendable () async -> Void
    }

    static func start(config: inout RingsideConfig) async throws -> Started {
        guard let path = config.directoryFile.isEmpty ? ResourceLocator.path("demo-directory.json") : config.directoryFile else {
            throw fail("the demo directory is missing from Resources/")
        }
        let file: DirectoryFile
        do { file = try DirectoryFile.load(path: path) } catch { throw fail("\(error)") }
        let emulator: SalesforceEmulator
        do { emulator = try await SalesforceEmulator.start(seed: DemoSeed.make(from: file, timeZone: config.timeZone)) } catch {
            throw fail("could not start the emulator: \(error)")
        }
        config.crm = "salesforce"
        config.loginURL = emulator.baseURL.absoluteString
        config.auth = "password"
        config.clientId = DemoSeed.credentials.clientId
        config.clientSecret = DemoSeed.credentials.clientSecret
        config.username = DemoSeed.credentials.username
        config.password = DemoSeed.credentials.password
        config.securityToken = DemoSeed.credentials.securityToken
        config.directoryFile = path
        config.dataDirectory = (config.dataDirectory as NSString).appendingPathComponent("emulator-demo")
        let agent: SalesforceAgent
        do { agent = try SalesforceAgent(config: config) } catch { throw fail("\(error)") }
        let user = await agent.user()
        let runtime = await agent.runtime(phone: SimulatedPhone(), user: user, isDemo: true, phoneLabel: "Simulated phone")
        let delivery = Task { await agent.worker.run() }
        return Started(runtime: runtime, stop: {
            delivery.cancel()
            await emulator.stop()
        })
    }
}

struct Agent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the agent console with the configured CRM and phone link.",
        discussion: "With crm.kind = \"local\" and phone.link = \"simulated\" this is the demo without demo keys.\n\n"
            + KeyTable.standard.helpText(demo: false))

    @OptionGroup var common: CommonOptions
    @OptionGroup var flags: ConsoleFlags
    @Option(help: "Phone link, e.g. baresip://127.0.0.1:4444 (overrides phone.link).") var phone: String?

    func run() async throws {
        HeapPolicy.apply()
        var config = try common.load()
        if let phone { config.phone = phone }
        let startup = StartupProbe()
        let link: any RingsideCore.PhoneLink
        if config.phone == "simulated" {
            link = SimulatedPhone()
        } else {
            let logger = RingsideLog.logger("baresip")
            do { link = try BaresipLink(url: config.phone, log: { logger.notice("\($0)") }) } catch { throw fail("\(error)") }
        }
        let runtime: AgentRuntime
        var delivery: Task<Void, Never>?
        do {
            if config.crm == "salesforce" {
                let agent = try SalesforceAgent(config: config, notifier: try MailNotifier(config: config))
                runtime = await agent.runtime(phone: link, user: await agent.user(), isDemo: false, phoneLabel: config.phone)
                let events = agent.eventWorker
                delivery = Task {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await agent.worker.run() }
                        if let events { group.addTask { await events.run() } }
                    }
                }
            } else {
                let agent = try LocalAgent(config: config)
                let crm = agent.indexedDirectory()
                startup?.watch(crm: crm)
                runtime = AgentRuntime(settings: agent.settings, user: agent.user, crm: crm, phone: link, store: agent.store,
                                       directory: agent.directory, labels: .init(crm: "Local directory", phone: config.phone, isDemo: false))
                await runtime.setPostCallFields(config.postCallFields)
            }
        } catch {
            throw fail("\(error)")
        }
        do {
            if let found = try presence(config, await runtime.current.user) { await runtime.setPresence(found.presence, agentId: found.agentId) }
        } catch {
            throw fail("\(error)")
        }
        await runtime.start()
        defer { delivery?.cancel() }
        var options = flags.options(config)
        if let startup { options.afterFirstPaint = { startup.painted() } }
        try await runConsole(runtime, options: options)
        await startup?.report()
    }
}
