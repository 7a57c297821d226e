import ArgumentParser
import Foundation

/// `ringside man`: the man page (roff), generated from the command tree so it always matches the binary.
/// swift-argument-parser's `generate-manual` plugin also works offline with 1.8.2, but it rebuilds the package
/// in another configuration first (minutes); this is instant and testable. `scripts/install-extras` installs it.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "man", abstract: "Print the man page (roff) for `man -l -` or ~/.local/share/man/man1/ringside.1.",
        shouldDisplay: false)

    func run() throws {
        print(Manual.page(), terminator: "")
    }
}

enum Manual {
    static func page() -> String {
        let root = Ringside.configuration
        var out = """
            .TH RINGSIDE 1 "" "ringside \(root.version)" "Ringside manual"
            .SH NAME
            ringside \\- \(escape(root.abstract))
            .SH SYNOPSIS
            .B ringside
            .I command
            [\\fIoptions\\fR]
            .SH DESCRIPTION
            \(paragraphs(root.discussion))
            .SH COMMANDS

            """
        for (path, command) in commands(Ringside.self, path: ["ringside"]) {
            let configuration = command.configuration
            out += ".SS \"\(escape(path.joined(separator: " ")))\"\n"
            out += "\(escape(configuration.abstract))\n.PP\n.nf\n"
            let help = Ringside.helpMessage(for: command, columns: 78)
            out += help.split(separator: "\n", omittingEmptySubsequences: false).map { escapeLine(String($0)) }.joined(separator: "\n")
            out += "\n.fi\n"
        }
        out += """
            .SH FILES
            .TP
            .I $XDG_CONFIG_HOME/ringside/config.toml
            Configuration (see \\fBringside config \\-\\-example\\fR); every setting also as a RINGSIDE_* environment variable.
            .TP
            .I $XDG_DATA_HOME/ringside/ringside.sqlite
            Call records, outbox, audit log and the phone index.
            .SH SEE ALSO
            Shell completions: \\fBringside \\-\\-generate\\-completion\\-script bash|zsh|fish\\fR (installed by scripts/install-extras).

            """
        return out
    }

    /// Every visible subcommand, depth first, with its full command path.
    static func commands(_ parent: any ParsableCommand.Type, path: [String]) -> [([String], any ParsableCommand.Type)] {
        parent.configuration.subcommands.filter { $0.configuration.shouldDisplay }.flatMap { child -> [([String], any ParsableCommand.Type)] in
            let name = child.configuration.commandName ?? child._commandName
            let childPath = path + [name]
            return [(childPath, child)] + commands(child, path: childPath)
        }
    }

    /// Roff-safe text: backslashes doubled as `\e`, and a leading `.` or `'` cannot start a request.
    /// Non-ASCII characters become `\[uXXXX]` so any troff reads the page without a pre-processor.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            case _ where scalar.isASCII: out.unicodeScalars.append(scalar)
            default: out += "\\[u\(String(format: "%04X", scalar.value))]"
            }
        }
        return out
    }

    static func escapeLine(_ line: String) -> String {
        let escaped = escape(line)
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    static func paragraphs(_ text: String) -> String {
        text.split(separator: "\n").map { escapeLine(String($0)) }.joined(separator: "\n.PP\n")
    }
}
