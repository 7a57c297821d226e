import RingsideCore

/// Every named thing the agent can do from the keyboard or the mouse.
public enum ConsoleCommand: Hashable, Sendable, CaseIterable {
    case answer, holdResume, transfer, hangUp
    case dial, toggleReady
    case pop, search, new
    case relatedTo, quickFind
    case nextCall
    case filter
    case notes
    case nextPane, previousPane, focusCall, focusNumbers, focusHistory
    case moveUp, moveDown, pageUp, pageDown, moveFirst, moveLast
    case activate, back
    case help, redraw, quit
    case openRecord, copyNumber, copyLink, toggleMouse
    case demoRandom, demoSingle, demoMultiple, demoNoMatch, demoInternal, demoJapanese, demoHostile

    public static let allCases: [ConsoleCommand] = [
        .answer, .holdResume, .transfer, .hangUp, .dial, .toggleReady, .pop, .search, .new, .nextCall, .filter, .notes,
        .nextPane, .previousPane, .focusCall, .focusNumbers, .focusHistory, .moveUp, .moveDown, .pageUp, .pageDown,
        .moveFirst, .moveLast, .activate, .back, .help, .redraw, .quit, .openRecord, .copyNumber, .copyLink, .toggleMouse,
        .demoRandom, .demoSingle, .demoMultiple, .demoNoMatch, .demoInternal, .demoJapanese, .demoHostile,
    ]

    /// Short label for buttons and the help overlay.
    public var title: String {
        switch self {
        case .answer: "Answer"
        case .holdResume: "Hold/Resume"
        case .transfer: "Transfer"
        case .hangUp: "Hang up"
        case .dial: "Dial"
        case .toggleReady: "Ready/Not ready"
        case .pop: "Pop"
        case .search: "Search"
        case .new: "New"
        case .relatedTo: "Related to"
        case .quickFind: "Find record"
        case .nextCall: "Next call"
        case .filter: "Filter"
        case .notes: "Notes"
        case .nextPane: "Next pane"
        case .previousPane: "Previous pane"
        case .focusCall: "Call panel"
        case .focusNumbers: "Numbers"
        case .focusHistory: "History"
        case .moveUp: "Up"
        case .moveDown: "Down"
        case .pageUp: "Page up"
        case .pageDown: "Page down"
        case .moveFirst: "First"
        case .moveLast: "Last"
        case .activate: "Select"
        case .back: "Back"
        case .help: "Help"
        case .redraw: "Redraw"
        case .quit: "Quit"
        case .openRecord: "Open"
        case .copyNumber: "Copy number"
        case .copyLink: "Copy link"
        case .toggleMouse: "Mouse"
        case .demoRandom: "Random caller"
        case .demoSingle: "Single match"
        case .demoMultiple: "Multiple"
        case .demoNoMatch: "No match"
        case .demoInternal: "Internal"
        case .demoJapanese: "Japanese"
        case .demoHostile: "Hostile"
        }
    }

    /// One line of help.
    public var help: String {
        switch self {
        case .answer: "Answer the ringing call"
        case .holdResume: "Put the call on hold, or resume it"
        case .transfer: "Blind-transfer the call (type a number or pick one)"
        case .hangUp: "Hang up the call"
        case .dial: "Type a number in the dial field; Enter dials"
        case .toggleReady: "Go Not ready (pick a reason), or back to Ready"
        case .pop: "Open the match/transferred record (associates the call)"
        case .search: "Choose among several matches (pick list, newest first)"
        case .new: "Create a record for an unknown number (associates the call)"
        case .relatedTo: "Relate the call to an open Case or Opportunity of the caller's account (WhatId)"
        case .quickFind: "Find a record by name, number, case number, ID or URL and associate the call with it"
        case .nextCall: "Switch to the next call"
        case .filter: "Filter the number list by name or digits"
        case .notes: "Type wrap-up notes"
        case .nextPane: "Focus the next pane"
        case .previousPane: "Focus the previous pane"
        case .focusCall: "Focus the call panel"
        case .focusNumbers: "Focus the number list"
        case .focusHistory: "Focus the call history"
        case .moveUp: "Move the selection up"
        case .moveDown: "Move the selection down"
        case .pageUp: "Move the selection a page up"
        case .pageDown: "Move the selection a page down"
        case .moveFirst: "Move the selection to the first entry"
        case .moveLast: "Move the selection to the last entry"
        case .activate: "Dial the entry / choose the match / save wrap-up / show the record"
        case .back: "Save wrap-up without disposition / dismiss the message"
        case .help: "Show or hide this help"
        case .redraw: "Repaint the screen"
        case .quit: "Quit Ringside (asks first if a call is in progress)"
        case .openRecord: "Open the record in the browser (Salesforce mode; $BROWSER or xdg-open)"
        case .copyNumber: "Copy the number to the clipboard (OSC 52)"
        case .copyLink: "Copy the record's Salesforce link to the clipboard (OSC 52)"
        case .toggleMouse: "Mouse capture on/off (off: the terminal selects text)"
        case .demoRandom: "Demo: a random caller rings"
        case .demoSingle: "Demo: a caller with one matching record"
        case .demoMultiple: "Demo: a caller matching several records"
        case .demoNoMatch: "Demo: an unknown caller"
        case .demoInternal: "Demo: an internal extension calls"
        case .demoJapanese: "Demo: a caller with a Japanese name"
        case .demoHostile: "Demo: a caller whose name holds escape codes"
        }
    }

    /// Demo commands are shown and usable only in `ringside demo`.
    public var isDemo: Bool { demoScenario != nil }

    public var demoScenario: DemoScenario? {
        switch self {
        case .demoRandom: .random
        case .demoSingle: .singleMatch
        case .demoMultiple: .multipleMatch
        case .demoNoMatch: .noMatch
        case .demoInternal: .internal
        case .demoJapanese: .japanese
        case .demoHostile: .hostile
        case .answer, .holdResume, .transfer, .hangUp, .dial, .toggleReady, .pop, .search, .new, .relatedTo, .quickFind, .nextCall, .filter,
             .notes, .nextPane, .previousPane, .focusCall, .focusNumbers, .focusHistory, .moveUp, .moveDown, .pageUp,
             .pageDown, .moveFirst, .moveLast, .activate, .back, .help, .redraw, .quit, .openRecord, .copyNumber, .copyLink,
             .toggleMouse:
            nil
        }
    }
}
