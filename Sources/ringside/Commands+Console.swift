import ArgumentParser
import Foundation
import RingsideApp
import RingsideCurses
import RingsideCore
import RingsidePhone

/// Flags shared by the console commands.
struct ConsoleFlags: ParsableArguments {
    @Flag(help: "Monochrome output (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "Don't capture the mouse.") var noMouse = false

    var options: ConsoleOptions {
        ConsoleOptions(noColor: noColor || ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } == true,
                       mouse: !noMouse)
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the agent console on embedded defaults: the local demo directory and a simulated phone.",
        discussion: "Press i for a simulated incoming call (1 single match, 2 several matches, 3 no match, 4 internal), ? for every key.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var flags: ConsoleFlags
    @Option(help: "Ring with a random simulated call every N seconds (0: only on key press).") var autoRing = 0

    func run() async throws {
        let config = try common.load()
        let agent: LocalAgent
        do { agent = try LocalAgent(config: config) } catch { throw fail("\(error)") }
        let runtime = agent.runtime(phone: SimulatedPhone(), isDemo: true)
        await runtime.start()
        let ringer = autoRing > 0 ? Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(autoRing) * 1_000_000_000)
                if await runtime.current.calls.isEmpty { await runtime.simulateIncoming(.random) }
            }
        } : nil
        defer { ringer?.cancel() }
        do {
            try await ConsoleLoop.run(backend: runtime, options: flags.options)
        } catch {
            await runtime.stop()
            throw fail("\(error)")
        }
        await runtime.stop()
    }
}

struct Agent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the agent console with the configured CRM and phone link.",
        discussion: "With crm.kind = \"local\" and phone.link = \"simulated\" this is the demo without demo keys.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var flags: ConsoleFlags
    @Option(help: "Phone link, e.g. baresip://127.0.0.1:4444 (overrides phone.link).") var phone: String?

    func run() async throws {
        var config = try common.load()
        if let phone { config.phone = phone }
        guard config.crm == "local" else {
            throw fail("crm.kind = \"\(config.crm)\" is not available in this build yet; use \"local\"")
        }
        let agent: LocalAgent
        do { agent = try LocalAgent(config: config) } catch { throw fail("\(error)") }
        let link: any RingsideCore.PhoneLink
        if config.phone == "simulated" {
            link = SimulatedPhone()
        } else {
            do { link = try BaresipLink(url: config.phone) } catch { throw fail("\(error)") }
        }
        let runtime = AgentRuntime(settings: agent.settings, user: agent.user, crm: agent.directory, phone: link, store: agent.store,
                                   directory: agent.directory, labels: .init(crm: "Local directory", phone: config.phone, isDemo: false))
        await runtime.start()
        do {
            try await ConsoleLoop.run(backend: runtime, options: flags.options)
        } catch {
            await runtime.stop()
            throw fail("\(error)")
        }
        await runtime.stop()
    }
}
