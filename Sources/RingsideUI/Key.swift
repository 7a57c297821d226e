import RingsideCore

/// A key press as the console understands it (decoded from curses by the terminal layer).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case ctrl(Character)
    /// Alt (Meta) + a character: the terminal sends ESC followed by the character.
    case alt(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Ctrl- or Alt-arrow: a word to the left / right.
    case wordLeft, wordRight

    /// How the key is written in the help overlay and key bar.
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-\(c.uppercased())"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let n): "F\(n)"
        case .alt(let c): "Alt-\(c)"
        case .wordLeft: "Ctrl-←"
        case .wordRight: "Ctrl-→"
        }
    }
}

/// What the console reacts to: keys, mouse, size changes, timer ticks and backend results.
public enum ConsoleEvent: Hashable, Sendable {
    case key(Key)
    /// A mouse press on something clickable (the terminal layer hit-tests the last `Screen`).
    case click(ClickTarget)
    /// A second press on the same spot within the double-click interval: acts on the row (dial, open, choose).
    case doubleClick(ClickTarget)
    /// A mouse press that hit nothing clickable.
    case clickNothing
    /// Text pasted into the terminal (bracketed paste): always text for the field being edited, never commands.
    case paste(String)
    /// Mouse wheel: negative = up.
    case scroll(Int)
    case resize(width: Int, height: Int)
    case tick
    /// The backend changed (the loop fetched a new snapshot).
    case changed
    /// The number list's data arrived (at start, and whenever the backend changed).
    case numbers(NumberListData)
    /// Open Cases and Opportunities of an entity arrived (the "Related to" picker).
    case related(EntityRef, [CRMRecord])
    /// Quick-find results for a query arrived.
    case found(query: String, [CRMRecord])
}

/// What the reducer asks the loop to do.
public enum ConsoleRequest: Hashable, Sendable {
    /// Send a command to the agent runtime.
    case agent(AgentCommand)
    /// Demo only: make the simulated phone ring.
    case simulate(DemoScenario)
    /// Fetch the open work an entity's call can be related to.
    case loadRelated(EntityRef)
    /// Run a quick find in the CRM.
    case quickFind(String)
    /// Repaint everything (Ctrl-L).
    case redraw
    /// Open a web page in the browser (the record's Salesforce link).
    case open(String)
    /// Put text on the clipboard (OSC 52).
    case copy(String)
    /// Turn mouse capture on or off.
    case setMouse(Bool)
    /// Leave the console.
    case quit
}
