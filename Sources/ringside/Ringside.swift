import ArgumentParser
import Foundation
import Logging
import RingsideApp
import RingsideCore

@main
struct Ringside: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringside",
        abstract: "A terminal softphone companion: screen pops, call control and exactly-once Salesforce call records.",
        discussion: """
            Run `ringside demo` to try it with the embedded directory and a simulated phone (no accounts needed).
            Configuration: $XDG_CONFIG_HOME/ringside/config.toml (see `ringside config --example`); every setting \
            can also be given as a RINGSIDE_* environment variable. Data: $XDG_DATA_HOME/ringside/ringside.sqlite.
            """,
        version: "0.1.0",
        subcommands: [Demo.self, Agent.self, Lookup.self, History.self, Outbox.self, Audit.self, Simulate.self, DirectoryCommand.self,
                      Login.self, Doctor.self, Emulator.self, Supervisor.self, ConfigCommand.self, Sync.self, Bench.self,
                      Report.self, ManualCommand.self, Logs.self],
        defaultSubcommand: nil
    )
}

/// Options shared by every command that reads the configuration.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: $XDG_CONFIG_HOME/ringside/config.toml).")
    var config: String?

    @Option(name: .long, help: "Data folder holding ringside.sqlite (overrides data.dir).")
    var dataDir: String?

    @Option(name: .long, help: "Log detail in $XDG_STATE_HOME/ringside/ringside.log: trace, debug (adds HTTP traces), info, notice, warning, error, critical (overrides log.level).")
    var logLevel: String?

    func load() throws -> RingsideConfig {
        var config: RingsideConfig
        do {
            config = try RingsideConfig.load(path: self.config)
            if let dataDir { config.dataDirectory = dataDir }
        } catch {
            throw fail("\(error)")
        }
        if let logLevel { config.logLevel = logLevel }
        guard let level = RingsideLog.level(config.logLevel) else {
            throw fail("--log-level \(config.logLevel): use trace, debug, info, notice, warning, error or critical")
        }
        switch RingsideLog.configure(config: config, level: level) {
        case .success:
            let command = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "ringside"
            RingsideLog.logger("ringside").info("\(command) started (config: \((["defaults"] + config.sources).joined(separator: ", ")), log level \(level))")
        case .failure(let error):
            FileHandle.standardError.write(Data("ringside: \(SafeText.line(error.description)); running without a log file\n".utf8))
        }
        return config
    }
}

/// Prints an error and exits non-zero, without a stack trace.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("ringside: \(SafeText.lines(message))\n".utf8))
    return ExitCode(1)
}
