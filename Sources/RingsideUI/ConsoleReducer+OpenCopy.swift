import Foundation
import RingsideCore

/// `o` open the record, `y` copy the number, `Y` copy the link, `m` mouse capture on/off.
extension ConsoleReducer {
    /// The record and number the agent is looking at: the highlighted history row or number-list entry
    /// when a list has the focus, else the call on screen.
    func currentItem(_ state: ConsoleState, _ snapshot: ConsoleSnapshot) -> (entity: EntityRef?, number: String?)? {
        switch state.focus {
        case .history:
            guard snapshot.history.indices.contains(state.historySelection) else { return nil }
            let record = snapshot.history[state.historySelection]
            return (record.who ?? record.what, record.e164 ?? (record.remote.isEmpty ? nil : record.remote))
        case .numbers, .dial:
            guard let entry = state.numbers.entryIfPresent(at: state.numberSelection) else { return nil }
            return (entry.entity, entry.raw)
        case .call:
            guard let call = snapshot.session.focusedCall else { return nil }
            var entity = call.chosenEntity ?? call.resolvedAssociation.primary
            if entity == nil, case .finished(.pop(let record), _) = call.match { entity = record.ref }
            return (entity, call.number?.e164 ?? (call.remote.isEmpty ? nil : call.remote))
        }
    }

    func openOrCopy(_ command: ConsoleCommand, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        func say(_ text: String, _ level: Banner.Level = .info) -> [ConsoleRequest] {
            state.message = ConsoleMessage(level: level, text: text, at: now)
            return []
        }
        if command == .toggleMouse {
            state.mouseCaptured.toggle()
            state.message = ConsoleMessage(level: .info, text: state.mouseCaptured
                ? "Mouse capture on: buttons and rows are clickable (m to select text instead)"
                : "Mouse capture off: select text with the mouse (m to click buttons again)", at: now)
            return [.setMouse(state.mouseCaptured)]
        }
        let item = currentItem(state, snapshot)
        if command == .copyNumber {
            guard let number = item?.number else { return say("No number here to copy: pick a call, a number or a history row") }
            state.message = ConsoleMessage(level: .info, text: "Copied \(TextSanitizer.clean(number)) (if nothing was copied, your terminal ignores OSC 52)", at: now)
            return [.copy(number)]
        }
        guard let base = snapshot.recordLinkBase else {
            return say("Local directory records have no web page: o and Y open and copy Salesforce links (crm.kind = \"salesforce\")")
        }
        guard let entity = item?.entity else { return say("No record here: pop or choose the caller's record first") }
        guard let link = RecordLink.lightning(base: base, entity) else {
            return say("\(TextSanitizer.clean(entity.name)) has no Salesforce link (id \(TextSanitizer.clean(entity.id)))", .warning)
        }
        switch command {
        case .copyLink:
            state.message = ConsoleMessage(level: .info, text: "Copied the link to \(TextSanitizer.clean(entity.name))", at: now)
            return [.copy(link)]
        case .openRecord:
            state.message = ConsoleMessage(level: .info, text: "Opening \(TextSanitizer.clean(entity.name)) in the browser", at: now)
            return [.open(link)]
        case .answer, .holdResume, .transfer, .hangUp, .dial, .toggleReady, .pop, .search, .new, .relatedTo, .quickFind, .nextCall,
             .filter, .notes, .nextPane, .previousPane, .focusCall, .focusNumbers, .focusHistory, .moveUp, .moveDown, .pageUp,
             .pageDown, .moveFirst, .moveLast, .activate, .back, .help, .redraw, .quit, .copyNumber, .toggleMouse,
             .demoRandom, .demoSingle, .demoMultiple, .demoNoMatch, .demoInternal, .demoJapanese, .demoHostile:
            return []
        }
    }
}
