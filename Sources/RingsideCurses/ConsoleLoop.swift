import Foundation
import RingsideCore
import RingsideUI

/// The console's event loop: merges terminal input, backend changes and a timer that runs only
/// while something on screen changes by itself; reduces events to UI state and backend requests;
/// renders and hands each `Screen` to the terminal thread. Idle = blocked (no polling).
public enum ConsoleLoop {
    enum Event: Sendable {
        case input(TerminalInput)
        case changed
        case tick
    }

    /// Two presses on the same cell within this interval are a double click.
    static let doubleClickInterval: TimeInterval = 0.4

    /// Runs the agent console until the user quits, the terminal goes away or a stop signal arrives.
    /// Restores the terminal before returning or throwing; the caller then stops the runtime in order.
    @discardableResult
    public static func run(backend: some ConsoleBackend, options: ConsoleOptions) async throws -> ConsoleExit {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let terminal = Terminal(options: options) { continuation.yield(.input($0)) }
        try terminal.start()
        defer { terminal.stop() }
        let watcher = Task {
            for await _ in backend.changes() { continuation.yield(.changed) }
        }
        defer { watcher.cancel() }

        var alerts = RingAlerts(settings: options.alerts,
                                notification: NotificationProtocol.resolve(options.alerts.notify, environment: ProcessInfo.processInfo.environment))
        // Runs before `terminal.stop()` (defers run last-declared first): a ringing title is put back.
        defer { terminal.emit(alerts.finish()) }
        let reducer = ConsoleReducer(keyTable: options.keyTable)
        let renderer = ConsoleRenderer(keyTable: options.keyTable)
        var state = ConsoleState()
        state.mouseCaptured = options.mouse
        var snapshot = await backend.snapshot()
        var size = terminal.size
        var lastScreen: Screen?
        var ticker: Task<Void, Never>?
        defer { ticker?.cancel() }

        func loadNumbers() async {
            let data = await backend.numberList()
            _ = reducer.reduce(.numbers(data), state: &state, snapshot: snapshot, now: Date())
        }

        /// Runs requests; returns true when the console should quit. Agent commands carry the call that was
        /// on screen when the key was read (`seen`), so they can't land on a call that appeared since.
        func perform(_ requests: [ConsoleRequest], seen: CallObjectID?) async -> Bool {
            var quit = false
            for request in requests {
                switch request {
                case .agent(let command):
                    await backend.send(command, seen: seen)
                    snapshot = await backend.snapshot()
                case .simulate(let scenario):
                    await backend.simulateIncoming(scenario)
                    snapshot = await backend.snapshot()
                case .loadRelated(let entity):
                    let records = await backend.relatedWork(for: entity)
                    _ = reducer.reduce(.related(entity, records), state: &state, snapshot: snapshot, now: Date())
                case .quickFind(let text):
                    let records = await backend.quickFind(text)
                    snapshot = await backend.snapshot()
                    _ = reducer.reduce(.found(query: text, records), state: &state, snapshot: snapshot, now: Date())
                case .redraw:
                    terminal.redraw()
                case .open(let url):
                    do {
                        try BrowserOpener.open(url)
                    } catch {
                        state.message = ConsoleMessage(level: .warning, text: "\(error)", at: Date())
                    }
                case .copy(let text):
                    terminal.emit([.copy(text)])
                case .setMouse(let on):
                    terminal.setMouse(on)
                case .quit:
                    quit = true
                }
            }
            return quit
        }

        await loadNumbers()
        // Paint first: the first frame is drawn at once, not at the first event (the index may still be loading).
        continuation.yield(.tick)
        var painted = false
        var lastPress: (x: Int, y: Int, at: Date)?
        var exit = ConsoleExit.quit
        events: for await event in events {
            let now = Date()
            var consoleEvent: ConsoleEvent?
            switch event {
            case .input(.key(let key)):
                if key == .ctrl("d") && state.modal == nil && state.editing == nil {
                    // Ctrl-D behaves like q (which asks first when a call is live).
                    consoleEvent = .key(.char("q"))
                } else {
                    consoleEvent = .key(key)
                }
            case .input(.hangUp):
                continuation.finish()
                return .terminalClosed
            case .input(.stop(let signal)):
                exit = .signal(signal)
                break events
            case .input(.paste(let text)):
                consoleEvent = .paste(text)
            case .input(.mouse(let x, let y, let kind)):
                switch kind {
                case .press:
                    let double = lastPress.map { $0.x == x && $0.y == y && now.timeIntervalSince($0.at) < doubleClickInterval } ?? false
                    lastPress = double ? nil : (x, y, now)
                    let target = lastScreen?.hitTest(x: x, y: y)
                    consoleEvent = target.map { double ? ConsoleEvent.doubleClick($0) : ConsoleEvent.click($0) } ?? .clickNothing
                case .release: consoleEvent = nil
                case .wheelUp: consoleEvent = .scroll(-1)
                case .wheelDown: consoleEvent = .scroll(1)
                }
            case .input(.resize(let width, let height)):
                size = TermSize(width: width, height: height)
                consoleEvent = .resize(width: width, height: height)
            case .changed:
                snapshot = await backend.snapshot()
                consoleEvent = .changed
            case .tick:
                consoleEvent = .tick
            }
            if let consoleEvent {
                let seen = snapshot.session.focus
                let requests = reducer.reduce(consoleEvent, state: &state, snapshot: snapshot, now: now)
                if await perform(requests, seen: seen) { break }
                if case .changed = consoleEvent { await loadNumbers() }
                reducer.reconcile(&state, snapshot)
            }
            let screen = renderer.render(snapshot, state, size: size, now: Date())
            lastScreen = screen
            terminal.show(screen)
            terminal.emit(alerts.update(snapshot.session))
            if !painted {
                painted = true
                if options.afterFirstPaint?() == true { break }
            }

            ticker?.cancel()
            let deadline = ConsoleRenderer.nextRefresh(snapshot, after: Date())
            ticker = Task {
                let delay = max(0.01, deadline.timeIntervalSinceNow)
                try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                if !Task.isCancelled { continuation.yield(.tick) }
            }
        }
        continuation.finish()
        return exit
    }
}

/// Why the console closed.
public enum ConsoleExit: Sendable, Equatable {
    /// The agent quit (q, confirmed).
    case quit
    /// The terminal went away (hang-up, closed window).
    case terminalClosed
    /// SIGINT, SIGTERM or SIGHUP: stop in order, then exit with 128 + the signal.
    case signal(Int32)

    /// The process exit status that matches this way of stopping.
    public var exitStatus: Int32 {
        switch self {
        case .quit: 0
        case .terminalClosed: 129
        case .signal(let signal): 128 + signal
        }
    }
}
