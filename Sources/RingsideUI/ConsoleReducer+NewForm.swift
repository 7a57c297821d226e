import Foundation
import RingsideCore

/// The New form's part of the console reducer (issue 15): open on the New key, keys and paste while open,
/// closed when its call can no longer get a record.
extension ConsoleReducer {
    /// Opens the form for the call on screen (the New command's availability was checked by `run`).
    func openNewForm(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot) -> [ConsoleRequest] {
        let session = snapshot.session
        guard let call = session.focusedCall else { return [] }
        let number = call.number.map { $0.formatted(relativeTo: session.settings.homeRegion) } ?? call.remote
        state.newForm = NewRecordForm(call: call.id, choices: call.newChoices(session.settings.match), number: number)
        return []
    }

    func handleNewFormKey(_ key: Key, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        guard var form = state.newForm else { return [] }
        let (command, open) = form.handle(key)
        state.newForm = open ? form : nil
        if key == .enter, open {
            state.message = ConsoleMessage(level: .warning, text: "Type a \(form.label.lowercased()) for the new \(form.entity.rawValue)", at: now)
        }
        guard let command else { return [] }
        // The record is for the call the form was opened on; if the screen moved to another call, say so.
        guard snapshot.session.focus == form.call else {
            state.message = ConsoleMessage(level: .warning, text: "The screen changed to another call; nothing was created", at: now)
            return []
        }
        return [.agent(command)]
    }

    func pasteIntoNewForm(_ text: String, _ state: inout ConsoleState) {
        state.newForm?.type(String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""))
    }

    /// Closes the form when its call ended its chance of a record (gone, matched meanwhile, or created).
    func reconcileNewForm(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot) {
        guard let form = state.newForm else { return }
        if snapshot.session.refusal(for: .requestNew, seen: form.call) != nil { state.newForm = nil }
    }
}
