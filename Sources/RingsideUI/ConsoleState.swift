import Foundation
import RingsideCore

/// A focusable area of the console.
public enum Pane: String, Hashable, Sendable, CaseIterable {
    /// The call panel (pop detail, search pick list, wrap-up form).
    case call
    /// The dial field.
    case dial
    /// Favourites, recent calls and directory records.
    case numbers
    /// Recent call records and their delivery state.
    case history
}

/// A text field the agent is typing into; while one is active, printable keys are text, not commands.
public enum TextField: Hashable, Sendable {
    case dial, filter, notes
    /// `/` in the History view: filters calls by name, number, disposition and notes.
    case historyFilter
}

/// A modal box drawn over the console; it takes every key until closed.
public enum Modal: Hashable, Sendable {
    /// The `?` overlay, scrolled by `offset` lines.
    case help(offset: Int)
    /// "A call is in progress. Quit anyway?"
    case quitConfirm
    /// Not-ready reason picker with the highlighted row.
    case notReadyPicker(selection: Int)
    /// Transfer target prompt: the target being edited and the highlighted number-list row.
    case transfer(TransferPrompt)
    /// A history record's Task fields, scrolled by `offset` rows (PgUp/PgDn) when they don't fit.
    case historyDetail(index: Int, offset: Int = 0)
    /// The "Related to" picker or the quick-find box.
    case find(Finder)
}

/// The "Related to" picker (open Cases/Opportunities of the caller's account) and the quick-find box
/// (search the CRM by name, number, case number, pasted ID or record URL).
public struct Finder: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        /// Pick a Case/Opportunity as the call's WhatId.
        case relatedTo
        /// Find any record and associate the call with it (rule 3: navigated to).
        case quickFind
    }

    public var purpose: Purpose
    /// The typed query (one line).
    public var editor = LineEditor(limit: 200)
    public var text: String {
        get { editor.text }
        set { editor = LineEditor(newValue, limit: 200) }
    }
    /// The query the results belong to.
    public var query = ""
    public var results: [CRMRecord] = []
    public var selection = 0
    public var searching = false

    public init(purpose: Purpose, searching: Bool = false) {
        self.purpose = purpose
        self.searching = searching
    }
}

/// A short feedback line from the console itself (e.g. why a key did nothing).
public struct ConsoleMessage: Hashable, Sendable {
    public var level: Banner.Level
    public var text: String
    public var at: Date

    public init(level: Banner.Level, text: String, at: Date) {
        self.level = level
        self.text = text
        self.at = at
    }
}

/// UI-only state of the console; everything about calls lives in the `AgentSession` snapshot.
public struct ConsoleState: Hashable, Sendable {
    public var focus: Pane = .call
    public var editing: TextField?
    public var modal: Modal?
    /// The dial field (one line, phone characters only).
    public var dialEditor = LineEditor(limit: 40)
    /// The History filter (one line).
    public var historyFilterEditor = LineEditor(limit: 40)
    /// The number-list filter (one line).
    public var filterEditor = LineEditor(limit: 40)
    public var dialText: String {
        get { dialEditor.text }
        set { dialEditor = LineEditor(newValue, limit: 40) }
    }
    public var filterText: String {
        get { filterEditor.text }
        set { filterEditor = LineEditor(newValue, limit: 40) }
    }
    /// The number list filtered by `filterText` (a view over in-memory data: no query per keystroke).
    public var numbers = NumberListView()
    public var numberSelection = 0
    public var searchSelection = 0
    public var historySelection = 0
    /// Wrap-up form: 0 = no disposition, n = `dispositions[n - 1]`.
    public var dispositionIndex = 0
    /// The focused call's notes being edited (multi-line).
    public var notesEditor = LineEditor(limit: ConsoleState.notesLimit, multiline: true)
    /// Setting the notes starts a fresh editor (cursor at the end, nothing to undo).
    public var notes: String {
        get { notesEditor.text }
        set { notesEditor = LineEditor(newValue, limit: Self.notesLimit, multiline: true) }
    }
    /// Characters a call's notes may hold.
    public static let notesLimit = 4000
    /// The call whose wrap-up took the focus (once per call).
    public var wrapUpCall: CallObjectID?
    /// The call whose notes and disposition `notes`/`dispositionIndex` hold (loaded from its draft when the focus moves).
    public var notesCall: CallObjectID?
    /// Calls seen at the last reconcile (a new call takes the focus).
    public var knownCalls: [CallObjectID] = []
    public var message: ConsoleMessage?
    /// The lower pane shown when only one fits (numbers or history).
    public var lowerPane: Pane = .numbers
    /// When the agent went Not ready (for the timer on the status bar); nil while Ready.
    public var notReadySince: Date?
    /// Whether the console captures the mouse (off: the terminal's own text selection works).
    public var mouseCaptured = true
    /// Set when the agent confirmed quitting.
    public var quitting = false
    /// The New form, open over the console (issue 15).
    public var newForm: NewRecordForm?

    public init() {}
}
