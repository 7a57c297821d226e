import Foundation
import RingsideCore

/// A terminal size in cells.
public struct TermSize: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The smallest size the console lays out in.
    public static let minimum = TermSize(width: 80, height: 24)
}

/// Where each part of the console goes for a given size.
struct ConsoleLayout {
    var title: Int
    var callHeader: Int
    var call: Rect
    var dial: Int
    var lowerHeader: Int
    var lower: Rect
    /// When wide enough, numbers and history side by side (left, right).
    var split: (numbers: Rect, history: Rect)?
    var banner: Int
    var keyBar: Int
    var contextBar: Int
    var status: Int

    init(_ size: TermSize) {
        let w = size.width
        let avail = size.height - 8
        let callHeight = max(8, min(12, avail / 2))
        title = 0
        callHeader = 1
        call = Rect(x: 1, y: 2, width: w - 2, height: callHeight)
        dial = 2 + callHeight
        lowerHeader = dial + 1
        lower = Rect(x: 0, y: lowerHeader + 1, width: w, height: size.height - 4 - (lowerHeader + 1))
        if w >= 120 {
            let left = w / 2
            split = (Rect(x: 0, y: lower.y, width: left - 1, height: lower.height),
                     Rect(x: left + 1, y: lower.y, width: w - left - 1, height: lower.height))
        }
        banner = size.height - 4
        keyBar = size.height - 3
        contextBar = size.height - 2
        status = size.height - 1
    }
}

/// Draws the whole console: a pure function of the snapshot, the UI state, the size and the time.
public struct ConsoleRenderer: Sendable {
    public var keyTable: KeyTable

    public init(keyTable: KeyTable = .standard) {
        self.keyTable = keyTable
    }

    public func render(_ snapshot: ConsoleSnapshot, _ state: ConsoleState, size: TermSize, now: Date) -> Screen {
        var screen = Screen(width: size.width, height: size.height)
        guard size.width >= TermSize.minimum.width, size.height >= TermSize.minimum.height else {
            renderTooSmall(&screen, size, snapshot, state)
            return screen
        }
        let layout = ConsoleLayout(size)
        var ctx = RenderContext(snapshot: snapshot, state: state, now: now, keyTable: keyTable,
                                clock: ZonedClock(identifier: snapshot.session.user.timeZone))
        renderTitle(&screen, layout, &ctx)
        renderCallPanel(&screen, layout, &ctx)
        renderDialField(&screen, layout, &ctx)
        renderLower(&screen, layout, &ctx)
        renderBanner(&screen, layout, &ctx)
        renderKeyBar(&screen, layout, &ctx)
        renderStatusBar(&screen, layout, &ctx)
        if state.modal != nil || state.newForm != nil { screen.clearLinks() }
        if let modal = state.modal {
            screen.clearRegions()
            screen.cursor = nil
            renderModal(modal, &screen, &ctx)
        }
        if let form = state.newForm {
            screen.clearRegions()
            renderNewForm(form, &screen, ctx)
        }
        return screen
    }

    /// How often the screen content changes by itself: every second while a timer runs
    /// (a live call or a wrap-up countdown), otherwise once a minute (the clock).
    public static func refreshInterval(_ snapshot: ConsoleSnapshot) -> TimeInterval {
        let session = snapshot.session
        var ticking = session.calls.contains { $0.isLive || ($0.state == .wrapUp && session.settings.wrapUpSeconds > 0) }
        if case .notReady = session.availability { ticking = true } // the Not-ready timer
        return ticking ? 1 : 60
    }

    /// The next moment the screen changes by itself (aligned to the second or the minute).
    public static func nextRefresh(_ snapshot: ConsoleSnapshot, after now: Date) -> Date {
        let interval = refreshInterval(snapshot)
        let t = now.timeIntervalSinceReferenceDate
        return Date(timeIntervalSinceReferenceDate: (t / interval).rounded(.down) * interval + interval)
    }

    private func renderTooSmall(_ screen: inout Screen, _ size: TermSize, _ snapshot: ConsoleSnapshot, _ state: ConsoleState) {
        var lines = ["Terminal too small (need \(TermSize.minimum.width)×\(TermSize.minimum.height), have \(size.width)×\(size.height))",
                     "Enlarge the window; q quits."]
        if state.modal == .quitConfirm {
            let consequence = snapshot.session.quitConsequence(callsOutliveRingside: snapshot.callsOutliveRingside) ?? ""
            lines = ["Quit? \(consequence)", "y quits · any other key stays"]
        }
        var y = max(0, size.height / 2 - 1)
        for line in lines {
            let w = DisplayWidth.of(line)
            screen.put(line, x: max(0, (size.width - w) / 2), y: y, style: y == max(0, size.height / 2 - 1) ? .warning : .normal)
            y += 1
        }
    }
}

/// Everything the drawing functions share for one render.
struct RenderContext {
    var snapshot: ConsoleSnapshot
    var state: ConsoleState
    var now: Date
    var keyTable: KeyTable
    var clock: ZonedClock

    var session: AgentSession { snapshot.session }

    func available(_ command: ConsoleCommand) -> Bool {
        command.unavailableReason(snapshot, state) == nil
    }
}
