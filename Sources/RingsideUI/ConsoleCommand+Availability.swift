import RingsideCore

extension ConsoleCommand {
    /// Why the command does nothing right now, or nil when it applies. Buttons and help entries of
    /// unavailable commands are dimmed; pressing their key shows this reason.
    public func unavailableReason(_ snapshot: ConsoleSnapshot, _ state: ConsoleState) -> String? {
        let session = snapshot.session
        let call = session.focusedCall
        switch self {
        case .answer:
            return session.calls.contains { $0.state == .ringing } ? nil : "Nothing to answer: no call is ringing"
        case .holdResume:
            guard let call else { return "No call to hold" }
            switch call.state {
            case .connected, .held: return nil
            case .idle, .ringing, .dialing, .remoteRinging, .transferring, .ended, .wrapUp, .done:
                return "Can't hold or resume: the call is \(call.state.label)"
            }
        case .transfer:
            guard let call else { return "No call to transfer" }
            switch call.state {
            case .connected, .held: return nil
            case .idle, .ringing, .dialing, .remoteRinging, .transferring, .ended, .wrapUp, .done:
                return "Can't transfer: the call is \(call.state.label)"
            }
        case .hangUp:
            guard let call else { return "No call to hang up" }
            return call.isLive ? nil : "Nothing to hang up: the call is \(call.state.label)"
        case .dial:
            if let busy = session.calls.first(where: { $0.isLive && $0.state != .held }) {
                return "Can't dial while a call is \(busy.state.label); hold or hang up first"
            }
            return nil
        case .toggleReady, .filter, .nextPane, .previousPane, .focusCall, .focusNumbers, .focusHistory, .moveUp,
             .moveDown, .pageUp, .pageDown, .activate, .back, .help, .redraw, .quit:
            return nil
        case .relatedTo:
            guard let call, call.state != .done, call.state != .idle else { return "No call to relate" }
            if call.isInternal { return "Internal calls are never associated with a record" }
            guard let primary = call.resolvedAssociation.primary else {
                return "Pop, pick or create the caller's record first; its account's open work is offered"
            }
            if primary.type == .lead {
                return "A call logged against a Lead can't have a Related-to (Salesforce rejects a WhatId with a Lead)"
            }
            return nil
        case .quickFind:
            guard let call, call.state != .done, call.state != .idle else { return "Quick find associates a call: there is none" }
            return call.isInternal ? "Internal calls are never associated with a record" : nil
        case .pop:
            guard let call else { return "No call to pop a record for" }
            if case .finished(.pop, _) = call.match, call.state != .done { return nil }
            return "Pop needs exactly one match (\(call.matchSummary))"
        case .search:
            guard let call else { return "No call to search for" }
            if case .finished(.search, _) = call.match, call.state != .done { return nil }
            return "Search is offered only for several matches (\(call.matchSummary))"
        case .new:
            guard let call else { return "No call to create a record for" }
            if call.isInternal { return "Internal calls are never associated with a record" }
            if case .finished(.new, _) = call.match, call.state != .done {
                return call.createdEntity == nil ? nil : "A record was already created for this call"
            }
            return "New is offered only when the number has no match (\(call.matchSummary))"
        case .nextCall:
            return session.calls.count > 1 ? nil : "There is no other call"
        case .notes:
            return call?.state == .wrapUp ? nil : "Notes are written in wrap-up, after the call"
        case .demoRandom, .demoSingle, .demoMultiple, .demoNoMatch, .demoInternal, .demoJapanese, .demoHostile:
            return snapshot.isDemo ? nil : "Simulated calls exist only in ringside demo"
        }
    }
}

extension CallMachine {
    /// "1 match", "3 matches", "no match", "looking up…" for messages and the call panel.
    public var matchSummary: String {
        switch match {
        case .notStarted: "not looked up"
        case .skippedInternal: "internal number, not looked up"
        case .searching: "looking up…"
        case .failed(let why): "lookup failed: \(why)"
        case .finished(.pop, _): "1 match"
        case .finished(.search(let records), _): "\(records.count) matches"
        case .finished(.new, _): "no match"
        }
    }

    /// The record created with New during this call, if any.
    public var createdEntity: EntityRef? {
        for interaction in association.interactions.reversed() {
            if case .created(let ref) = interaction { return ref }
        }
        return nil
    }

    /// The entity the agent popped, chose, navigated to or created (last one wins).
    public var chosenEntity: EntityRef? { association.interactions.last?.entity }

    /// Search candidates newest first, as the pick list shows them.
    public var searchCandidates: [CRMRecord] {
        guard case .finished(.search(let records), _) = match else { return [] }
        return records.sorted { a, b in
            a.lastModified != b.lastModified ? a.lastModified > b.lastModified : a.id < b.id
        }
    }
}
