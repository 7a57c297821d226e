import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

@Suite struct OpenCopyTests {
    @Test func lightningLinksAreBuiltOnlyFromSafeParts() {
        let fred = EntityRef(type: .contact, id: "0038d0000ag3LbEAAU", name: "Fred")
        #expect(RecordLink.lightning(base: "https://acme.my.salesforce.com/", fred) == "https://acme.my.salesforce.com/lightning/r/Contact/0038d0000ag3LbEAAU/view")
        #expect(RecordLink.lightning(base: "https://acme.my.salesforce.com", EntityRef(type: .caseRecord, id: "500000000000001", name: "")) == "https://acme.my.salesforce.com/lightning/r/Case/500000000000001/view")
        #expect(RecordLink.lightning(base: "javascript:alert(1)", fred) == nil)
        #expect(RecordLink.lightning(base: "https://acme.my.salesforce.com", EntityRef(type: .contact, id: "local-17", name: "")) == nil)
        #expect(RecordLink.lightning(base: "https://x\u{1b}]2;y", fred) == nil)
    }

    @Test func copyNumberTakesTheCallsNumberAndLocalModeHasNoLinks() {
        var h = Harness(ConsoleFixtures.connected(popped: true))
        let number = try? #require(h.driver.session.focusedCall?.number?.e164)
        #expect(h.keys(.char("y")) == [.copy(number ?? "?")])
        #expect(h.state.message?.text.hasPrefix("Copied ") == true)
        #expect(h.keys(.char("o")).isEmpty)
        #expect(h.state.message?.text.contains("Local directory records have no web page") == true)
        #expect(h.keys(.char("Y")).isEmpty)
    }

    @Test func salesforceModeOpensAndCopiesTheRecordOnScreen() throws {
        var h = Harness(ConsoleFixtures.connected(popped: true))
        h.linkBase = "https://acme.my.salesforce.com"
        let fred = try #require(h.driver.session.focusedCall?.resolvedAssociation.primary)
        let link = "https://acme.my.salesforce.com/lightning/r/\(fred.type.rawValue)/\(fred.id)/view"
        #expect(h.keys(.char("o")) == [.open(link)])
        #expect(h.keys(.char("Y")) == [.copy(link)])
    }

    @Test func historyRowsOpenTheirOwnRecord() throws {
        var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        h.linkBase = "https://acme.my.salesforce.com"
        h.keys(.char("H"))
        let record = ConsoleFixtures.history()[0]
        let requests = h.keys(.char("y"))
        #expect(requests == [.copy(record.e164 ?? record.remote)])
        if let who = record.who, RecordLink.lightning(base: "https://acme.my.salesforce.com", who) != nil {
            #expect(h.keys(.char("o")) == [.open(RecordLink.lightning(base: "https://acme.my.salesforce.com", who)!)])
        }
    }

    @Test func mouseToggleSaysWhatItDid() {
        var h = Harness(ConsoleFixtures.idle())
        #expect(h.keys(.char("m")) == [.setMouse(false)])
        #expect(h.state.message?.text.contains("select text") == true)
        #expect(h.keys(.char("m")) == [.setMouse(true)])
    }

    @Test func clipboardSequenceIsBase64() {
        #expect(TerminalSignal.copy("+44 7700 900123").escapeSequence == "\u{1B}]52;c;KzQ0IDc3MDAgOTAwMTIz\u{07}")
    }

    @Test func keyBarDropsWholeItemsNeverBareKeys() {
        let h = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
        let bar = h.screen().line(22)
        #expect(!bar.contains("3  4"), "\(bar)")
        #expect(bar.range(of: #"\b\d\s*$"#, options: .regularExpression) == nil, "a key without its label: \(bar)")
        #expect(bar.contains("1 One"))
    }

    @Test func quickFindWorksWithoutACall() {
        var h = Harness(ConsoleFixtures.idle())
        #expect(h.keys(.char("g")).isEmpty)
        guard case .find = h.state.modal else {
            Issue.record("quick find did not open without a call: \(String(describing: h.state.message))")
            return
        }
        _ = h.type("Fred")
        #expect(h.keys(.enter) == [.quickFind("Fred")])
        h.send(.found(query: "Fred", [ConsoleFixtures.fred]))
        #expect(h.keys(.enter).isEmpty, "nothing to navigate without a call")
        #expect(h.state.message?.text.contains("Fred Bloggs (Contact)") == true)
        #expect(h.state.message?.text.contains("no call to log it against") == true)
    }
}
