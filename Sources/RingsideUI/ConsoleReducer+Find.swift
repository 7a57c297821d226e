import Foundation
import RingsideCore

/// Keys of the "Related to" picker and the quick-find box.
extension ConsoleReducer {
    func handleFinderKey(_ key: Key, _ finder: Finder, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        var finder = finder
        if finder.purpose == .quickFind, let edit = LineEditor.edit(for: key) {
            finder.editor.apply(edit)
            state.modal = .find(finder)
            return []
        }
        switch key {
        case .escape:
            state.modal = nil
            return []
        case .up:
            finder.selection = max(0, finder.selection - 1)
        case .down:
            finder.selection = min(max(0, finder.results.count - 1), finder.selection + 1)
        case .enter:
            return enterInFinder(finder, &state, snapshot, now)
        case .char(let c) where finder.purpose == .quickFind:
            guard !c.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return [] }
            finder.editor.apply(.insert(String(c)))
        case .char("k"):
            finder.selection = max(0, finder.selection - 1)
        case .char("j"):
            finder.selection = min(max(0, finder.results.count - 1), finder.selection + 1)
        case .char, .tab, .backTab, .left, .right, .home, .end, .pageUp, .pageDown, .function, .ctrl, .alt, .wordLeft, .wordRight,
             .backspace, .delete:
            return []
        }
        state.modal = .find(finder)
        return []
    }

    /// Enter searches when the text changed since the last search, otherwise picks the highlighted record:
    /// a Case/Opportunity becomes "Related to" (WhatId); a person or company becomes the call's entity.
    private func enterInFinder(_ finder: Finder, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        var finder = finder
        let text = finder.text.trimmingCharacters(in: .whitespaces)
        if finder.purpose == .quickFind, text != finder.query || finder.results.isEmpty {
            guard text.count >= 2 else {
                state.message = ConsoleMessage(level: .warning, text: "Type at least 2 characters to search", at: now)
                return []
            }
            finder.searching = true
            finder.query = text
            state.modal = .find(finder)
            return [.quickFind(text)]
        }
        guard finder.results.indices.contains(finder.selection) else {
            state.modal = nil
            return []
        }
        let record = finder.results[finder.selection]
        state.modal = nil
        let call = snapshot.session.focusedCall
        if finder.purpose == .quickFind, call == nil || call?.state == .done {
            // Without a call, quick find only finds: there is nothing to log the record against.
            let phone = record.phones.first.map { " · \($0.raw)" } ?? ""
            state.message = ConsoleMessage(level: .info, text: "\(TextSanitizer.clean(record.name)) (\(record.type.rawValue))\(TextSanitizer.clean(phone)) · no call to log it against", at: now)
            return []
        }
        switch record.type {
        case .caseRecord, .opportunity:
            state.message = ConsoleMessage(level: .info, text: "Related to \(record.type.rawValue) \(TextSanitizer.clean(record.name))", at: now)
            return [.agent(.relate(record.ref))]
        case .contact, .account, .lead:
            if finder.purpose == .relatedTo {
                return [.agent(.relate(record.ref))]
            }
            state.message = ConsoleMessage(level: .info, text: "The call will be logged against \(TextSanitizer.clean(record.name))", at: now)
            return [.agent(.navigate(record.ref))]
        }
    }

    func receiveFound(_ records: [CRMRecord], purpose: Finder.Purpose, query: String?, _ state: inout ConsoleState) {
        guard case .find(var finder) = state.modal, finder.purpose == purpose else { return }
        if let query, query != finder.query { return }
        finder.results = records
        finder.searching = false
        finder.selection = 0
        state.modal = .find(finder)
    }
}
