import RingsideCore

/// The wallboard's own UI state (what the supervisor chose), separate from the team data.
public struct WallboardState: Hashable, Sendable {
    public var sort: TeamSort = .state
    public var descending = false
    /// Which states are listed (`f` cycles through `WallboardStateFilter.allCases`).
    public var stateFilter: WallboardStateFilter = .all
    /// The applied find text.
    public var findText = ""
    /// The find text being typed (nil when not editing).
    public var editingFind: String?
    /// First listed row.
    public var scroll = 0
    public var showHelp = false

    public init() {}

    /// The team filter for the current choices.
    public var filter: TeamFilter { TeamFilter(states: stateFilter.states, text: editingFind ?? findText) }
}

/// The state filter choices, in the order `f` cycles through them.
public enum WallboardStateFilter: String, Hashable, Sendable, CaseIterable {
    case all, online, onCall, wrapUp, ready, notReady, offline

    public var states: Set<PresenceState> {
        switch self {
        case .all: []
        case .online: [.ready, .notReady, .onCall, .wrapUp]
        case .onCall: [.onCall]
        case .wrapUp: [.wrapUp]
        case .ready: [.ready]
        case .notReady: [.notReady]
        case .offline: [.offline]
        }
    }

    public var label: String {
        switch self {
        case .all: "all agents"
        case .online: "logged in"
        case .onCall: "on call"
        case .wrapUp: "wrap-up"
        case .ready: "ready"
        case .notReady: "not ready"
        case .offline: "offline"
        }
    }

    public var next: WallboardStateFilter {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// What the wallboard loop must do after a key.
public enum WallboardRequest: Hashable, Sendable {
    case quit
    case redraw
}

/// One wallboard key and what it does (the help overlay and footer are built from this table).
public struct WallboardKeyHelp: Hashable, Sendable {
    public var keys: String
    public var text: String
}

/// Keys → wallboard state changes. Pure.
public struct WallboardReducer: Sendable {
    public init() {}

    public static let help: [WallboardKeyHelp] = [
        WallboardKeyHelp(keys: "s", text: "sort by state, name, time in state"),
        WallboardKeyHelp(keys: "r", text: "reverse the order"),
        WallboardKeyHelp(keys: "f", text: "show: all, logged in, on call, wrap-up, ready, not ready, offline"),
        WallboardKeyHelp(keys: "/", text: "find by name, id, reason, number or caller (Enter keeps, Esc clears)"),
        WallboardKeyHelp(keys: "↑ ↓ j k", text: "scroll one row"),
        WallboardKeyHelp(keys: "PgUp PgDn Space", text: "scroll one page"),
        WallboardKeyHelp(keys: "Home End g G", text: "first / last agents"),
        WallboardKeyHelp(keys: "Ctrl-L", text: "repaint the screen"),
        WallboardKeyHelp(keys: "?", text: "this help"),
        WallboardKeyHelp(keys: "q", text: "quit"),
    ]

    /// Applies a key. `rows` is how many agents the current filter lists; `page` how many fit on screen.
    public func reduce(_ key: Key, state: inout WallboardState, rows: Int, page: Int) -> WallboardRequest? {
        if state.showHelp {
            switch key {
            case .char("q"): return .quit
            case .ctrl("l"): return .redraw
            default:
                state.showHelp = false
                return nil
            }
        }
        if let text = state.editingFind {
            switch key {
            case .enter:
                state.findText = text
                state.editingFind = nil
            case .escape:
                state.editingFind = nil
                state.findText = ""
            case .backspace, .delete:
                state.editingFind = String(text.dropLast())
            case .char(let c):
                state.editingFind = text + String(c)
            case .ctrl("u"):
                state.editingFind = ""
            case .ctrl("l"):
                return .redraw
            case .ctrl, .tab, .backTab, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .function, .alt, .wordLeft, .wordRight:
                return nil
            }
            state.scroll = 0
            return nil
        }
        let page = max(1, page)
        switch key {
        case .char("q"), .ctrl("d"), .ctrl("c"):
            return .quit
        case .char("s"):
            state.sort = state.sort.next
            state.scroll = 0
        case .char("r"):
            state.descending.toggle()
            state.scroll = 0
        case .char("f"):
            state.stateFilter = state.stateFilter.next
            state.scroll = 0
        case .char("/"):
            state.editingFind = state.findText
        case .escape:
            state.findText = ""
            state.stateFilter = .all
            state.scroll = 0
        case .char("?"), .function(1):
            state.showHelp = true
        case .up, .char("k"):
            state.scroll -= 1
        case .down, .char("j"):
            state.scroll += 1
        case .pageUp, .char("b"):
            state.scroll -= page
        case .pageDown, .char(" "):
            state.scroll += page
        case .home, .char("g"):
            state.scroll = 0
        case .end, .char("G"):
            state.scroll = rows
        case .ctrl("l"):
            return .redraw
        case .char, .ctrl, .enter, .backspace, .delete, .tab, .backTab, .left, .right, .function, .alt, .wordLeft, .wordRight:
            return nil
        }
        state.scroll = Self.clamp(state.scroll, rows: rows, page: page)
        return nil
    }

    /// Mouse wheel: `lines` negative = up.
    public func scroll(_ lines: Int, state: inout WallboardState, rows: Int, page: Int) {
        state.scroll = Self.clamp(state.scroll + lines, rows: rows, page: page)
    }

    /// The first row such that the last page is full when possible.
    public static func clamp(_ scroll: Int, rows: Int, page: Int) -> Int {
        max(0, min(scroll, rows - max(1, page)))
    }
}
