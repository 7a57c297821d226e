import ArgumentParser
import Foundation
import RingsideApp
import RingsideCore

/// Every line the CLI prints passes through `SafeText` (escape sequences, C0/C1 controls and bidi overrides from
/// CRM records, Salesforce errors, CSV files or the phone can't drive the terminal). This shadows `Swift.print`
/// in the `ringside` module, so new commands are safe without thinking about it; machine output (JSON) goes
/// through `printJSON`, which escapes instead of replacing, so no data is lost.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(SafeText.lines(text), terminator: terminator)
}

/// JSON text with the characters a terminal would act on (DEL, C1 controls, bidi controls, line separators)
/// written as `\uXXXX` escapes: the same JSON value, safe to show. (JSONEncoder already escapes C0 controls.)
func printJSON(_ json: String) {
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
        switch scalar.value {
        case 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029, 0xFEFF:
            out.append(contentsOf: String(format: "\\u%04X", scalar.value).unicodeScalars)
        default:
            out.append(scalar)
        }
    }
    Swift.print(String(out))
}

extension Ringside {
    /// Runs the command; any error message (which may quote outside data) is sanitised before it is printed.
    static func main() async {
        RingsideLog.bootstrapProcess()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success {
                    Swift.print(message)
                } else {
                    FileHandle.standardError.write(Data((SafeText.lines(message) + "\n").utf8))
                }
            }
            Foundation.exit(code.rawValue)
        }
    }
}
