import Foundation
import RingsideCore

/// The console's update function: (event, UI state, snapshot) → new UI state + requests for the loop.
/// Pure: no I/O, the clock is passed in.
public struct ConsoleReducer: Sendable {
    public var keyTable: KeyTable

    public init(keyTable: KeyTable = .standard) {
        self.keyTable = keyTable
    }

    /// Characters accepted by the dial field and transfer prompt (besides digits).
    public static let phonePunctuation: Set<Character> = [" ", "+", "-", "(", ")", ".", "/", "*", "#"]
    /// Rows a page-up/down moves.
    public static let pageSize = 5

    public func reduce(_ event: ConsoleEvent, state: inout ConsoleState, snapshot: ConsoleSnapshot, now: Date) -> [ConsoleRequest] {
        reconcile(&state, snapshot)
        switch snapshot.session.availability {
        case .ready: state.notReadySince = nil
        case .notReady: if state.notReadySince == nil { state.notReadySince = now }
        }
        switch event {
        case .key(let key):
            return handleKey(key, &state, snapshot, now)
        case .click(let target):
            return handleClick(target, &state, snapshot, now, double: false)
        case .doubleClick(let target):
            return handleClick(target, &state, snapshot, now, double: true)
        case .clickNothing:
            return []
        case .paste(let text):
            return paste(text, &state, snapshot, now)
        case .scroll(let delta):
            if state.modal != nil { return handleKey(delta < 0 ? .up : .down, &state, snapshot, now) }
            return move(by: delta < 0 ? -1 : 1, &state, snapshot)
        case .resize, .tick, .changed:
            return []
        case .numbers(let data):
            state.numbers.setData(data)
            state.numbers.setFilter(state.filterText)
            state.numberSelection = clamp(state.numberSelection, state.numbers.count)
            return []
        case .related(_, let records):
            receiveFound(records, purpose: .relatedTo, query: nil, &state)
            return []
        case .found(let query, let records):
            receiveFound(records, purpose: .quickFind, query: query, &state)
            return []
        }
    }

    // MARK: Reconciling with the snapshot

    /// Keeps UI state consistent with the session: new calls take the focus, the wrap-up form
    /// resets for a new call, selections stay in range.
    public func reconcile(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot) {
        let session = snapshot.session
        let ids = session.calls.map(\.id)
        let fresh = ids.filter { !state.knownCalls.contains($0) }
        // A new call never pulls the agent out of a text field or a dialog.
        if !fresh.isEmpty, state.editing == nil, state.modal == nil {
            state.focus = .call
            state.searchSelection = 0
        }
        state.knownCalls = ids
        if let call = session.focusedCall {
            if state.notesCall != call.id {
                // The notes and disposition on screen are the focused call's drafts.
                state.notesCall = call.id
                state.notes = call.notes
                state.dispositionIndex = call.disposition.flatMap { session.settings.dispositions.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
                if state.editing == .notes { state.editing = nil }
            }
            if call.state == .wrapUp, state.wrapUpCall != call.id {
                state.wrapUpCall = call.id
                if state.editing == nil && state.modal == nil { state.focus = .call }
            }
        } else {
            state.notesCall = nil
            if state.editing == .notes { state.editing = nil }
        }
        if case .transfer = state.modal, ConsoleCommand.transfer.unavailableReason(snapshot, state) != nil {
            state.modal = nil
        }
        state.searchSelection = clamp(state.searchSelection, session.focusedCall?.searchCandidates.count ?? 0)
        state.historySelection = clamp(state.historySelection, state.historyRecords(snapshot).count)
        reconcileNewForm(&state, snapshot)
        state.dispositionIndex = clamp(state.dispositionIndex, session.settings.dispositions.count + 1)
    }

    // MARK: Keys

    private func handleKey(_ key: Key, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        if state.newForm != nil { return handleNewFormKey(key, &state, snapshot, now) }
        if let modal = state.modal {
            return handleModalKey(key, modal, &state, snapshot, now)
        }
        if let field = state.editing {
            return handleTextKey(key, field, &state, snapshot, now)
        }
        guard let command = keyTable.command(for: key) else {
            state.message = ConsoleMessage(level: .info, text: "Key \(key) does nothing here; press ? for help", at: now)
            return []
        }
        return run(command, &state, snapshot, now)
    }

    /// Runs a command after checking it applies; an inapplicable command shows its reason.
    public func run(_ command: ConsoleCommand, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        if let reason = command.unavailableReason(snapshot, state) {
            state.message = ConsoleMessage(level: .warning, text: reason, at: now)
            return []
        }
        state.message = nil
        let session = snapshot.session
        switch command {
        case .answer:
            return [.agent(.answer)]
        case .holdResume:
            return [.agent(session.holdOrResume(seen: session.focus))]
        case .transfer:
            state.modal = .transfer(TransferPrompt())
            return []
        case .hangUp:
            return [.agent(.hangUp)]
        case .dial:
            state.focus = .dial
            state.editing = .dial
            return []
        case .toggleReady:
            switch session.availability {
            case .ready:
                state.modal = .notReadyPicker(selection: 0)
                return []
            case .notReady:
                return [.agent(.setAvailability(.ready))]
            }
        case .pop:
            state.focus = .call
            return [.agent(.pop)]
        case .search:
            state.focus = .call
            state.message = ConsoleMessage(level: .info, text: "↑/↓ to choose a match, Enter to associate it", at: now)
            return []
        case .new:
            state.focus = .call
            return openNewForm(&state, snapshot)
        case .relatedTo:
            guard let primary = session.focusedCall?.resolvedAssociation.primary else { return [] }
            state.modal = .find(Finder(purpose: .relatedTo, searching: true))
            return [.loadRelated(primary)]
        case .quickFind:
            state.modal = .find(Finder(purpose: .quickFind))
            return []
        case .nextCall:
            state.focus = .call
            return [.agent(.focusNext)]
        case .filter:
            if state.focus == .history {
                state.editing = .historyFilter
                state.message = ConsoleMessage(level: .info, text: "Filter calls by name, number, disposition or notes · Enter done · Esc clears", at: now)
                return []
            }
            state.focus = .numbers
            state.lowerPane = .numbers
            state.editing = .filter
            return []
        case .notes:
            state.focus = .call
            state.editing = .notes
            return []
        case .nextPane, .previousPane:
            let panes = Pane.allCases
            let index = panes.firstIndex(of: state.focus) ?? 0
            let step = command == .nextPane ? 1 : panes.count - 1
            focus(panes[(index + step) % panes.count], &state)
            return []
        case .focusCall:
            focus(.call, &state)
            return []
        case .focusNumbers:
            focus(.numbers, &state)
            return []
        case .focusHistory:
            focus(.history, &state)
            return []
        case .moveUp:
            return move(by: -1, &state, snapshot)
        case .moveDown:
            return move(by: 1, &state, snapshot)
        case .pageUp:
            return move(by: -Self.pageSize, &state, snapshot)
        case .pageDown:
            return move(by: Self.pageSize, &state, snapshot)
        case .moveFirst:
            return move(by: Int.min / 2, &state, snapshot)
        case .moveLast:
            return move(by: Int.max / 2, &state, snapshot)
        case .activate:
            return activate(&state, snapshot, now)
        case .back:
            return back(&state, snapshot)
        case .help:
            state.modal = .help(offset: 0)
            return []
        case .redraw:
            return [.redraw]
        case .quit:
            if session.calls.contains(where: { $0.isLive || $0.state == .wrapUp || $0.state == .ended }) {
                state.modal = .quitConfirm
                return []
            }
            state.quitting = true
            return [.quit]
        case .openRecord, .copyNumber, .copyLink, .toggleMouse:
            return openOrCopy(command, &state, snapshot, now)
        case .demoRandom, .demoSingle, .demoMultiple, .demoNoMatch, .demoInternal, .demoJapanese, .demoHostile:
            guard let scenario = command.demoScenario else { return [] }
            return [.simulate(scenario)]
        }
    }

    private func focus(_ pane: Pane, _ state: inout ConsoleState) {
        state.focus = pane
        state.editing = pane == .dial ? .dial : nil
        if pane == .numbers || pane == .history { state.lowerPane = pane }
    }

    /// Moves the selection of the focused pane; a new disposition is sent as a draft.
    private func move(by delta: Int, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot) -> [ConsoleRequest] {
        switch state.focus {
        case .call:
            guard let call = snapshot.session.focusedCall else { return [] }
            if call.state == .wrapUp {
                let before = state.dispositionIndex
                state.dispositionIndex = clamp(state.dispositionIndex + delta, snapshot.session.settings.dispositions.count + 1)
                return before == state.dispositionIndex ? [] : draft(state, snapshot)
            }
            state.searchSelection = clamp(state.searchSelection + delta, call.searchCandidates.count)
        case .dial, .numbers:
            state.numberSelection = clamp(state.numberSelection + delta, state.numbers.count)
        case .history:
            state.historySelection = clamp(state.historySelection + delta, state.historyRecords(snapshot).count)
        }
        return []
    }

    private func activate(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        let session = snapshot.session
        switch state.focus {
        case .call:
            guard let call = session.focusedCall else {
                state.message = ConsoleMessage(level: .info, text: "No call: press d to dial or pick a number from the list", at: now)
                return []
            }
            if call.state == .wrapUp { return saveWrapUp(&state, snapshot) }
            switch call.match {
            case .finished(.search, _):
                let candidates = call.searchCandidates
                guard candidates.indices.contains(state.searchSelection) else { return [] }
                return [.agent(.select(candidates[state.searchSelection].ref))]
            case .finished(.pop, _):
                return run(.pop, &state, snapshot, now)
            case .finished(.new, _):
                return run(.new, &state, snapshot, now)
            case .notStarted, .skippedInternal, .searching, .failed:
                state.message = ConsoleMessage(level: .info, text: "Nothing to choose: \(call.matchSummary)", at: now)
                return []
            }
        case .dial:
            state.editing = .dial
            return []
        case .numbers:
            return dialSelected(&state, snapshot, now)
        case .history:
            guard state.historyRecords(snapshot).indices.contains(state.historySelection) else {
                state.message = ConsoleMessage(level: .info, text: "No calls in history yet", at: now)
                return []
            }
            state.modal = .historyDetail(index: state.historySelection)
            return []
        }
    }

    private func dialSelected(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        guard let entry = state.numbers.entryIfPresent(at: state.numberSelection) else {
            state.message = ConsoleMessage(level: .info, text: "The number list is empty", at: now)
            return []
        }
        if let reason = ConsoleCommand.dial.unavailableReason(snapshot, state) {
            state.message = ConsoleMessage(level: .warning, text: reason, at: now)
            return []
        }
        state.focus = .call
        state.editing = nil
        return [.agent(.dial(entry.raw, clickToDial: entry.entity))]
    }

    private func back(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot) -> [ConsoleRequest] {
        if state.focus == .call, snapshot.session.focusedCall?.state == .wrapUp {
            // Esc saves without a disposition; the notes typed so far are kept.
            return [.agent(.finishWrapUp(disposition: nil, notes: Self.cleanNotes(state.notes)))]
        }
        if state.message != nil {
            state.message = nil
            return []
        }
        if snapshot.session.banner != nil { return [.agent(.dismissBanner)] }
        return []
    }

    private func saveWrapUp(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot) -> [ConsoleRequest] {
        let dispositions = snapshot.session.settings.dispositions
        let disposition = state.dispositionIndex > 0 && state.dispositionIndex <= dispositions.count
            ? dispositions[state.dispositionIndex - 1] : nil
        state.editing = nil
        return [.agent(.finishWrapUp(disposition: disposition, notes: Self.cleanNotes(state.notes)))]
    }

    /// Notes as saved: surrounding blank space and blank lines trimmed, inner newlines kept.
    static func cleanNotes(_ notes: String) -> String {
        notes.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The draft of the form on screen, sent to the session on every change (journalled; pauses the countdown).
    private func draft(_ state: ConsoleState, _ snapshot: ConsoleSnapshot) -> [ConsoleRequest] {
        guard let call = snapshot.session.focusedCall, call.state != .done, call.state != .idle, state.notesCall == call.id else { return [] }
        let dispositions = snapshot.session.settings.dispositions
        let disposition = state.dispositionIndex > 0 && state.dispositionIndex <= dispositions.count ? dispositions[state.dispositionIndex - 1] : nil
        return [.agent(.editWrapUp(disposition: disposition, notes: state.notes))]
    }

    // MARK: Text fields

    private func handleTextKey(_ key: Key, _ field: TextField, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        if let edit = LineEditor.edit(for: key) {
            return apply(edit, to: field, &state, snapshot)
        }
        switch key {
        case .char(let c):
            return type(c, into: field, &state, snapshot, now)
        case .alt("\n") where field == .notes:
            // Alt-Enter starts a new line in the notes.
            return apply(.insert("\n"), to: field, &state, snapshot)
        case .enter:
            switch field {
            case .dial: return dialTyped(&state, snapshot, now)
            case .filter, .historyFilter:
                state.editing = nil
                return []
            case .notes:
                // In wrap-up Enter saves; during the call it leaves the notes (they carry into wrap-up).
                if snapshot.session.focusedCall?.state == .wrapUp { return saveWrapUp(&state, snapshot) }
                state.editing = nil
                return []
            }
        case .escape:
            state.editing = nil
            if field == .filter, !state.filterText.isEmpty {
                state.filterText = ""
                filterNumbers(&state)
            }
            if field == .historyFilter {
                state.historyFilterEditor = LineEditor(limit: 40)
                state.historySelection = 0
            }
            return []
        case .up, .down:
            switch field {
            case .filter, .dial:
                state.numberSelection = clamp(state.numberSelection + (key == .up ? -1 : 1), state.numbers.count)
            case .historyFilter:
                state.historySelection = clamp(state.historySelection + (key == .up ? -1 : 1), state.historyRecords(snapshot).count)
            case .notes:
                guard snapshot.session.focusedCall?.state == .wrapUp else { return [] }
                let before = state.dispositionIndex
                state.dispositionIndex = clamp(state.dispositionIndex + (key == .up ? -1 : 1), snapshot.session.settings.dispositions.count + 1)
                return before == state.dispositionIndex ? [] : draft(state, snapshot)
            }
            return []
        case .tab, .backTab:
            state.editing = nil
            return run(key == .tab ? .nextPane : .previousPane, &state, snapshot, now)
        case .function, .ctrl:
            // Function keys and control keys that don't edit keep working while typing (F1 help, Ctrl-L redraw).
            state.editing = nil
            guard let command = keyTable.command(for: key) else { return [] }
            return run(command, &state, snapshot, now)
        case .alt:
            state.message = ConsoleMessage(level: .info, text: "Key \(key) does nothing in a text field; press F1 for help", at: now)
            return []
        case .pageUp:
            return moveInList(by: -Self.pageSize, field, &state)
        case .pageDown:
            return moveInList(by: Self.pageSize, field, &state)
        case .left, .right, .home, .end, .wordLeft, .wordRight, .backspace, .delete:
            // Editing keys: handled by the line editor above.
            return []
        }
    }

    /// Applies an editing action to a field; a changed filter re-filters, changed notes are sent as a draft.
    private func apply(_ edit: LineEditor.Edit, to field: TextField, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot) -> [ConsoleRequest] {
        switch field {
        case .dial:
            state.dialEditor.apply(edit)
            return []
        case .filter:
            if state.filterEditor.apply(edit) { filterNumbers(&state) }
            return []
        case .notes:
            return state.notesEditor.apply(edit) ? draft(state, snapshot) : []
        case .historyFilter:
            if state.historyFilterEditor.apply(edit) { state.historySelection = 0 }
            return []
        }
    }

    /// PgUp/PgDn/Home/End while typing a filter or a number move through the number list.
    private func moveInList(by delta: Int, _ field: TextField, _ state: inout ConsoleState) -> [ConsoleRequest] {
        guard field == .filter || field == .dial else { return [] }
        state.numberSelection = clamp(state.numberSelection + delta, state.numbers.count)
        return []
    }

    /// Applies the typed filter to the in-memory number list and selects its first entry.
    private func filterNumbers(_ state: inout ConsoleState) {
        state.numbers.setFilter(state.filterText)
        state.numberSelection = 0
    }

    private func type(_ c: Character, into field: TextField, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        guard !isControl(c) else { return [] }
        if field == .dial {
            guard Self.isPhoneCharacter(c) else {
                state.message = ConsoleMessage(level: .warning, text: "'\(TextSanitizer.clean(String(c)))' is not part of a phone number: use digits, + ( ) - . and spaces", at: now)
                return []
            }
            state.message = nil
        }
        return apply(.insert(String(c)), to: field, &state, snapshot)
    }

    /// Characters a call's notes may hold.
    public static let notesLimit = ConsoleState.notesLimit

    // MARK: Paste

    /// Bracketed paste: the text goes into the field or dialog being edited, never runs as keys. Notes keep
    /// newlines; one-line fields take the text up to the first line break.
    private func paste(_ raw: String, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let firstLine = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        let printable = { (s: String) in String(s.filter { !isControl($0) || $0 == "\n" }) }
        if state.newForm != nil {
            pasteIntoNewForm(printable(text), &state)
            return []
        }
        if case .transfer(var prompt) = state.modal {
            prompt.apply(.insert(printable(firstLine)))
            state.modal = .transfer(prompt)
            return []
        }
        if case .find(var finder) = state.modal {
            finder.editor.apply(.insert(printable(firstLine)))
            state.modal = .find(finder)
            return []
        }
        guard state.modal == nil, let field = state.editing else {
            state.message = ConsoleMessage(level: .info, text: "Pasted text is only taken by a field: press d to dial, / to filter, w for notes", at: now)
            return []
        }
        switch field {
        case .dial:
            return apply(.insert(printable(firstLine).filter(Self.isPhoneCharacter)), to: field, &state, snapshot)
        case .filter:
            return apply(.insert(firstLine), to: field, &state, snapshot)
        case .notes, .historyFilter:
            return apply(.insert(field == .notes ? text : firstLine), to: field, &state, snapshot)
        }
    }

    private func dialTyped(_ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        let text = state.dialText.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            state.message = ConsoleMessage(level: .info, text: "Type a number to dial, then Enter", at: now)
            return []
        }
        switch NumberDisplay.parse(text, snapshot.session) {
        case .failure(let error):
            state.message = ConsoleMessage(level: .warning, text: "Can't dial: \(error)", at: now)
            return []
        case .success:
            if let reason = ConsoleCommand.dial.unavailableReason(snapshot, state) {
                state.message = ConsoleMessage(level: .warning, text: reason, at: now)
                return []
            }
            state.dialText = ""
            state.editing = nil
            state.focus = .call
            return [.agent(.dial(text, clickToDial: nil))]
        }
    }

    static func isPhoneCharacter(_ c: Character) -> Bool {
        (c.isASCII && c.isNumber) || phonePunctuation.contains(c)
    }

    private func isControl(_ c: Character) -> Bool {
        c.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    // MARK: Modals

    private func handleModalKey(_ key: Key, _ modal: Modal, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        switch modal {
        case .find(let finder):
            return handleFinderKey(key, finder, &state, snapshot, now)
        case .help(let offset):
            switch key {
            case .up, .char("k"): state.modal = .help(offset: max(0, offset - 1))
            case .down, .char("j"): state.modal = .help(offset: offset + 1)
            case .pageUp: state.modal = .help(offset: max(0, offset - Self.pageSize))
            case .pageDown: state.modal = .help(offset: offset + Self.pageSize)
            default: state.modal = nil
            }
            return []
        case .quitConfirm:
            switch key {
            case .char("y"), .char("Y"):
                state.modal = nil
                state.quitting = true
                return [.quit]
            default:
                state.modal = nil
                state.message = ConsoleMessage(level: .info, text: "Not quitting", at: now)
                return []
            }
        case .notReadyPicker(let selection):
            let reasons = snapshot.session.settings.notReadyReasons
            switch key {
            case .up, .char("k"): state.modal = .notReadyPicker(selection: clamp(selection - 1, reasons.count))
            case .down, .char("j"): state.modal = .notReadyPicker(selection: clamp(selection + 1, reasons.count))
            case .enter: return chooseReason(selection, &state, snapshot, now)
            case .char(let c) where c.isASCII && c.isNumber:
                guard let n = c.wholeNumberValue, n >= 1, n <= reasons.count else { return [] }
                return chooseReason(n - 1, &state, snapshot, now)
            case .escape, .char("q"): state.modal = nil
            default:
                state.message = ConsoleMessage(level: .info, text: "Pick a reason with ↑/↓ and Enter, or Esc to stay Ready", at: now)
            }
            return []
        case .transfer(var prompt):
            if let edit = LineEditor.edit(for: key) {
                prompt.apply(edit)
                state.modal = .transfer(prompt)
                return []
            }
            switch key {
            case .char(let c):
                guard !isControl(c) else { return [] }
                prompt.apply(.insert(String(c)))
                state.modal = .transfer(prompt)
            case .up, .down:
                let count = state.numbers.count
                guard count > 0 else {
                    state.message = ConsoleMessage(level: .info, text: "The number list is empty: type the number", at: now)
                    return []
                }
                let pick = prompt.pick
                let next = pick < 0 ? (key == .down ? 0 : count - 1) : clamp(pick + (key == .up ? -1 : 1), count)
                prompt.choose(state.numbers.entry(at: next).raw, at: next)
                state.modal = .transfer(prompt)
            case .enter:
                let target = prompt.text.trimmingCharacters(in: .whitespaces)
                guard !target.isEmpty else {
                    state.message = ConsoleMessage(level: .warning, text: "Type a number to transfer to, or pick one with ↑/↓", at: now)
                    return []
                }
                let session = snapshot.session
                if let reason = session.refusal(for: .transfer(to: target), seen: session.focus) {
                    // The dialog stays open so the target can be corrected.
                    state.message = ConsoleMessage(level: .warning, text: reason, at: now)
                    return []
                }
                state.modal = nil
                return [.agent(.transfer(to: target))]
            case .escape:
                state.modal = nil
                state.message = ConsoleMessage(level: .info, text: "Transfer cancelled", at: now)
            case .ctrl, .alt, .tab, .backTab, .left, .right, .wordLeft, .wordRight, .home, .end, .pageUp, .pageDown, .function,
                 .backspace, .delete:
                break
            }
            return []
        case .historyDetail(let index, let offset):
            switch key {
            case .up, .char("k"): state.modal = .historyDetail(index: clamp(index - 1, state.historyRecords(snapshot).count))
            case .down, .char("j"): state.modal = .historyDetail(index: clamp(index + 1, state.historyRecords(snapshot).count))
            // The renderer keeps the offset within the rows there are.
            case .pageDown: state.modal = .historyDetail(index: index, offset: offset + Self.pageSize * 3)
            case .pageUp: state.modal = .historyDetail(index: index, offset: max(0, offset - Self.pageSize * 3))
            default: state.modal = nil
            }
            if case .historyDetail(let i, _) = state.modal { state.historySelection = i }
            return []
        }
    }

    private func chooseReason(_ index: Int, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date) -> [ConsoleRequest] {
        let reasons = snapshot.session.settings.notReadyReasons
        state.modal = nil
        // The Not-ready timer starts now (a change from elsewhere is picked up by the next event).
        state.notReadySince = now
        let reason = reasons.indices.contains(index) ? reasons[index] : ""
        return [.agent(.setAvailability(.notReady(reason: reason)))]
    }

    // MARK: Mouse

    /// A single click focuses and selects; a double click (or Enter afterwards) acts on the row.
    private func handleClick(_ target: ClickTarget, _ state: inout ConsoleState, _ snapshot: ConsoleSnapshot, _ now: Date, double: Bool) -> [ConsoleRequest] {
        switch target {
        case .command(let command):
            if state.modal != nil, command == .back {
                // The modal's close button behaves like Esc.
                return handleKey(.escape, &state, snapshot, now)
            }
            state.editing = nil
            return run(command, &state, snapshot, now)
        case .key(let key):
            return handleKey(key, &state, snapshot, now)
        case .focus(let pane):
            state.modal = nil
            focus(pane, &state)
            return []
        case .row(let list, let index):
            switch list {
            case .numbers:
                if case .transfer(var prompt) = state.modal {
                    guard let entry = state.numbers.entryIfPresent(at: index) else { return [] }
                    prompt.choose(entry.raw, at: index)
                    state.modal = .transfer(prompt)
                    return []
                }
                state.numberSelection = clamp(index, state.numbers.count)
                state.lowerPane = .numbers
                state.focus = .numbers
                if state.editing != nil { state.editing = nil }
                return double ? dialSelected(&state, snapshot, now) : []
            case .history:
                state.focus = .history
                state.lowerPane = .history
                state.historySelection = clamp(index, state.historyRecords(snapshot).count)
                return double ? activate(&state, snapshot, now) : []
            case .searchMatches:
                state.focus = .call
                state.searchSelection = index
                return double ? activate(&state, snapshot, now) : []
            case .dispositions:
                state.focus = .call
                state.dispositionIndex = clamp(index, snapshot.session.settings.dispositions.count + 1)
                return draft(state, snapshot)
            case .notReadyReasons:
                return chooseReason(index, &state, snapshot, now)
            }
        }
    }

    private func clamp(_ value: Int, _ count: Int) -> Int {
        count <= 0 ? 0 : min(max(0, value), count - 1)
    }
}
