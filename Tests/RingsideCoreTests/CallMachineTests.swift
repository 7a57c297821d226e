import Foundation
import RingsideCore
import RingsideTestSupport
import Testing

private let t0 = Fixtures.t0
private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }
private let fred = Fixtures.number(Fixtures.fredRaw)
private let extensionNumber = Fixtures.number("2001")
private let line = "L1"

/// Applies an event that must be accepted and returns its actions.
@discardableResult
private func accept(_ machine: inout CallMachine, _ event: CallMachine.Event, at time: Date = t0,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> [CallMachine.Action] {
    switch machine.handle(event, at: time) {
    case .success(let actions):
        return actions
    case .failure(let rejection):
        Issue.record("\(event) rejected in \(machine.state): \(rejection.message)", sourceLocation: sourceLocation)
        throw rejection
    }
}

/// A call that rang in on `line` from Fred.
private func makeRinging(at time: Date = t0) throws -> CallMachine {
    var m = CallMachine(id: "call-1", at: time)
    try accept(&m, .incoming(line: line, remote: Fixtures.fredRaw, number: fred), at: time)
    return m
}

private func makeConnected(at time: Date = t0) throws -> CallMachine {
    var m = try makeRinging(at: time)
    try accept(&m, .established, at: time)
    return m
}

// MARK: - Valid transitions

@Suite("CallMachine")
struct CallMachineTests {}

extension CallMachineTests {
    @Suite("transitions")
    struct Transitions {
        @Test func inboundCallFromRingToDone() throws {
            var m = CallMachine(id: "call-1", at: t0)
            #expect(m.state == .idle)

            #expect(try accept(&m, .incoming(line: line, remote: Fixtures.fredRaw, number: fred)) == [.lookup(fred)])
            #expect(m.state == .ringing)
            #expect(m.direction == .inbound)
            #expect(m.line == line)
            #expect(m.remote == Fixtures.fredRaw)
            #expect(m.match == .searching)
            #expect(m.isLive)

            // Answering only asks the phone; the call is connected when the phone says so.
            #expect(try accept(&m, .answer, at: at(4)) == [.phone(.answer(line))])
            #expect(m.state == .ringing)
            #expect(m.answeredAt == nil)

            #expect(try accept(&m, .established, at: at(5)) == [])
            #expect(m.state == .connected)
            #expect(m.answeredAt == at(5))

            #expect(try accept(&m, .hold, at: at(10)) == [.phone(.hold(line))])
            #expect(m.state == .connected)
            #expect(try accept(&m, .held, at: at(11)) == [])
            #expect(m.state == .held)

            #expect(try accept(&m, .resume, at: at(40)) == [.phone(.resume(line))])
            #expect(m.state == .held)
            #expect(try accept(&m, .resumed, at: at(41)) == [])
            #expect(m.state == .connected)

            #expect(try accept(&m, .hangUp, at: at(100)) == [.phone(.hangUp(line))])
            #expect(m.state == .connected)
            #expect(m.endedAt == nil)

            #expect(try accept(&m, .closed(.localHangUp), at: at(101)) == [.saveRecord])
            #expect(m.state == .ended)
            #expect(!m.isLive)
            #expect(m.endReason == .localHangUp)
            #expect(m.endedAt == at(101))

            #expect(try accept(&m, .recordSaved, at: at(102)) == [.startWrapUpTimer])
            #expect(m.state == .wrapUp)

            #expect(try accept(&m, .finishWrapUp(disposition: "Resolved", notes: "Called back about invoice"), at: at(130))
                == [.completeRecord])
            #expect(m.state == .done)
            #expect(m.disposition == "Resolved")
            #expect(m.notes == "Called back about invoice")

            #expect(m.durationSeconds(at: at(500)) == 96)  // 5 → 101, hold included
            #expect(m.totalHoldSeconds(at: at(500)) == 30)  // 11 → 41
        }

        @Test func outboundCallDialsAndLooksUp() throws {
            let clicked = Fixtures.contact().ref
            var m = CallMachine(id: "call-2", at: t0)
            let actions = try accept(&m, .dial(remote: Fixtures.fredE164, number: fred, clickToDial: clicked))
            #expect(actions == [.phone(.dial(Fixtures.fredE164)), .lookup(fred)])
            #expect(m.state == .dialing)
            #expect(m.direction == .outbound)
            #expect(m.line == nil)
            #expect(m.association.clickToDial == clicked)

            #expect(try accept(&m, .outgoing(line: "L9"), at: at(1)) == [])
            #expect(m.state == .dialing)
            #expect(m.line == "L9")

            #expect(try accept(&m, .remoteRinging, at: at(2)) == [])
            #expect(m.state == .remoteRinging)

            #expect(try accept(&m, .established, at: at(9)) == [])
            #expect(m.state == .connected)
            #expect(m.answeredAt == at(9))

            #expect(try accept(&m, .hangUp, at: at(20)) == [.phone(.hangUp("L9"))])
            #expect(try accept(&m, .closed(.localHangUp), at: at(20)) == [.saveRecord])
            #expect(m.durationSeconds(at: at(99)) == 11)
        }

        @Test func outboundCallCanBeAnsweredWithoutRemoteRinging() throws {
            var m = CallMachine(id: "c", at: t0)
            try accept(&m, .dial(remote: Fixtures.fredE164, number: fred, clickToDial: nil))
            try accept(&m, .outgoing(line: "L9"))
            try accept(&m, .established, at: at(3))
            #expect(m.state == .connected)
        }

        @Test(arguments: [CallEndReason.busy, .declined, .noAnswer, .failed("503 Service Unavailable")])
        func unansweredOutboundCallCloses(reason: CallEndReason) throws {
            for rangFirst in [false, true] {
                var m = CallMachine(id: "c", at: t0)
                try accept(&m, .dial(remote: Fixtures.fredE164, number: fred, clickToDial: nil))
                try accept(&m, .outgoing(line: "L9"), at: at(1))
                if rangFirst { try accept(&m, .remoteRinging, at: at(2)) }
                #expect(try accept(&m, .closed(reason), at: at(30)) == [.saveRecord])
                #expect(m.state == .ended)
                #expect(m.endReason == reason)
                #expect(m.answeredAt == nil)
                #expect(m.endedAt == at(30))
                #expect(m.durationSeconds(at: at(60)) == 0)
            }
        }

        @Test func hangingUpADialThePhoneHasNotAcknowledgedEndsLocally() throws {
            var m = CallMachine(id: "c", at: t0)
            try accept(&m, .dial(remote: Fixtures.fredE164, number: fred, clickToDial: nil))
            #expect(try accept(&m, .hangUp, at: at(2)) == [.saveRecord])
            #expect(m.state == .ended)
            #expect(m.endReason == .localHangUp)
        }

        @Test func rejectingAnIncomingCallAsksThePhone() throws {
            var m = try makeRinging()
            #expect(try accept(&m, .hangUp, at: at(3)) == [.phone(.hangUp(line))])
            #expect(m.state == .ringing)
            #expect(try accept(&m, .closed(.declined), at: at(3)) == [.saveRecord])
            #expect(m.endReason == .declined)
            #expect(m.durationSeconds(at: at(10)) == 0)
        }

        @Test func transferSucceeds() throws {
            var m = try makeConnected()
            #expect(try accept(&m, .transfer(to: "2002"), at: at(30)) == [.phone(.transfer(line, to: "2002"))])
            #expect(m.state == .transferring(to: "2002"))
            #expect(m.isLive)
            #expect(try accept(&m, .transferred(to: "2002"), at: at(32)) == [.saveRecord])
            #expect(m.state == .ended)
            #expect(m.endReason == .transferred)
            #expect(m.endedAt == at(32))
        }

        @Test func transferFromHoldSucceeds() throws {
            var m = try makeConnected()
            try accept(&m, .held, at: at(10))
            #expect(try accept(&m, .transfer(to: "2002"), at: at(20)) == [.phone(.transfer(line, to: "2002"))])
            #expect(m.state == .transferring(to: "2002"))
            try accept(&m, .transferred(to: "2002"), at: at(25))
            #expect(m.endReason == .transferred)
            #expect(m.totalHoldSeconds(at: at(99)) == 15)
        }

        @Test func transferFailureReturnsToConnected() throws {
            var m = try makeConnected()
            try accept(&m, .transfer(to: "2002"), at: at(30))
            #expect(try accept(&m, .transferFailed(reason: "486 Busy Here"), at: at(31)) == [.notify("Transfer failed: 486 Busy Here")])
            #expect(m.state == .connected)
            #expect(m.endedAt == nil)
        }

        @Test func transferFailureFromHoldReturnsToHeld() throws {
            var m = try makeConnected()
            try accept(&m, .held, at: at(10))
            try accept(&m, .transfer(to: "2002"), at: at(20))
            try accept(&m, .transferFailed(reason: "404 Not Found"), at: at(21))
            #expect(m.state == .held)
            try accept(&m, .resumed, at: at(30))
            #expect(m.totalHoldSeconds(at: at(99)) == 20)
        }

        /// Phones commonly put the call on hold while they REFER it; the transfer must still complete.
        @Test func phoneHoldingTheCallDuringATransferKeepsTransferring() throws {
            var m = try makeConnected()
            try accept(&m, .transfer(to: "2002"), at: at(30))
            try accept(&m, .held, at: at(31))
            #expect(m.state == .transferring(to: "2002"))
            #expect(try accept(&m, .transferred(to: "2002"), at: at(34)) == [.saveRecord])
            #expect(m.endReason == .transferred)
            #expect(m.totalHoldSeconds(at: at(99)) == 3)
        }

        @Test func phoneHoldingDuringAFailedTransferLeavesTheCallHeld() throws {
            var m = try makeConnected()
            try accept(&m, .transfer(to: "2002"), at: at(30))
            try accept(&m, .held, at: at(31))
            try accept(&m, .transferFailed(reason: "486 Busy Here"), at: at(33))
            #expect(m.state == .held)
        }

        /// Seed 001: a call record is created when the user "transfers a telephone call from the handset".
        @Test(arguments: [false, true])
        func transferFromTheHandsetEndsTheCall(heldFirst: Bool) throws {
            var m = try makeConnected()
            if heldFirst { try accept(&m, .held, at: at(5)) }
            #expect(try accept(&m, .transferred(to: "2002"), at: at(40)) == [.saveRecord])
            #expect(m.state == .ended)
            #expect(m.endReason == .transferred)
        }

        @Test func transferNeedsALineID() throws {
            var m = CallMachine(id: "c", at: t0)
            try accept(&m, .dial(remote: Fixtures.fredE164, number: fred, clickToDial: nil))
            try accept(&m, .established, at: at(2))
            let before = m
            guard case .failure(let rejection) = m.handle(.transfer(to: "2002"), at: at(3)) else {
                Issue.record("transfer without a line id accepted")
                return
            }
            #expect(!rejection.message.isEmpty)
            #expect(m == before)
        }

        @Test func closedWhileTransferringCountsAsTransferred() throws {
            // Blind transfer: once the REFER is accepted the far end drops this leg.
            for reason in [CallEndReason.remoteHangUp, .localHangUp, .transferred] {
                var m = try makeConnected()
                try accept(&m, .transfer(to: "2002"), at: at(30))
                try accept(&m, .closed(reason), at: at(31))
                #expect(m.endReason == .transferred)
            }
        }

        @Test(arguments: LiveState.allCases)
        func remoteHangUpEndsEveryLiveState(state: LiveState) throws {
            var m = try state.make()
            #expect(m.isLive)
            #expect(try accept(&m, .closed(.remoteHangUp), at: at(200)) == [.saveRecord])
            #expect(m.state == .ended)
            #expect(m.endedAt == at(200))
            #expect(m.heldSince == nil)
            #expect(m.endReason == (state.isTransferring ? .transferred : .remoteHangUp))
            #expect(!m.isLive)
        }

        @Test func internalIncomingCallSkipsLookup() throws {
            var m = CallMachine(id: "c", at: t0)
            #expect(try accept(&m, .incoming(line: line, remote: "2001", number: extensionNumber)) == [])
            #expect(m.isInternal)
            #expect(m.match == .skippedInternal)
            #expect(m.association.isInternal)
        }

        @Test func internalDialSkipsLookupAndDropsClickToDial() throws {
            var m = CallMachine(id: "c", at: t0)
            let actions = try accept(&m, .dial(remote: "2001", number: extensionNumber, clickToDial: Fixtures.contact().ref))
            #expect(actions == [.phone(.dial("2001"))])
            #expect(m.match == .skippedInternal)
            #expect(m.association.clickToDial == nil)
        }

        @Test func internalCallsRefuseInteractions() throws {
            var m = CallMachine(id: "c", at: t0)
            try accept(&m, .incoming(line: line, remote: "2001", number: extensionNumber))
            let before = m
            #expect(throws: CallMachine.Rejection.self) { try m.handle(.interact(.navigated(Fixtures.contact().ref)), at: t0).get() }
            #expect(throws: CallMachine.Rejection.self) { try m.handle(.relate(Fixtures.caseRef()), at: t0).get() }
            #expect(m == before)
        }

        @Test func unparseableNumberIsNotLookedUp() throws {
            var m = CallMachine(id: "c", at: t0)
            #expect(try accept(&m, .incoming(line: line, remote: "anonymous", number: nil)) == [])
            #expect(m.state == .ringing)
            guard case .failed = m.match else {
                Issue.record("match should be failed, is \(m.match)")
                return
            }
            #expect(!m.isInternal)
        }

        @Test func lookupResultsAreRecorded() throws {
            var m = try makeRinging()
            let fredRecord = Fixtures.contact()
            try accept(&m, .lookupFinished(Fixtures.lookup(fredRecord), settings: MatchSettings()))
            #expect(m.match == .finished(.pop(fredRecord), .live))
            #expect(m.association.decision == .pop(fredRecord))

            var failing = try makeRinging()
            #expect(try accept(&failing, .lookupFailed("timed out")) == [.notify("Lookup failed: timed out")])
            #expect(failing.match == .failed("timed out"))
            #expect(failing.association.decision == nil)
        }

        @Test func lookupMayAnswerAfterTheCallEnded() throws {
            var m = try makeRinging()
            try accept(&m, .closed(.remoteHangUp), at: at(2))
            try accept(&m, .lookupFinished(Fixtures.lookup(Fixtures.lead()), settings: MatchSettings()), at: at(3))
            #expect(m.association.decision == .pop(Fixtures.lead()))
        }

        @Test func interactionsAreKeptInOrderAndRelateReplaces() throws {
            var m = try makeConnected()
            let a = Fixtures.contact().ref
            let b = Fixtures.account().ref
            try accept(&m, .interact(.popped(a)))
            try accept(&m, .interact(.navigated(b)))
            #expect(m.association.interactions == [.popped(a), .navigated(b)])
            try accept(&m, .relate(Fixtures.caseRef()))
            try accept(&m, .relate(Fixtures.opportunityRef()))
            #expect(m.association.relatedTo == Fixtures.opportunityRef())
            try accept(&m, .relate(nil))
            #expect(m.association.relatedTo == nil)
        }

        /// Issue 15: a Lead call can't be related to anything, whichever way the Lead became the record.
        @Test func aLeadCallCanNeverBeRelatedToAnything() throws {
            var m = try makeConnected()
            try accept(&m, .interact(.popped(Fixtures.contact().ref)))
            try accept(&m, .relate(Fixtures.caseRef()))
            // Choosing the Lead afterwards clears the Related-to, and says so.
            let actions = try m.handle(.interact(.selected(Fixtures.lead().ref)), at: t0).get()
            #expect(m.association.relatedTo == nil)
            #expect(actions.contains { if case .notify(let text) = $0 { text.contains("Lead") } else { false } })
            let resolved = m.resolvedAssociation
            #expect(resolved.who == Fixtures.lead().ref && resolved.what == nil && resolved.note == nil, "nothing dropped silently")
            // Relating now is refused by the machine itself (not only by the console's rules).
            #expect(throws: CallMachine.Rejection.self) { try m.handle(.relate(Fixtures.opportunityRef()), at: t0).get() }
            #expect(m.association.relatedTo == nil)
            try accept(&m, .relate(nil))  // clearing is always allowed
        }

        @Test func agentMayStillChooseDuringWrapUp() throws {
            var m = try makeConnected()
            try accept(&m, .closed(.remoteHangUp), at: at(10))
            try accept(&m, .interact(.selected(Fixtures.lead().ref)), at: at(11))
            try accept(&m, .recordSaved, at: at(12))
            try accept(&m, .interact(.navigated(Fixtures.contact().ref)), at: at(13))
            #expect(m.association.interactions.count == 2)
        }
    }
}

// MARK: - Time bookkeeping

extension CallMachineTests {
    @Suite("time bookkeeping")
    struct Time {
        @Test func startedAtIsTheFirstEventTime() throws {
            let m = try makeRinging(at: at(7))
            #expect(m.startedAt == at(7))
            #expect(m.answeredAt == nil)
            #expect(m.endedAt == nil)
        }

        @Test func holdSecondsAccumulateOverSeveralHolds() throws {
            var m = try makeRinging()
            try accept(&m, .established, at: at(10))
            try accept(&m, .held, at: at(20))
            try accept(&m, .resumed, at: at(30))  // 10 s
            try accept(&m, .held, at: at(50))
            #expect(m.totalHoldSeconds(at: at(55)) == 15)  // running hold counts
            try accept(&m, .resumed, at: at(75))  // 25 s
            try accept(&m, .held, at: at(90))
            try accept(&m, .resumed, at: at(91.5))  // 1.5 s
            #expect(m.holdSeconds == 36.5)
            #expect(m.totalHoldSeconds(at: at(200)) == 36)
            try accept(&m, .closed(.remoteHangUp), at: at(110))
            #expect(m.durationSeconds(at: at(999)) == 100)  // 10 → 110 with the holds included
            #expect(m.totalHoldSeconds(at: at(999)) == 36)
        }

        @Test func hangingUpWhileHeldClosesTheHold() throws {
            var m = try makeRinging()
            try accept(&m, .established, at: at(10))
            try accept(&m, .held, at: at(20))
            try accept(&m, .closed(.remoteHangUp), at: at(50))
            #expect(m.heldSince == nil)
            #expect(m.totalHoldSeconds(at: at(999)) == 30)
            #expect(m.durationSeconds(at: at(999)) == 40)
        }

        @Test func durationRunsWhileLiveAndStopsAtEnd() throws {
            var m = try makeRinging()
            try accept(&m, .established, at: at(3))
            #expect(m.durationSeconds(at: at(3)) == 0)
            #expect(m.durationSeconds(at: at(63.9)) == 60)
            try accept(&m, .closed(.localHangUp), at: at(70))
            #expect(m.durationSeconds(at: at(500)) == 67)
        }

        @Test func unansweredCallHasZeroDuration() throws {
            var m = try makeRinging()
            try accept(&m, .closed(.remoteHangUp), at: at(25))
            #expect(m.answeredAt == nil)
            #expect(m.endedAt == at(25))
            #expect(m.durationSeconds(at: at(500)) == 0)
            #expect(m.totalHoldSeconds(at: at(500)) == 0)
        }

        @Test func answerCommandDoesNotStartTheClock() throws {
            var m = try makeRinging()
            try accept(&m, .answer, at: at(2))
            #expect(m.durationSeconds(at: at(30)) == 0)
            try accept(&m, .established, at: at(4))
            #expect(m.durationSeconds(at: at(30)) == 26)
        }
    }
}

// MARK: - Exhaustive event × state table

/// Every state a call can be in, including the sub-cases that change which events are valid.
enum MachineState: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case idle, ringing, dialingWithoutLine, dialing, remoteRinging, connected, held
    case transferring, transferringFromHold, transferringHeldByPhone, ended, wrapUp, done

    var testDescription: String { rawValue }

    func make() throws -> CallMachine {
        var m = CallMachine(id: "call-1", at: t0)
        let dial = CallMachine.Event.dial(remote: Fixtures.fredE164, number: fred, clickToDial: nil)
        switch self {
        case .idle: return m
        case .ringing: return try makeRinging()
        case .dialingWithoutLine:
            try accept(&m, dial)
        case .dialing:
            try accept(&m, dial)
            try accept(&m, .outgoing(line: line))
        case .remoteRinging:
            try accept(&m, dial)
            try accept(&m, .outgoing(line: line))
            try accept(&m, .remoteRinging)
        case .connected: return try makeConnected()
        case .held:
            m = try makeConnected()
            try accept(&m, .held, at: at(1))
        case .transferring:
            m = try makeConnected()
            try accept(&m, .transfer(to: "2002"), at: at(1))
        case .transferringFromHold:
            m = try makeConnected()
            try accept(&m, .held, at: at(1))
            try accept(&m, .transfer(to: "2002"), at: at(2))
        case .transferringHeldByPhone:
            m = try makeConnected()
            try accept(&m, .transfer(to: "2002"), at: at(1))
            try accept(&m, .held, at: at(2))
        case .ended:
            m = try makeConnected()
            try accept(&m, .closed(.remoteHangUp), at: at(3))
        case .wrapUp:
            m = try makeConnected()
            try accept(&m, .closed(.remoteHangUp), at: at(3))
            try accept(&m, .recordSaved, at: at(4))
        case .done:
            m = try makeConnected()
            try accept(&m, .closed(.remoteHangUp), at: at(3))
            try accept(&m, .recordSaved, at: at(4))
            try accept(&m, .finishWrapUp(disposition: nil, notes: ""), at: at(5))
        }
        return m
    }

    var isOnHold: Bool { self == .held || self == .transferringFromHold || self == .transferringHeldByPhone }
}

enum LiveState: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case ringing, dialingWithoutLine, dialing, remoteRinging, connected, held, transferring, transferringFromHold

    var testDescription: String { rawValue }
    var isTransferring: Bool { self == .transferring || self == .transferringFromHold }
    func make() throws -> CallMachine { try MachineState(rawValue: rawValue)!.make() }
}

/// One sample of every event case.
enum EventKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case incoming, outgoing, remoteRinging, established, held, resumed, transferred, transferFailed, closed
    case dial, answer, hold, resume, transfer, hangUp, interact, relate, finishWrapUp
    case lookupFinished, lookupFailed, recordSaved

    var testDescription: String { rawValue }

    var event: CallMachine.Event {
        switch self {
        case .incoming: .incoming(line: "L7", remote: "020 7946 0000", number: Fixtures.number("020 7946 0000"))
        case .outgoing: .outgoing(line: "L8")
        case .remoteRinging: .remoteRinging
        case .established: .established
        case .held: .held
        case .resumed: .resumed
        case .transferred: .transferred(to: "2002")
        case .transferFailed: .transferFailed(reason: "486 Busy Here")
        case .closed: .closed(.remoteHangUp)
        case .dial: .dial(remote: "+442079460000", number: Fixtures.number("020 7946 0000"), clickToDial: nil)
        case .answer: .answer
        case .hold: .hold
        case .resume: .resume
        case .transfer: .transfer(to: "2003")
        case .hangUp: .hangUp
        case .interact: .interact(.navigated(Fixtures.contact().ref))
        case .relate: .relate(Fixtures.caseRef())
        case .finishWrapUp: .finishWrapUp(disposition: "Resolved", notes: "")
        case .lookupFinished: .lookupFinished(Fixtures.lookup(Fixtures.contact()), settings: MatchSettings())
        case .lookupFailed: .lookupFailed("timed out")
        case .recordSaved: .recordSaved
        }
    }
}

/// The specification: which events each state accepts (written from DESIGN §3 and the seed, not read off the code).
private func accepts(_ state: MachineState, _ event: EventKind) -> Bool {
    // CRM answers may arrive at any time until the record is complete.
    let crm: Set<EventKind> = [.lookupFinished, .lookupFailed]
    // The agent may pop/select/navigate/relate from ringing until the record is complete.
    let choose: Set<EventKind> = [.interact, .relate]
    let own: Set<EventKind>
    switch state {
    case .idle: return Set<EventKind>([.incoming, .dial]).union(crm).contains(event)
    case .done: return false
    case .ringing: own = [.established, .answer, .hangUp, .closed]
    case .dialingWithoutLine: own = [.outgoing, .remoteRinging, .established, .hangUp, .closed]
    case .dialing: own = [.remoteRinging, .established, .hangUp, .closed]
    case .remoteRinging: own = [.established, .hangUp, .closed]
    case .connected: own = [.hold, .held, .transfer, .transferred, .hangUp, .closed]
    case .held: own = [.resume, .resumed, .transfer, .transferred, .hangUp, .closed]
    case .transferring: own = [.held, .transferred, .transferFailed, .hangUp, .closed]
    case .transferringFromHold, .transferringHeldByPhone: own = [.resumed, .transferred, .transferFailed, .hangUp, .closed]
    case .ended: own = [.recordSaved]
    case .wrapUp: own = [.finishWrapUp]
    }
    return own.union(crm).union(choose).contains(event)
}

extension CallMachineTests {
    @Suite("event × state table")
    struct Table {
        @Test(arguments: MachineState.allCases, EventKind.allCases)
        func everyEventInEveryState(state: MachineState, event: EventKind) throws {
            var machine = try state.make()
            let before = machine
            let result = machine.handle(event.event, at: at(60))
            switch (result, accepts(state, event)) {
            case (.success, true):
                break
            case (.failure(let rejection), false):
                #expect(!rejection.message.isEmpty)
                #expect(rejection.description == rejection.message)
                #expect(machine == before, "a rejected event must not change the call")
            case (.success(let actions), false):
                Issue.record("\(event) should be rejected in \(state) but was accepted with \(actions); now \(machine.state)")
            case (.failure(let rejection), true):
                Issue.record("\(event) should be accepted in \(state) but was rejected: \(rejection.message)")
            }
        }

        @Test(arguments: MachineState.allCases)
        func everyStateIsReachable(state: MachineState) throws {
            let m = try state.make()
            let expected: CallMachine.State = switch state {
            case .idle: .idle
            case .ringing: .ringing
            case .dialingWithoutLine, .dialing: .dialing
            case .remoteRinging: .remoteRinging
            case .connected: .connected
            case .held: .held
            case .transferring, .transferringFromHold, .transferringHeldByPhone: .transferring(to: "2002")
            case .ended: .ended
            case .wrapUp: .wrapUp
            case .done: .done
            }
            #expect(m.state == expected)
            #expect((m.heldSince != nil) == state.isOnHold)
        }

        @Test func rejectionMessagesNameTheState() throws {
            var m = try MachineState.done.make()
            guard case .failure(let rejection) = m.handle(.hold, at: t0) else {
                Issue.record("hold accepted after done")
                return
            }
            #expect(rejection.message.contains("done"))
        }

        @Test func stateLabelsAreDistinct() {
            let states: [CallMachine.State] = [.idle, .ringing, .dialing, .remoteRinging, .connected, .held,
                                               .transferring(to: "2002"), .ended, .wrapUp, .done]
            #expect(Set(states.map(\.label)).count == states.count)
            #expect(CallMachine.State.transferring(to: "2002").label.contains("2002"))
        }
    }
}
