import Foundation
import RingsideCore
import RingsideTestSupport
@testable import RingsideUI
import Testing

/// Issue 15: New asks for a name (pre-filled with the number) instead of creating "Caller 020 …".
@Suite("NewRecordForm")
struct NewRecordFormTests {
    @Test func typingReplacesTheNumberAndEnterCreatesWithThatName() {
        var h = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
        #expect(h.keys(.char("n")) == [])
        #expect(h.state.newForm?.prefilled == true)
        let screen = h.screen().text
        #expect(screen.contains("New Lead"))
        #expect(screen.contains("Name: 0161 496 0000"))
        h.type("Grace Hopper")
        #expect(h.state.newForm?.text == "Grace Hopper")
        let sent = h.keys(.enter)
        #expect(sent == [.agent(.createNew(.lead, name: "Grace Hopper"))])
        #expect(h.state.newForm == nil)
        let number = Fixtures.number("0161 496 0000")
        #expect(h.driver.lastEffects == [.createRecord("call-1", .lead, number, name: "Grace Hopper")])
    }

    @Test func enterOnTheUntouchedNumberUsesTheNumberAndAnEmptyNameIsRefused() {
        var h = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
        h.keys(.char("n"))
        h.keys(.backspace)
        #expect(h.state.newForm?.text == "")
        #expect(h.keys(.enter) == [])
        #expect(h.state.newForm != nil, "an empty name keeps the form open")
        #expect(h.state.message?.text == "Type a name for the new Lead")
        h.keys(.escape)
        h.keys(.char("n"))
        #expect(h.keys(.enter) == [.agent(.createNew(.lead, name: "0161 496 0000"))])
    }

    @Test func tabOffersTheEntitiesTheLayoutAllowsAndPasteIsText() {
        var settings = SessionSettings()
        settings.match.layout = SoftphoneLayout(newEntities: [.contact, .lead, .account])
        var driver = SessionDriver(settings: settings)
        driver = ConsoleFixtures.ringing("0161 496 0000", matches: [], into: driver)
        var h = Harness(driver)
        h.keys(.char("n"))
        #expect(h.state.newForm?.choices == [.lead, .contact, .account])
        h.keys(.tab, .tab)
        #expect(h.screen().text.contains("Company:"))
        h.send(.paste("Acme \u{1b}[31mLtd\nsecond line"))
        #expect(h.state.newForm?.text == "Acme [31mLtd")
        #expect(h.keys(.enter) == [.agent(.createNew(.account, name: "Acme [31mLtd"))])
    }

    @Test func theFormClosesWhenItsCallEnds() {
        var h = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
        h.keys(.char("n"))
        h.driver.phone(.closed(ConsoleFixtures.line, reason: .remoteHangUp))
        h.driver.send(.recordSaved("call-1"))
        h.driver.agent(.finishWrapUp(disposition: nil, notes: ""))
        h.send(.changed)
        #expect(h.state.newForm == nil)
    }

    @Test func theSessionRefusesAnEntityTheLayoutDoesNotAllow() {
        var h = Harness(ConsoleFixtures.ringing("0161 496 0000", matches: []))
        #expect(h.driver.agent(.createNew(.account, name: "Acme")) == [])
        #expect(h.driver.session.banner?.text.contains("New can't create Account records here") == true)
        #expect(h.driver.agent(.createNew(.lead, name: "  ")) == [])
        #expect(h.driver.session.banner?.text == "Type a name for the new Lead")
    }
}
