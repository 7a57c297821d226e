import Foundation
import RingsideCore

/// How a ringing call is brought to the agent's attention when the terminal is not in front (`[alerts]`).
public struct AlertSettings: Hashable, Sendable {
    /// Desktop notifications: always, never, or when the terminal is known to show them.
    public enum Notify: String, Hashable, Sendable, CaseIterable {
        case on, off, auto
    }

    /// Ring the terminal bell once per ringing call.
    public var bell: Bool
    /// Set the window/tab title to `Ringing: <caller>` while a call rings, then restore it.
    public var title: Bool
    public var notify: Notify

    public init(bell: Bool = true, title: Bool = true, notify: Notify = .auto) {
        self.bell = bell
        self.title = title
        self.notify = notify
    }
}

/// The escape sequence a terminal understands for a desktop notification.
public enum NotificationProtocol: Hashable, Sendable {
    /// `OSC 9 ; text BEL` (iTerm2, WezTerm, Ghostty, kitty, Windows Terminal's ConEmu mode).
    case osc9
    /// `OSC 777 ; notify ; title ; body BEL` (VTE terminals such as GNOME Terminal, urxvt, foot, WezTerm).
    case osc777

    /// The protocol for `choice` in a terminal described by `environment` (nil: no notifications).
    /// `auto` picks one only for terminals known to show them; `on` falls back to OSC 9.
    public static func resolve(_ choice: AlertSettings.Notify, environment: [String: String]) -> NotificationProtocol? {
        let program = environment["TERM_PROGRAM"] ?? ""
        let term = environment["TERM"] ?? ""
        let detected: NotificationProtocol?
        if ["iTerm.app", "WezTerm", "ghostty"].contains(program) || term == "xterm-kitty" || term == "xterm-ghostty" {
            detected = .osc9
        } else if environment["VTE_VERSION"] != nil || term.hasPrefix("rxvt") || term.hasPrefix("foot") {
            detected = .osc777
        } else {
            detected = nil
        }
        switch choice {
        case .off: return nil
        case .auto: return detected
        case .on: return detected ?? .osc9
        }
    }
}

/// Something the console asks the terminal to do besides painting (written only by RingsideCurses).
public enum TerminalSignal: Hashable, Sendable {
    case bell
    /// Save the current title (xterm title stack) and show this one.
    case setTitle(String)
    /// Show a title without saving (the caller's name became known while ringing).
    case updateTitle(String)
    /// Put back the title saved by `setTitle` (terminals without a title stack get `Ringside`).
    case restoreTitle
    case notify(title: String, body: String, NotificationProtocol)
    /// Put text on the system clipboard (OSC 52; the terminal may refuse).
    case copy(String)

    /// The title terminals without a title stack are left with.
    public static let restingTitle = "Ringside"

    /// The bytes to write. Text is sanitised (a caller's name can't end the sequence or start another)
    /// and `;` becomes `,` so it can't split OSC 777's fields.
    public var escapeSequence: String {
        switch self {
        case .bell: "\u{07}"
        case .setTitle(let title): "\u{1B}[22;0t" + Self.osc("2;" + Self.clean(title))
        case .updateTitle(let title): Self.osc("2;" + Self.clean(title))
        case .restoreTitle: Self.osc("2;" + Self.restingTitle) + "\u{1B}[23;0t"
        case .notify(let title, let body, .osc9): Self.osc("9;" + Self.clean(title + ": " + body))
        case .notify(let title, let body, .osc777): Self.osc("777;notify;" + Self.clean(title) + ";" + Self.clean(body))
        case .copy(let text): Self.osc("52;c;" + Data(text.utf8).base64EncodedString())
        }
    }

    static func osc(_ body: String) -> String { "\u{1B}]" + body + "\u{07}" }

    static func clean(_ text: String) -> String {
        String(TextSanitizer.clean(text).prefix(120)).replacingOccurrences(of: ";", with: ",")
    }
}

/// Decides the bell, title and notification for ringing calls. Pure: fed every new session snapshot,
/// returns what to emit; each ringing call alerts once, the title follows the caller's name and is
/// restored when nothing rings any more.
public struct RingAlerts: Hashable, Sendable {
    public var settings: AlertSettings
    public var notification: NotificationProtocol?
    private var alerted: Set<CallObjectID> = []
    private var shownTitle: String?

    public init(settings: AlertSettings, notification: NotificationProtocol?) {
        self.settings = settings
        self.notification = notification
    }

    public mutating func update(_ session: AgentSession) -> [TerminalSignal] {
        let ringing = session.calls.filter { $0.state == .ringing }
        var signals: [TerminalSignal] = []
        for call in ringing where !alerted.contains(call.id) {
            alerted.insert(call.id)
            if settings.bell { signals.append(.bell) }
            if let notification {
                signals.append(.notify(title: "Ringside: call ringing", body: Self.caller(call, session), notification))
            }
        }
        // Forget calls that are gone so the set stays small.
        alerted.formIntersection(session.calls.map(\.id))
        guard settings.title else { return signals }
        // The title names the call on screen when it rings, else the first ringing call.
        let shown = ringing.first { $0.id == session.focus } ?? ringing.first
        if let shown {
            let title = "Ringing: " + Self.caller(shown, session)
            if shownTitle == nil {
                signals.append(.setTitle(title))
            } else if shownTitle != title {
                signals.append(.updateTitle(title))
            }
            shownTitle = title
        } else if shownTitle != nil {
            shownTitle = nil
            signals.append(.restoreTitle)
        }
        return signals
    }

    /// What to emit when the console closes (a ringing title is put back).
    public mutating func finish() -> [TerminalSignal] {
        guard shownTitle != nil else { return [] }
        shownTitle = nil
        return [.restoreTitle]
    }

    /// The caller's name once the lookup chose one, else the number as the console shows it.
    static func caller(_ call: CallMachine, _ session: AgentSession) -> String {
        if let entity = call.chosenEntity ?? call.resolvedAssociation.primary { return entity.name }
        if case .finished(.pop(let record), _) = call.match { return record.name }
        return NumberDisplay.formatted(call.number, raw: call.remote, session)
    }
}
