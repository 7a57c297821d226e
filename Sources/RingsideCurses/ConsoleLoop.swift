import Foundation
import RingsideCore
import RingsideUI

/// The console's event loop: merges terminal input, backend changes and a timer that runs only
/// while something on screen changes by itself; reduces events to UI state and backend requests;
/// renders and hands each `Screen` to the terminal thread. Idle = blocked (no polling).
public enum ConsoleLoop {
    /// How many number-list entries the console asks for.
    public static let numberListLimit = 200

    enum Event: Sendable {
        case input(TerminalInput)
        case changed
        case tick
    }

    /// Runs the agent console until the user quits. Restores the terminal before returning or throwing.
    public static func run(backend: some ConsoleBackend, options: ConsoleOptions) async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let terminal = Terminal(options: options) { continuation.yield(.input($0)) }
        try terminal.start()
        defer { terminal.stop() }
        let watcher = Task {
            for await _ in backend.changes() { continuation.yield(.changed) }
        }
        defer { watcher.cancel() }

        let reducer = ConsoleReducer()
        let renderer = ConsoleRenderer()
        var state = ConsoleState()
        var snapshot = await backend.snapshot()
        var size = terminal.size
        var lastScreen: Screen?
        var ticker: Task<Void, Never>?
        defer { ticker?.cancel() }

        func load(_ filter: String) async {
            let entries = await backend.numberList(filter: filter, limit: numberListLimit)
            _ = reducer.reduce(.numbers(filter: filter, entries), state: &state, snapshot: snapshot, now: Date())
        }

        /// Runs requests; returns true when the console should quit.
        func perform(_ requests: [ConsoleRequest]) async -> Bool {
            var quit = false
            for request in requests {
                switch request {
                case .agent(let command):
                    await backend.send(command)
                    snapshot = await backend.snapshot()
                case .simulate(let scenario):
                    await backend.simulateIncoming(scenario)
                    snapshot = await backend.snapshot()
                case .loadNumbers(let filter):
                    await load(filter)
                case .loadRelated(let entity):
                    let records = await backend.relatedWork(for: entity)
                    _ = reducer.reduce(.related(entity, records), state: &state, snapshot: snapshot, now: Date())
                case .quickFind(let text):
                    let records = await backend.quickFind(text)
                    snapshot = await backend.snapshot()
                    _ = reducer.reduce(.found(query: text, records), state: &state, snapshot: snapshot, now: Date())
                case .redraw:
                    terminal.redraw()
                case .quit:
                    quit = true
                }
            }
            return quit
        }

        await load("")
        for await event in events {
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
                return
            case .input(.mouse(let x, let y, let kind)):
                switch kind {
                case .press: consoleEvent = lastScreen?.hitTest(x: x, y: y).map(ConsoleEvent.click) ?? .clickNothing
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
            if size.width < TermSize.minimum.width || size.height < TermSize.minimum.height,
               case .input(.key(.char("q"))) = event {
                // Too small to show the quit confirmation: q quits (records are saved before anything else).
                break
            }
            if let consoleEvent {
                let requests = reducer.reduce(consoleEvent, state: &state, snapshot: snapshot, now: now)
                if await perform(requests) { break }
                if case .changed = consoleEvent { await load(state.filterText) }
                reducer.reconcile(&state, snapshot)
            }
            let screen = renderer.render(snapshot, state, size: size, now: Date())
            lastScreen = screen
            terminal.show(screen)

            ticker?.cancel()
            let deadline = ConsoleRenderer.nextRefresh(snapshot, after: Date())
            ticker = Task {
                let delay = max(0.01, deadline.timeIntervalSinceNow)
                try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                if !Task.isCancelled { continuation.yield(.tick) }
            }
        }
        continuation.finish()
    }
}
