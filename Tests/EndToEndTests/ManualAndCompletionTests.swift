import Foundation
import RingsideTestSupport
import Testing

/// The man page and shell completions come from the real binary's command tree (issue 18).
@Suite(.serialized) struct ManualAndCompletionTests {
    let cli = CommandLineTests()

    /// Subcommand names listed under SUBCOMMANDS in `ringside --help` (and in `ringside X --help` for groups).
    func subcommands(_ args: String...) async throws -> [String] {
        let help = try await cli.ringside(args: Array(args) + ["--help"])
        guard let section = help.stdout.range(of: "SUBCOMMANDS:") else { return [] }
        return help.stdout[section.upperBound...].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("    "), let word = line.split(separator: " ").first else { return nil }
            return String(word)
        }.filter { $0 != "See" }
    }

    @Test func theManPageListsEverySubcommand() async throws {
        let result = try await cli.ringside(args: ["man"])
        #expect(result.status == 0, "\(result.stderr)")
        let page = result.stdout
        #expect(page.hasPrefix(".TH RINGSIDE 1"))
        let top = try await subcommands()
        #expect(top.count >= 15, "\(top)")
        #expect(top.contains("history"))
        for name in top {
            #expect(page.contains(".SS \"ringside \(name)\""), "the man page lacks ringside \(name)")
            for child in try await subcommands(name) {
                #expect(page.contains(".SS \"ringside \(name) \(child)\""), "the man page lacks ringside \(name) \(child)")
            }
        }
        #expect(page.contains("\\-\\-since"), "history's options are in the page")
        #expect(!page.contains(".SS \"ringside man\""), "the hidden generator is not listed")
        // Every request line is one roff knows; no text line starts a request by accident.
        for line in page.split(separator: "\n") where line.hasPrefix(".") {
            let request = line.split(separator: " ").first.map(String.init) ?? ""
            #expect([".TH", ".SH", ".SS", ".B", ".I", ".PP", ".nf", ".fi", ".TP"].contains(request), "unexpected roff line: \(line)")
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") {
            let path = NSTemporaryDirectory() + "ringside-\(UUID().uuidString).1"
            try page.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let rendered = try await ProcessRunner.run("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-z", path], timeout: 60)
            #expect(rendered.status == 0 && rendered.stderr.isEmpty, "groff warnings: \(rendered.stderr)")
        }
    }

    @Test func completionScriptsAreGeneratedAndBashParsesTheBashOne() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await cli.ringside(args: ["--generate-completion-script", shell])
            #expect(script.status == 0, "\(shell): \(script.stderr)")
            #expect(script.stdout.contains("history"), "\(shell) completes the history command")
            #expect(script.stdout.contains("since"), "\(shell) completes history's options")
        }
        let bash = try await cli.ringside(args: ["--generate-completion-script", "bash"])
        let path = NSTemporaryDirectory() + "ringside-completion-\(UUID().uuidString).bash"
        try bash.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let check = try await ProcessRunner.run("/bin/bash", ["-n", path], timeout: 30)
        #expect(check.status == 0, "bash -n: \(check.stderr)")
    }

    @Test func installExtrasPutsThemInUserFolders() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/install-extras").path
        let home = NSTemporaryDirectory() + "ringside-extras-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["XDG_DATA_HOME"] = home + "/data"
        environment["XDG_CONFIG_HOME"] = home + "/config"
        environment["RINGSIDE_BIN"] = CommandLineTests.binary
        let result = try await ProcessRunner.run("/bin/bash", [script], environment: environment, timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["data/man/man1/ringside.1", "data/bash-completion/completions/ringside", "data/zsh/site-functions/_ringside",
                     "config/fish/completions/ringside.fish"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(home)/\(file)")[.size] as? Int) ?? 0
            #expect(size > 500, "\(file) is missing or empty")
        }
    }
}
