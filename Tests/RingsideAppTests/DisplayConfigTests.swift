import Foundation
@testable import RingsideApp
import RingsideUI
import Testing

private func writeConfigFile(_ text: String) -> String {
    let path = NSTemporaryDirectory() + "ringside-display-config-\(UUID().uuidString).toml"
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

/// Issue 18: `[display] hyperlinks` turns the OSC 8 links of the call panel on, off, or on where supported.
@Suite struct DisplayConfigTests {
    @Test func hyperlinksDefaultToAutoAndTakeOnOffAndBooleans() throws {
        let defaults = try RingsideConfig.load(path: nil, environment: ["HOME": "/nonexistent-home"])
        #expect(defaults.hyperlinks == .auto)
        for (value, mode) in [("\"on\"", Hyperlink.Mode.on), ("true", .on), ("\"off\"", .off), ("false", .off), ("\"auto\"", .auto)] {
            let config = try RingsideConfig.load(path: writeConfigFile("[display]\nhyperlinks = \(value)\n"), environment: [:])
            #expect(config.hyperlinks == mode, "\(value)")
        }
        let env = try RingsideConfig.load(path: nil, environment: ["HOME": "/x", "RINGSIDE_DISPLAY_HYPERLINKS": "off"])
        #expect(env.hyperlinks == .off)
        #expect(RingsideConfig.example().contains("# hyperlinks = \"auto\""))
    }

    @Test func aBadValueNamesTheLineAndTheChoices() {
        let path = writeConfigFile("[display]\n\nhyperlinks = \"sometimes\"\n")
        #expect { try RingsideConfig.load(path: path, environment: [:]) } throws: { error in
            "\(error)".contains("\(path):3:") && "\(error)".contains("display.hyperlinks") && "\(error)".contains("\"auto\"")
        }
        let number = writeConfigFile("[display]\nhyperlinks = 1\n")
        #expect { try RingsideConfig.load(path: number, environment: [:]) } throws: { error in
            "\(error)".contains("\(number):2:") && "\(error)".contains("display.hyperlinks")
        }
    }
}
