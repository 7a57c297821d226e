import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

@Suite struct KeyTableTests {
    let table = KeyTable.standard

    @Test func everyCommandIsReachableByAKey() {
        for command in ConsoleCommand.allCases {
            let binding = table.binding(for: command)
            #expect(binding != nil, "no key for \(command)")
            if let key = binding?.keys.first { #expect(table.command(for: key) == command) }
        }
    }

    @Test func noKeyIsBoundTwice() {
        #expect(table.duplicateKeys.isEmpty, "duplicate keys: \(table.duplicateKeys)")
    }

    @Test func helpListsEveryCommandInDemoMode() {
        var h = Harness(ConsoleFixtures.idle(), isDemo: true)
        h.keys(.char("?"))
        let renderer = ConsoleRenderer()
        // Scroll through the whole help overlay on a tall screen and collect its text.
        let text = renderer.render(h.snapshot, h.state, size: TermSize(width: 120, height: 80), now: h.driver.now).text
        for command in ConsoleCommand.allCases {
            #expect(text.contains("\(command.title): \(command.help)"), "help lacks \(command)")
        }
    }

    @Test func helpHidesDemoCommandsOutsideDemo() {
        var h = Harness(ConsoleFixtures.idle(), isDemo: false)
        h.keys(.char("?"))
        let text = ConsoleRenderer().render(h.snapshot, h.state, size: TermSize(width: 120, height: 80), now: h.driver.now).text
        for command in ConsoleCommand.allCases {
            #expect(text.contains(command.help) == !command.isDemo, "\(command)")
        }
    }

    @Test func helpScrollsToTheEnd() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("?"))
        // (more than there are rows: long explanations wrap at 80 columns)
        for _ in 0..<120 { h.keys(.down) }
        #expect(h.screen().text.contains("Mouse"))
        #expect(!h.screen().text.contains("Answer the ringing call"))
    }

    @Test func inapplicableKeysExplainThemselves() {
        var h = Harness(ConsoleFixtures.idle())
        for command in ConsoleCommand.allCases {
            guard let reason = command.unavailableReason(h.snapshot, h.state), let key = table.binding(for: command)?.keys.first else { continue }
            let requests = h.keys(key)
            #expect(requests.isEmpty, "\(command) sent \(requests) although unavailable")
            #expect(h.state.message?.text == reason)
            #expect(h.screen().text.contains(String(reason.prefix(40))), "reason for \(command) not shown")
        }
    }

    @Test func unavailableButtonsAreDimmed() {
        let idle = Harness(ConsoleFixtures.idle()).screen()
        let answerCell = cell(of: "Answer", in: idle)
        #expect(answerCell?.style.dim == true)
        let ringing = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred])).screen()
        #expect(cell(of: "Answer", in: ringing)?.style.dim == false)
    }

    @Test func demoKeysShownOnlyInDemo() {
        #expect(Harness(ConsoleFixtures.idle(), isDemo: true).screen().text.contains("Demo: i Random"))
        #expect(!Harness(ConsoleFixtures.idle(), isDemo: false).screen().text.contains("Demo:"))
        var h = Harness(ConsoleFixtures.idle(), isDemo: false)
        #expect(h.keys(.char("1")).isEmpty)
        #expect(h.state.message?.text == "Simulated calls exist only in ringside demo")
    }

    func cell(of word: String, in screen: Screen) -> Cell? {
        for y in 0..<screen.height {
            let line = screen.line(y)
            if let range = line.range(of: " \(word) ") ?? line.range(of: " \(word)") {
                let x = line.distance(from: line.startIndex, to: range.lowerBound) + 1
                if y >= screen.height - 3 { return screen[x, y] }
            }
        }
        return nil
    }
}

@Suite struct BenchmarkTests {
    /// Printed, not asserted.
    @Test func renderTime200x60() {
        let timing = ConsoleBenchmarks.renderTime(width: 200, height: 60, iterations: 100)
        print("[bench] \(timing)")
        #expect(timing.iterations == 100)
    }
}
