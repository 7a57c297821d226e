import Foundation
import RingsideCore
import RingsideUI

/// The supervisor wallboard's event loop: terminal input, team changes (coalesced) and a once-a-second
/// tick for the durations on screen; reduces keys to `WallboardState` and paints `WallboardRenderer`
/// screens through the shared `Terminal` (which restores the terminal on every exit path).
public enum WallboardLoop {
    enum Event: Sendable {
        case input(TerminalInput)
        case changed
        case tick
    }

    /// Team changes repaint at most this often (a 5,000-agent team changes hundreds of times a second).
    public static let maximumRepaintsPerSecond: UInt64 = 10

    /// At most one `.changed` waits in the event queue; more changes fold into it.
    final class Pending: @unchecked Sendable {
        private let lock = NSLock()
        private var pending = false
        func mark() -> Bool { lock.withLock { defer { pending = true }; return !pending } }
        func clear() { lock.withLock { pending = false } }
    }

    /// Runs until the supervisor quits (q, Ctrl-D, terminal hang-up).
    public static func run(source: some TeamSource, options: ConsoleOptions, timeZone: TimeZone = .current) async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let terminal = Terminal(options: options) { continuation.yield(.input($0)) }
        try terminal.start()
        defer { terminal.stop() }
        let pending = Pending()
        let watcher = Task {
            // Repaints for team changes are capped at `maximumRepaintsPerSecond`: the change stream holds at most
            // one pending signal, so the changes arriving during the pause fold into the next repaint.
            for await _ in source.changes() {
                if pending.mark() { continuation.yield(.changed) }
                try? await Task.sleep(nanoseconds: UInt64(1_000_000_000 / maximumRepaintsPerSecond))
            }
        }
        defer { watcher.cancel() }
        let ticker = Task {
            while !Task.isCancelled {
                // Wake just after the next whole second so every duration on screen steps together.
                let now = Date().timeIntervalSince1970
                let delay = (now.rounded(.down) + 1.02) - now
                try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                continuation.yield(.tick)
            }
        }
        defer { ticker.cancel() }

        let reducer = WallboardReducer()
        let renderer = WallboardRenderer(timeZone: timeZone)
        var state = WallboardState()
        var snapshot = await source.snapshot()
        var size = terminal.size

        func rowCount() -> Int {
            snapshot.team.rowCount(filter: state.filter)
        }

        for await event in events {
            switch event {
            case .input(.key(let key)):
                let tooSmall = size.width < WallboardRenderer.minimum.width || size.height < WallboardRenderer.minimum.height
                if tooSmall, key == .char("q") || key == .ctrl("d") { return }
                switch reducer.reduce(key, state: &state, rows: rowCount(), page: WallboardRenderer.pageSize(size)) {
                case .quit: return
                case .redraw: terminal.redraw()
                case nil: break
                }
            case .input(.mouse(_, _, let kind)):
                switch kind {
                case .wheelUp: reducer.scroll(-3, state: &state, rows: rowCount(), page: WallboardRenderer.pageSize(size))
                case .wheelDown: reducer.scroll(3, state: &state, rows: rowCount(), page: WallboardRenderer.pageSize(size))
                case .press, .release: continue
                }
            case .input(.hangUp), .input(.stop):
                return
            case .input(.paste):
                continue
            case .input(.resize(let width, let height)):
                size = TermSize(width: width, height: height)
            case .changed:
                pending.clear()
                snapshot = await source.snapshot()
            case .tick:
                snapshot = await source.snapshot()
            }
            terminal.show(renderer.render(snapshot, state, size: size, now: Date()))
        }
    }
}
