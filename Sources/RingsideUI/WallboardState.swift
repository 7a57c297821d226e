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
    /// Interval of the service-level sparkline (15 or 30; `i` switches).
    public var intervalMinutes = 30

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
        WallboardKeyHelp(keys: "s  r  f", text: "sort by state, name or time in state · reverse · show some states"),
        WallboardKeyHelp(keys: "/ g", text: "find by name, id, reason, number or caller (Enter keeps, Esc clears)"),
        WallboardKeyHelp(keys: "i", text: "service-level sparkline per 30 or 15 minutes"),
        WallboardKeyHelp(keys: "↑ ↓ j k", text: "scroll a row · PgUp PgDn Space a page · Home End first / last"),
        WallboardKeyHelp(keys: "? Ctrl-L q", text: "this help · repaint the screen · quit"),
    ]

    /// What the wallboard's figures mean (shown under the keys in the `?` overlay), from the live settings.
    public static func legend(settings: QueueSettings, mapping: ActivityCategoryMapping, intervalMinutes: Int) -> [WallboardKeyHelp] {
        let sl = WallboardFormat.whole(settings.serviceLevelThreshold), short = WallboardFormat.whole(settings.shortAbandonThreshold)
        let window = WallboardFormat.whole(settings.window / 60)
        let lists = [ActivityCategory.ready, .idle, .notReady, .admin].map { "\($0.rawValue): \(mapping.list($0))" }
        return [
            WallboardKeyHelp(keys: "Service level", text: "answered within \(sl) s ÷ answered, last \(window) min (abandons excluded)"),
            WallboardKeyHelp(keys: "Abandoned", text: "hung up after more than \(short) s; % of answered + abandoned"),
            WallboardKeyHelp(keys: "Short (≤\(short) s)", text: "hung up within \(short) s: not in the abandon rate"),
            WallboardKeyHelp(keys: "Avg handle, AHT", text: "talk + hold + wrap-up of completed calls"),
            WallboardKeyHelp(keys: "SL per \(intervalMinutes) min", text: "today's service level per interval: ▁ 0% … █ 100%, · no answered call"),
            WallboardKeyHelp(keys: "Handling", text: "time on answered calls (talk), on hold and in wrap-up, whole team"),
            WallboardKeyHelp(keys: "Time", text: "since the wallboard started, per category (from config):"),
            WallboardKeyHelp(keys: "", text: lists[0] + " · " + lists[1]),
            WallboardKeyHelp(keys: "", text: lists[2] + " · " + lists[3]),
            WallboardKeyHelp(keys: "malformed N", text: "messages ignored (not JSON, out-of-range numbers, bad dates)"),
        ]
    }

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
        case .char("/"), .char("g"):
            // `g` finds, as the console's quick find does (issue 18: the same key means the same thing).
            state.editingFind = state.findText
        case .char("i"):
            state.intervalMinutes = state.intervalMinutes == 30 ? 15 : 30
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
        case .home:
            state.scroll = 0
        case .end:
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
