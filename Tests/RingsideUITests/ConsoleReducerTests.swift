import Foundation
import RingsideCore
import RingsideTestSupport
import RingsideUI
import Testing

@Suite struct ConsoleReducerTests {
    @Test func answerHoldResumeHangUpSendCommands() {
        var h = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        #expect(h.keys(.char("a")) == [.agent(.answer)])
        h.driver.phone(.established(ConsoleFixtures.line))
        #expect(h.keys(.char("h")) == [.agent(.hold)])
        h.driver.phone(.held(ConsoleFixtures.line))
        #expect(h.screen().text.contains("Resume"))
        #expect(h.keys(.char("h")) == [.agent(.resume)])
        h.driver.phone(.resumed(ConsoleFixtures.line))
        #expect(h.keys(.char("x")) == [.agent(.hangUp)])
    }

    @Test func popSearchNewFollowTheMatch() {
        var single = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        #expect(single.keys(.char("p")) == [.agent(.pop)])
        #expect(single.keys(.char("n")).isEmpty)
        #expect(single.state.message?.text.hasPrefix("New is offered only") == true)

        var none = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
        // New opens the form (issue 15); nothing is created until the agent confirms a name.
        #expect(none.keys(.char("n")) == [])
        #expect(none.state.newForm?.text == "0161 496 0000")
        #expect(none.keys(.escape) == [])
        #expect(none.state.newForm == nil)
        #expect(none.keys(.char("p")).isEmpty)

        var many = Harness(ConsoleFixtures.ringing("020 7946 0018", matches: ConsoleFixtures.shared))
        #expect(many.keys(.char("s")).isEmpty)
        // Newest first: Bob (new), Cat (mid), Ann (old).
        let requests = many.keys(.down, .down, .enter)
        #expect(requests == [.agent(.select(ConsoleFixtures.shared[0].ref))])
        #expect(many.driver.session.focusedCall?.resolvedAssociation.primary?.name == "Ann Shared")
    }

    @Test func dialFieldRejectsJunkAndDialsNormalisedNumbers() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("d"))
        #expect(h.state.editing == .dial)
        _ = h.type("0770a")
        #expect(h.state.dialText == "0770")
        #expect(h.state.message?.text.contains("not part of a phone number") == true)
        _ = h.type("0 900123")
        #expect(h.screen().text.contains("→ +447700900123"))
        #expect(h.keys(.enter) == [.agent(.dial("07700 900123", clickToDial: nil))])
        #expect(h.state.dialText == "")
        #expect(h.driver.session.focusedCall?.state == .dialing)
    }

    @Test func emptyDialFieldExplains() {
        var h = Harness(ConsoleFixtures.idle())
        #expect(h.keys(.char("d"), .enter).isEmpty)
        #expect(h.state.message?.text == "Type a number to dial, then Enter")
    }

    @Test func filterNarrowsTheListInMemoryAndEnterDialsWithEntity() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("/"))
        #expect(h.type("fr") == [])
        #expect(h.state.numbers.count == 1)
        #expect(h.state.numbers.entry(at: 0).name == "Fred Bloggs")
        h.keys(.enter) // leaves the filter field
        let fred = ConsoleFixtures.numberEntries()[0]
        #expect(h.keys(.enter) == [.agent(.dial(fred.raw, clickToDial: fred.entity))])
        #expect(h.driver.session.focusedCall?.resolvedAssociation.rule == .clickToDial)
    }

    @Test func escapeClearsTheFilter() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("/"))
        _ = h.type("x")
        #expect(h.state.numbers.count == 0)
        #expect(h.keys(.escape) == [])
        #expect(h.state.numbers.count == ConsoleFixtures.numberEntries().count)
        #expect(h.state.filterText.isEmpty)
        #expect(h.state.editing == nil)
    }

    @Test func aSingleClickOnANumberRowSelectsItADoubleClickDials() {
        var h = Harness(ConsoleFixtures.idle())
        let entry = ConsoleFixtures.numberEntries()[3]
        #expect(h.click { $0 == .row(.numbers, 3) } == [])
        #expect(h.state.numberSelection == 3)
        #expect(h.state.focus == .numbers)
        #expect(h.keys(.enter) == [.agent(.dial(entry.raw, clickToDial: entry.entity))])
        var again = Harness(ConsoleFixtures.idle())
        #expect(again.click(double: true) { $0 == .row(.numbers, 3) } == [.agent(.dial(entry.raw, clickToDial: entry.entity))])
    }

    @Test func mouseClickOnAButtonRunsItsCommand() {
        var h = Harness(ConsoleFixtures.ringing(matches: [ConsoleFixtures.fred]))
        #expect(h.click { $0 == .command(.answer) } == [.agent(.answer)])
        var idle = Harness(ConsoleFixtures.idle())
        #expect(idle.click { $0 == .command(.answer) } == [])
        #expect(idle.state.message?.text == "Nothing to answer: no call is ringing")
    }

    @Test func mouseClickOnASearchRowChoosesIt() {
        var h = Harness(ConsoleFixtures.ringing("020 7946 0018", matches: ConsoleFixtures.shared))
        #expect(h.click { $0 == .row(.searchMatches, 1) } == [])
        #expect(h.state.searchSelection == 1)
        #expect(h.keys(.enter) == [.agent(.select(ConsoleFixtures.shared[2].ref))])
    }

    @Test func transferPromptTypedAndPicked() {
        var h = Harness(ConsoleFixtures.connected())
        h.keys(.char("t"))
        _ = h.type("2001")
        #expect(h.keys(.enter) == [.agent(.transfer(to: "2001"))])
        #expect(h.driver.session.focusedCall?.state == .transferring(to: "2001"))

        var picked = Harness(ConsoleFixtures.connected())
        picked.keys(.char("t"), .down, .down)
        let entry = ConsoleFixtures.numberEntries()[1]
        #expect(picked.keys(.enter) == [.agent(.transfer(to: entry.raw))])
    }

    @Test func transferCancelled() {
        var h = Harness(ConsoleFixtures.connected())
        #expect(h.keys(.char("t"), .char("9"), .escape).isEmpty)
        #expect(h.state.modal == nil)
    }

    @Test func wrapUpSavesDispositionAndNotes() {
        var h = Harness(ConsoleFixtures.wrapUp())
        #expect(h.state.focus == .call)
        h.keys(.down, .char("w"))
        _ = h.type("Call back")
        let requests = h.keys(.enter)
        #expect(requests == [.agent(.finishWrapUp(disposition: "Resolved", notes: "Call back"))])
        #expect(h.driver.completedRecords.last?.disposition == "Resolved")
    }

    @Test func notesEditLikeALineEditorAndEveryChangeIsADraft() {
        var h = Harness(ConsoleFixtures.wrapUp())
        h.keys(.char("w"))
        _ = h.type("Call back Fred tomorow")
        // Left/Home move; Delete deletes forward; the last edit can be undone.
        h.keys(.left, .left, .left)
        #expect(h.keys(.char("r")).last == .agent(.editWrapUp(disposition: nil, notes: "Call back Fred tomorrow")))
        h.keys(.home, .wordRight, .right)
        h.keys(.delete, .delete, .delete, .delete)
        #expect(h.state.notes == "Call  Fred tomorrow")
        h.keys(.ctrl("_"))
        #expect(h.state.notes == "Call back Fred tomorrow")
        // Ctrl-E, Alt-Enter for a new line, Ctrl-W rubs out the word before the cursor, Ctrl-A goes to the line start.
        h.keys(.ctrl("e"), .alt("\n"))
        _ = h.type("Ref 123")
        h.keys(.ctrl("w"))
        _ = h.type("456")
        #expect(h.state.notes == "Call back Fred tomorrow\nRef 456")
        h.keys(.ctrl("a"), .ctrl("k"))
        #expect(h.state.notes == "Call back Fred tomorrow\n")
        #expect(h.state.editing == .notes)
        let saved = h.keys(.enter)
        #expect(saved == [.agent(.finishWrapUp(disposition: nil, notes: "Call back Fred tomorrow"))])
    }

    @Test func longNotesWrapAtWordsAndTheCursorLineStaysVisible() {
        var h = Harness(ConsoleFixtures.wrapUp())
        h.keys(.char("w"))
        let words = (1...60).map { "word\($0)" }.joined(separator: " ")
        _ = h.type(words)
        var screen = h.screen()
        #expect(screen.text.contains("word60"))
        let cursorLine = screen.cursor.map { screen.line($0.y) } ?? ""
        #expect(cursorLine.contains("word60"))
        #expect(!screen.text.contains("wor\n"), "no word is cut at a line end")
        h.keys(.home)
        screen = h.screen()
        #expect(screen.text.contains("word1 word2"), "Home scrolls the start back into view")
        #expect(!screen.text.contains("word60"))
    }

    @Test func escapeSavesWrapUpWithout() {
        var h = Harness(ConsoleFixtures.wrapUp())
        h.keys(.down)
        #expect(h.keys(.escape) == [.agent(.finishWrapUp(disposition: nil, notes: ""))])
    }

    @Test func wrapUpFormResetsForTheNextCall() {
        var h = Harness(ConsoleFixtures.wrapUp())
        h.keys(.down, .down, .char("w"))
        _ = h.type("abc")
        h.keys(.escape, .escape)
        var driver = h.driver
        driver.phone(.incoming("L9", remote: Fixtures.fredRaw))
        let id = driver.issuedIDs.last ?? ""
        driver.agent(.answer)
        driver.phone(.established("L9"))
        driver.agent(.hangUp)
        driver.phone(.closed("L9", reason: .remoteHangUp))
        driver.send(.recordSaved(id))
        h.driver = driver
        h.send(.changed)
        #expect(h.state.dispositionIndex == 0)
        #expect(h.state.notes == "")
    }

    @Test func notReadyReasonPicker() {
        var h = Harness(ConsoleFixtures.idle())
        h.keys(.char("r"))
        #expect(h.keys(.char("3")) == [.agent(.setAvailability(.notReady(reason: "Training")))])
        #expect(h.screen().text.contains("Not ready: Training"))
        #expect(h.keys(.char("r")) == [.agent(.setAvailability(.ready))])
    }

    @Test func quitAsksWithALiveCall() {
        var h = Harness(ConsoleFixtures.connected())
        #expect(h.keys(.char("q")).isEmpty)
        #expect(h.state.modal == .quitConfirm)
        #expect(h.keys(.char("n")).isEmpty)
        #expect(h.state.modal == nil)
        h.keys(.char("q"))
        #expect(h.keys(.char("y")) == [.quit])
        var idle = Harness(ConsoleFixtures.idle())
        #expect(idle.keys(.char("q")) == [.quit])
    }

    @Test func historyEnterShowsTaskFields() {
        var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        h.keys(.char("H"), .enter)
        #expect(h.state.modal == .historyDetail(index: 0))
        #expect(h.screen().text.contains("CallObject"))
        // At 80×24 the wrapped fields are taller than the box: the ids are a page down (issue 18).
        h.keys(.pageDown)
        let text = h.screen().text
        #expect(text.contains("WhoId"))
        #expect(text.contains(ConsoleFixtures.fred.id))
        h.keys(.escape)
        #expect(h.state.modal == nil)
    }

    @Test func newCallTakesFocus() {
        var h = Harness(ConsoleFixtures.idle(), history: ConsoleFixtures.history())
        h.keys(.char("H"))
        h.driver.phone(.incoming("L5", remote: Fixtures.fredRaw))
        h.send(.changed)
        #expect(h.state.focus == .call)
    }

    @Test func demoKeysSimulate() {
        var h = Harness(ConsoleFixtures.idle())
        #expect(h.keys(.char("1"), .char("2"), .char("3"), .char("i")) == [
            .simulate(.singleMatch), .simulate(.multipleMatch), .simulate(.noMatch), .simulate(.random),
        ])
    }

    @Test func unknownKeySaysSo() {
        var h = Harness(ConsoleFixtures.idle())
        #expect(h.keys(.char("z")).isEmpty)
        #expect(h.state.message?.text.contains("press ? for help") == true)
    }

    @Test func refreshIsPerSecondOnlyWithATimer() {
        let idle = Harness(ConsoleFixtures.idle()).snapshot
        #expect(ConsoleRenderer.refreshInterval(idle) == 60)
        let next = ConsoleRenderer.nextRefresh(idle, after: Date(timeIntervalSinceReferenceDate: 125))
        #expect(next == Date(timeIntervalSinceReferenceDate: 180))
        #expect(ConsoleRenderer.refreshInterval(Harness(ConsoleFixtures.connected()).snapshot) == 1)
        #expect(ConsoleRenderer.refreshInterval(Harness(ConsoleFixtures.wrapUp()).snapshot) == 1)
    }

    @Test func fakeBackendRecordsCommands() async {
        let backend = FakeConsoleBackend(snapshot: Harness(ConsoleFixtures.idle()).snapshot)
        await backend.send(.answer, seen: nil)
        await backend.simulateIncoming(.noMatch)
        let view = NumberListView(await backend.numberList(), filter: "7946")
        #expect(await backend.received == [.answer])
        #expect(await backend.simulated == [.noMatch])
        #expect((0..<view.count).map { view.entry(at: $0).name } == ["Bob Shared"])
    }
}

/// Every entry of a long number list can be reached and seen: paging, Home/End, a true count in the title.
@Suite struct NumberListPagingTests {
    static func entries(_ n: Int) -> [NumberListEntry] {
        (0..<n).map { i in
            NumberListEntry(kind: .directory, name: "Caller \(String(format: "%05d", i))", raw: "0161 496 \(String(format: "%04d", i % 10000))",
                            e164: "+44161496\(String(format: "%04d", i % 10000))", entity: nil)
        }
    }

    /// Names of the number rows drawn on screen.
    static func visibleRows(_ h: Harness) -> Set<Int> {
        Set(h.screen().regions.compactMap { region -> Int? in
            if case .row(.numbers, let index) = region.target { return index }
            return nil
        })
    }

    @Test func pagingDownShowsEveryEntryAndTheTitleCountsAll() {
        let all = Self.entries(1234)
        var h = Harness(ConsoleFixtures.idle(), entries: all)
        h.keys(.char("N"))
        #expect(h.screen().text.contains("Numbers (1,234)"))
        var seen = Self.visibleRows(h)
        var last = -1
        while h.state.numberSelection != last {
            last = h.state.numberSelection
            h.keys(.pageDown)
            seen.formUnion(Self.visibleRows(h))
        }
        #expect(seen == Set(0..<all.count))
        #expect(h.state.numberSelection == all.count - 1)
        #expect(h.screen().text.contains("Caller 01233"))
        h.keys(.home)
        #expect(h.state.numberSelection == 0)
        h.keys(.end)
        #expect(h.state.numberSelection == all.count - 1)
        h.keys(.pageUp)
        #expect(h.state.numberSelection == all.count - 1 - ConsoleReducer.pageSize)
    }

    @Test func filteredTitleShowsMatchesOfTotalAndEndReachesTheLastMatch() {
        var h = Harness(ConsoleFixtures.idle(), entries: Self.entries(1234))
        h.keys(.char("/"))
        _ = h.type("caller 496 09")  // name word "caller", digits "49609": numbers 0161 496 09xx
        #expect(h.state.numbers.count == 100)
        #expect(h.screen().text.contains("Numbers (100 of 1,234)"))
        // While typing, End moves the text cursor; after Enter (filter done) it goes to the last match.
        h.keys(.end)
        #expect(h.state.numberSelection == 0)
        h.keys(.enter, .end)
        #expect(h.state.numbers.entry(at: h.state.numberSelection).name == "Caller 00999")
    }
}
