import ArgumentParser
import Foundation
import RingsideApp
import RingsideCore
import RingsideCurses
import RingsidePresence
import RingsideStore

/// `ringside supervisor`: the live wallboard of a team's presence over MQTT (or a simulated team).
struct Supervisor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch the team live: every agent's state and call, queue figures and time per activity.",
        discussion: """
            Agents publish their state (retained JSON, QoS 1) to ringside/<tenant>/agents/<agentId>; the wallboard \
            subscribes to ringside/<tenant>/agents/+ and ringside/<tenant>/queue/events. An agent whose connection \
            dies is shown offline through its last will. The broker may be one mosquitto or a cluster (EMQX, HiveMQ, VerneMQ).

            Try it without a broker: `ringside supervisor --demo-team 20` runs 20 simulated agents in-process. \
            With --broker as well, the simulation goes through that broker.

            Keys: s sort, r reverse, f show states, / or g find, i sparkline interval, ↑↓ PgUp PgDn Home End scroll, ? help and legend, q quit.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var flags: ConsoleFlags
    @Option(help: "Broker URL, mqtt://HOST:PORT or mqtts://HOST:PORT (default: presence.broker, else mqtt://127.0.0.1:1883).")
    var broker: String?
    @Option(help: "Team name used as the topic prefix (default: presence.tenant, else default).")
    var tenant: String?
    @Option(help: "Run N simulated agents in-process (on an in-memory bus unless --broker is given).")
    var demoTeam: Int?
    @Option(help: "Seed of the simulated team (same seed, same day).")
    var seed: UInt64 = 2026
    @Option(help: "Broker user name.")
    var username: String?
    @Option(help: "File holding the broker password (or set RINGSIDE_MQTT_PASSWORD).")
    var passwordFile: String?
    @Option(help: "CA certificate file (PEM) for mqtts:// brokers.")
    var caFile: String?
    @Flag(help: "Don't record queue events and agent states in the local store (they feed `ringside report`).")
    var noRecord = false
    @Option(help: ArgumentHelp("Publish as this agent and stay connected (test helper).", visibility: .hidden))
    var publishAs: String?
    @Option(help: ArgumentHelp("Name for --publish-as.", visibility: .hidden))
    var name: String?
    @Option(help: ArgumentHelp("State for --publish-as: ready, notReady, onCall, wrapUp.", visibility: .hidden))
    var state: String = "ready"
    @Option(help: ArgumentHelp("Reason for --publish-as.", visibility: .hidden))
    var reason: String?

    func validate() throws {
        if let demoTeam, !(1...5000).contains(demoTeam) { throw ValidationError("--demo-team must be 1–5000") }
        if publishAs != nil && PresenceState(rawValue: state) == nil {
            throw ValidationError("--state must be one of \(PresenceState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let config = try? common.load()
        let tenant = tenant ?? config?.tenant ?? "default"
        let configured = config.map(\.broker).flatMap { $0.isEmpty ? nil : $0 }
        if let publishAs {
            try await publishAgent(publishAs, settings: try mqttSettings(broker ?? configured ?? "mqtt://127.0.0.1:1883", tenant: tenant))
            return
        }
        if let demoTeam {
            // --demo-team without an explicit --broker runs on the in-memory bus.
            do {
                try await TeamDemo.run(team: demoTeam, broker: broker.map { try mqttSettings($0, tenant: tenant) }, tenant: tenant,
                                       seed: seed, options: flags.options)
            } catch let error as TeamDemo.Failure {
                throw fail(error.description)
            }
            return
        }
        let settings = try mqttSettings(broker ?? configured ?? "mqtt://127.0.0.1:1883", tenant: tenant)
        let watch: MQTTPresence
        do { watch = try MQTTPresence(settings: settings, role: .observer(name: "supervisor")) } catch { throw fail(error.description) }
        let board = TeamBoard(tenant: tenant, source: settings.displayURL, hasQueueFeed: false, mapping: config?.activityMapping ?? ActivityCategoryMapping(),
                              queueSettings: PresenceSetup.queueSettings(config: config))
        await board.attach(watch.team())
        // Issue 17: what the wallboard receives is recorded for `ringside report` (unless --no-record).
        let recorder: Task<Int, Never>? = try recorderTask(watch.team(), config: config)
        do {
            try await WallboardLoop.run(source: board, options: flags.options)
        } catch {
            await watch.close()
            _ = await recorder?.value
            throw fail("\(error)")
        }
        await board.stop()
        await watch.close()
        _ = await recorder?.value
    }

    private func recorderTask(_ updates: AsyncStream<PresenceUpdate>, config: RingsideConfig?) throws -> Task<Int, Never>? {
        guard !noRecord, let config else { return nil }
        let store: TeamLogStore
        do { store = TeamLogStore(database: try RingsideDatabase(path: config.databasePath)) } catch {
            throw fail("can't open the store to record the wallboard (\(error)); pass --no-record to run without it")
        }
        return Task { await TeamRecorder.record(updates, into: store) }
    }

    private func mqttSettings(_ url: String, tenant: String) throws -> MQTTSettings {
        do {
            var settings = try MQTTSettings(url: url, tenant: tenant)
            if let username { settings.username = username }
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                    throw fail("can't read the password file \(passwordFile)")
                }
                settings.password = text.trimmingCharacters(in: .newlines)
            } else if let password = ProcessInfo.processInfo.environment["RINGSIDE_MQTT_PASSWORD"], !password.isEmpty {
                settings.password = password
            }
            if let caFile {
                settings.caFile = caFile
                settings.tls = true
            }
            return settings
        } catch let error as MQTTError {
            throw fail(error.description)
        }
    }

    /// Test helper: a real agent process with a last will. Prints `published <id>` once the broker has
    /// the state, then stays connected until killed (SIGKILL → the broker publishes the will).
    private func publishAgent(_ agentId: String, settings: MQTTSettings) async throws {
        let name = name ?? agentId
        let presence: MQTTPresence
        do { presence = try MQTTPresence(settings: settings, role: .agent(id: agentId, name: name)) } catch { throw fail(error.description) }
        guard await presence.waitUntilConnected(timeout: 15) else { throw fail("could not connect to \(settings.displayURL): \(presence.linkState.label)") }
        let state = PresenceState(rawValue: state) ?? .ready
        do {
            try await presence.publish(AgentPresence(agentId: agentId, name: name, state: state, reason: reason, since: Date(), sentAt: Date()))
        } catch { throw fail(error.description) }
        FileHandle.standardOutput.write(Data("published \(agentId)\n".utf8))
        while true { try? await Task.sleep(nanoseconds: 3_600_000_000_000) }
    }
}

/// The simulated team on a wallboard: `ringside demo --team N` and `ringside supervisor --demo-team N`.
enum TeamDemo {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `team` simulated agents in-process and shows the wallboard until the user quits.
    /// With `broker` nil everything stays on an in-memory bus; otherwise the simulation publishes through
    /// the broker (one gateway connection) and the wallboard subscribes like a real supervisor.
    static func run(team: Int, broker: MQTTSettings?, tenant: String = "default", seed: UInt64 = 2026,
                    options: ConsoleOptions) async throws {
        let simulatorSide: any Presence
        let watchSide: any Presence
        let source: String
        if let broker {
            do {
                simulatorSide = try MQTTPresence(settings: broker, role: .observer(name: "simulator"))
                watchSide = try MQTTPresence(settings: broker, role: .observer(name: "supervisor"))
            } catch {
                throw Failure(description: "\(error)")
            }
            source = broker.displayURL
        } else {
            let bus = InMemoryBus()
            simulatorSide = bus.client(tenant: tenant, role: .observer(name: "simulator"))
            watchSide = bus.client(tenant: tenant, role: .observer(name: "supervisor"))
            source = "in-memory demo bus"
        }
        let board = TeamBoard(tenant: tenant, source: source, hasQueueFeed: true)
        await board.attach(watchSide.team())
        let simulation = TeamSimulation(settings: TeamSimulator.Settings(agents: team, seed: seed, tenant: tenant), presence: simulatorSide,
                                        warmUp: 900)
        await simulation.start()
        do {
            try await WallboardLoop.run(source: board, options: options)
        } catch {
            await simulation.stop()
            await board.stop()
            await simulatorSide.close()
            await watchSide.close()
            throw Failure(description: "\(error)")
        }
        await simulation.stop()
        await board.stop()
        await simulatorSide.close()
        await watchSide.close()
    }
}
