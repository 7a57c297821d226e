import Foundation
import RingsideUI

/// How the console uses the terminal.
public struct ConsoleOptions: Sendable {
    /// No colours (attributes only). Defaults to on when `NO_COLOR` is set to anything non-empty.
    public var noColor: Bool
    /// Enable xterm mouse reporting (buttons and list rows are clickable).
    public var mouse: Bool
    /// Bell, window title and desktop notification when a call rings (`[alerts]`).
    public var alerts: AlertSettings
    /// The console's keys (`[keys]` remaps commands).
    public var keyTable: KeyTable
    /// Write the record's name and link as OSC 8 hyperlinks (`[display] hyperlinks`, resolved for this terminal
    /// by `Hyperlink.enabled`); never in the ASCII fallback.
    public var hyperlinks: Bool
    /// Called once, right after the first screen is painted; returning true ends the console there
    /// (`ringside bench` measures start-up with it).
    public var afterFirstPaint: (@Sendable () -> Bool)?

    public init(noColor: Bool = ConsoleOptions.environmentNoColor, mouse: Bool = true, alerts: AlertSettings = AlertSettings(),
                keyTable: KeyTable = .standard, hyperlinks: Bool = false) {
        self.noColor = noColor
        self.mouse = mouse
        self.alerts = alerts
        self.keyTable = keyTable
        self.hyperlinks = hyperlinks
    }

    /// `NO_COLOR` (https://no-color.org): present and non-empty disables colour.
    public static var environmentNoColor: Bool {
        guard let value = ProcessInfo.processInfo.environment["NO_COLOR"] else { return false }
        return !value.isEmpty
    }
}

/// Why the console could not start or keep the terminal.
public enum TerminalError: Error, CustomStringConvertible, Sendable {
    case notATerminal
    case cursesInitFailed(String)
    case pipeFailed(Int32)
    /// The terminal can't move the cursor (TERM=dumb, some editors' shells): a full-screen console can't run.
    case noCursorAddressing(String)

    public var description: String {
        switch self {
        case .notATerminal: "the console needs a terminal (stdin and stdout must be a TTY)"
        case .cursesInitFailed(let what): "could not initialise the terminal: \(what)"
        case .pipeFailed(let errno): "could not create the wake-up pipe (errno \(errno))"
        case .noCursorAddressing(let term):
            "this terminal (TERM=\(term.isEmpty ? "unset" : term)) can't move the cursor, so the console can't run here. "
                + "Use `ringside history` for recent calls and `ringside lookup NUMBER` to find a caller, "
                + "or start Ringside in a full terminal (e.g. TERM=xterm-256color)"
        }
    }
}

/// What the terminal thread reports.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    case mouse(x: Int, y: Int, kind: MouseKind)
    case resize(width: Int, height: Int)
    /// The terminal went away (hang-up): the console must leave without asking.
    case hangUp
    /// SIGINT, SIGTERM or SIGHUP arrived: the console stops in order (open calls saved) without asking.
    case stop(Int32)
    /// Bracketed paste: the pasted text, as one piece.
    case paste(String)
}

/// Mouse event kinds the console acts on.
public enum MouseKind: Sendable, Equatable {
    case press, release, wheelUp, wheelDown
}
