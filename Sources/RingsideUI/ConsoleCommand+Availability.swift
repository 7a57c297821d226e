import RingsideCore

extension ConsoleCommand {
    /// Why the command does nothing right now, or nil when it applies. Buttons and help entries of
    /// unavailable commands are dimmed; pressing their key shows this reason. Commands that act on calls
    /// ask the session (`AgentSession.refusal`), the same rules it enforces.
    public func unavailableReason(_ snapshot: ConsoleSnapshot, _ state: ConsoleState) -> String? {
        let session = snapshot.session
        if let probe = agentCommand(session) {
            return session.refusal(for: probe, seen: session.focus, checkingArguments: false)
        }
        let call = session.focusedCall
        switch self {
        case .search:
            guard let call else { return "No call to search for" }
            if case .finished(.search, _) = call.match, call.state != .done { return nil }
            return "Search is offered only for several matches (\(call.matchSummary))"
        case .demoRandom, .demoSingle, .demoMultiple, .demoNoMatch, .demoInternal, .demoJapanese, .demoHostile:
            return snapshot.isDemo ? nil : "Simulated calls exist only in ringside demo"
        case .answer, .holdResume, .transfer, .hangUp, .dial, .pop, .new, .relatedTo, .quickFind, .notes, .nextCall,
             .toggleReady, .filter, .nextPane, .previousPane, .focusCall, .focusNumbers, .focusHistory, .moveUp,
             .moveDown, .pageUp, .pageDown, .moveFirst, .moveLast, .activate, .back, .help, .redraw, .quit,
             .openRecord, .copyNumber, .copyLink, .toggleMouse:
            return nil
        }
    }

    /// The session command this key stands for (arguments not yet typed are left blank), or nil for keys
    /// that only move around the console.
    public func agentCommand(_ session: AgentSession) -> AgentCommand? {
        let anyRecord = EntityRef(type: .caseRecord, id: "", name: "")
        switch self {
        case .answer: return .answer
        case .holdResume: return session.holdOrResume(seen: session.focus)
        case .transfer: return .transfer(to: "")
        case .hangUp: return .hangUp
        case .dial: return .dial("", clickToDial: nil)
        case .pop: return .pop
        case .new: return .requestNew
        case .relatedTo: return .relate(anyRecord)
        case .notes: return .editWrapUp(disposition: nil, notes: "")
        case .nextCall: return .focusNext
        case .quickFind:
            // Searching needs no call; picking a record for a call is checked when it is picked.
            return nil
        case .search, .toggleReady, .filter, .nextPane, .previousPane, .focusCall, .focusNumbers, .focusHistory,
             .moveUp, .moveDown, .pageUp, .pageDown, .moveFirst, .moveLast, .activate, .back, .help, .redraw, .quit,
             .openRecord, .copyNumber, .copyLink, .toggleMouse,
             .demoRandom, .demoSingle, .demoMultiple, .demoNoMatch, .demoInternal, .demoJapanese, .demoHostile:
            return nil
        }
    }
}
