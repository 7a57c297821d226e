import CNcurses
import Foundation
import RingsideUI
#if canImport(Glibc)
import Glibc
#endif

/// Owns curses on one dedicated thread: initialises it, paints `Screen`s, reads keys, mouse and
/// resizes, and always restores the terminal (normal exit, fatal signals).
///
/// The thread blocks in `poll` on stdin and a wake pipe; it never polls on a timer.
final class Terminal: @unchecked Sendable {
    private let options: ConsoleOptions
    private let onInput: @Sendable (TerminalInput) -> Void
    private let lock = NSLock()
    private var pendingScreen: Screen?
    /// Bell, title and notification sequences waiting to be written (in order).
    private var pendingSignals: [TerminalSignal] = []
    /// Mouse capture to switch to on the terminal thread.
    private var pendingMouse: Bool?
    private var redrawAll = false
    private var stopping = false
    private var thread: Thread?
    private let started = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var startError: TerminalError?
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    private var colors = false
    /// The locale is not UTF-8: curses can show only ASCII, so screens are painted with ASCII stand-ins.
    private var asciiOnly = false
    /// Bracketed paste decoding (terminal thread only).
    private var pasteDecoder = PasteDecoder()
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"
    /// Ctrl/Alt-arrow key codes of the terminfo entry, when it has them (terminal thread only).
    private var wordKeys: [Int32: Key] = [:]
    /// The screen painted last, for the hyperlinks after a Ctrl-L repaint (terminal thread only).
    private var lastPainted: Screen?
    /// Current size (written by the terminal thread under `lock`).
    private var currentSize = TermSize(width: 80, height: 24)

    init(options: ConsoleOptions, onInput: @escaping @Sendable (TerminalInput) -> Void) {
        self.options = options
        self.onInput = onInput
    }

    var size: TermSize { lock.withLock { currentSize } }

    /// Starts the thread and waits until curses is up (or failed).
    func start() throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.pipeFailed(errno) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, fcntl(wakeRead, F_GETFL) | O_NONBLOCK)
        _ = fcntl(wakeWrite, F_SETFL, fcntl(wakeWrite, F_GETFL) | O_NONBLOCK)
        let thread = Thread { [self] in self.main() }
        thread.name = "ringside-terminal"
        self.thread = thread
        thread.start()
        started.wait()
        if let startError {
            close(wakeRead)
            close(wakeWrite)
            throw startError
        }
    }

    /// Queues a screen to paint (the latest one wins).
    func show(_ screen: Screen) {
        lock.withLock { pendingScreen = screen }
        wake()
    }

    /// Queues bell/title/notification sequences; the terminal thread writes them after the next paint.
    func emit(_ signals: [TerminalSignal]) {
        guard !signals.isEmpty else { return }
        lock.withLock { pendingSignals += signals }
        wake()
    }

    /// Turns mouse capture on or off (off: the terminal's own text selection works).
    func setMouse(_ on: Bool) {
        lock.withLock { pendingMouse = on }
        wake()
    }

    /// Repaints everything on the next paint (Ctrl-L).
    func redraw() {
        lock.withLock { redrawAll = true }
        wake()
    }

    /// Stops the thread, restores the terminal, and waits for it.
    func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopping = true }
            return stopping
        }
        guard !already, thread != nil else { return }
        wake()
        finished.wait()
        close(wakeRead)
        close(wakeWrite)
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: The terminal thread

    private func main() {
        if let error = setUp() {
            startError = error
            started.signal()
            finished.signal()
            return
        }
        started.signal()
        reportSize()
        loop()
        writeSignals()
        _ = rs_write_stdout(Self.bracketedPasteOff)
        _ = rs_write_stdout(Self.sgrMouseOff) // also when m turned the mouse on under --no-mouse
        rs_uninstall_winch_pipe()
        // Best effort: if the defaults can't be put back, the handler only writes to a pipe nobody reads.
        _ = rs_uninstall_stop_pipe()
        endwin()
        finished.signal()
    }

    private func setUp() -> TerminalError? {
        setlocale(LC_ALL, "")
        asciiOnly = ASCIIFallback.needed(codeset: String(cString: nl_langinfo(nl_item(CODESET))))
        guard rs_newterm() != nil else { return .cursesInitFailed("newterm failed (is TERM set?)") }
        guard rs_can_address_cursor() != 0 else {
            endwin()
            return .noCursorAddressing(ProcessInfo.processInfo.environment["TERM"] ?? "")
        }
        guard cbreak() != ERR else {
            endwin()
            return .cursesInitFailed("cbreak failed")
        }
        guard noecho() != ERR, rs_keypad_on() != ERR, rs_nodelay_on() != ERR else {
            endwin()
            return .cursesInitFailed("noecho/keypad/nodelay failed")
        }
        set_escdelay(25)
        // Extended key names (xterm, tmux): Ctrl-← is kLFT5, Alt-← kLFT3; curses reports them with codes
        // of their own. Entries without them send the xterm sequences, which KeyDecoder reads.
        for (name, key) in [("kLFT5", Key.wordLeft), ("kRIT5", .wordRight), ("kLFT3", .wordLeft), ("kRIT3", .wordRight)] {
            let code = rs_extended_key_code(name)
            if code > 0 { wordKeys[code] = key }
        }
        _ = curs_set(0) // ERR on terminals without cursor visibility control: harmless
        if options.mouse { captureMouse(true) }
        setUpColors()
        guard rs_install_restore_handlers() == 0 else {
            endwin()
            return .cursesInitFailed("could not install signal handlers")
        }
        guard rs_install_winch_pipe(wakeWrite) == 0 else {
            endwin()
            return .cursesInitFailed("could not install the SIGWINCH handler")
        }
        guard rs_install_stop_pipe(wakeWrite) == 0 else {
            endwin()
            return .cursesInitFailed("could not install the SIGINT/SIGTERM/SIGHUP handlers")
        }
        // Pastes arrive bracketed, so they are text, never commands (terminals without it ignore this).
        _ = rs_write_stdout(Self.bracketedPasteOn)
        return nil
    }

    private func setUpColors() {
        guard !options.noColor, has_colors(), start_color() != ERR else { return }
        let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
        let pairs: [(ColorRole, Int32)] = [
            (.title, COLOR_CYAN), (.accent, COLOR_CYAN), (.good, COLOR_GREEN), (.warning, COLOR_YELLOW),
            (.error, COLOR_RED), (.muted, COLOR_BLUE),
        ]
        for (role, fg) in pairs where init_pair(Int16(role.rawValue), Int16(fg), background) == ERR {
            return
        }
        colors = true
    }

    private func loop() {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno != EINTR { break }
            if fds[1].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 64)
                while true {
                    let count = read(wakeRead, &buffer, buffer.count)
                    guard count > 0 else { break }
                    for byte in buffer[0..<count] where byte & 0x80 != 0 { onInput(.stop(Int32(byte & 0x7F))) }
                }
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal went away: the loop ends without asking (records are saved first anyway).
                onInput(.hangUp)
                break
            }
            readInput()
            if lock.withLock({ stopping }) { break }
            paintPending()
            writeSignals()
        }
    }

    /// Reads everything waiting; characters are decoded once the batch is read (or a curses key code
    /// interrupts it), so multi-character sequences (`ESC [1;5D`) are seen whole.
    private func readInput() {
        var ch: wint_t = 0
        var batch: [PasteDecoder.Item] = []
        while true {
            let result = rs_get_wch(&ch)
            if result == ERR {
                deliver(batch + pasteDecoder.flush())
                return
            }
            if result == rs_key_code_yes() {
                deliver(batch + pasteDecoder.flush())
                batch.removeAll()
                handleKeyCode(Int32(ch))
            } else {
                batch += pasteDecoder.feed(UInt32(ch))
            }
        }
    }

    /// Characters that arrived together are decoded together, so `ESC b` is Alt-b and `ESC [1;5D` Ctrl-←.
    private func deliver(_ items: [PasteDecoder.Item]) {
        var characters: [UInt32] = []
        func flushCharacters() {
            for item in KeyDecoder.decode(characters) {
                switch item {
                case .key(let key): onInput(.key(key))
                case .mouse(let report): if let kind = Self.kind(report) { onInput(.mouse(x: report.x, y: report.y, kind: kind)) }
                }
            }
            characters.removeAll()
        }
        for item in items {
            switch item {
            case .paste(let text):
                flushCharacters()
                onInput(.paste(text))
            case .character(let code):
                characters.append(code)
            }
        }
        flushCharacters()
    }

    /// SGR button numbers: 0 left (press/release), 64/65 wheel; motion (32) and other buttons are ignored.
    static func kind(_ report: KeyDecoder.MouseReport) -> MouseKind? {
        switch (report.button, report.press) {
        case (0, true): .press
        case (0, false): .release
        case (64, true): .wheelUp
        case (65, true): .wheelDown
        default: nil
        }
    }

    private func handleKeyCode(_ code: Int32) {
        if code == rs_key_resize() {
            reportSize()
            return
        }
        if code == rs_key_mouse() {
            var event = MEVENT()
            guard getmouse(&event) == OK else { return }
            let state = rs_mouse_bstate(&event)
            let kind: MouseKind
            if state & rs_button1_pressed() != 0 || state & rs_button1_clicked() != 0 {
                kind = .press
            } else if state & rs_button4_pressed() != 0 {
                kind = .wheelUp
            } else if state & rs_button5_pressed() != 0 {
                kind = .wheelDown
            } else if state & rs_button1_released() != 0 {
                kind = .release
            } else {
                return
            }
            onInput(.mouse(x: Int(rs_mouse_x(&event)), y: Int(rs_mouse_y(&event)), kind: kind))
            return
        }
        if let key = Self.decode(keyCode: code) ?? wordKeys[code] { onInput(.key(key)) }
    }

    private func reportSize() {
        let size = TermSize(width: Int(rs_cols()), height: Int(rs_lines()))
        lock.withLock { currentSize = size }
        onInput(.resize(width: size.width, height: size.height))
    }

    static func decode(keyCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        default:
            let f = code - rs_key_f0()
            if f >= 1 && f <= 24 { return .function(Int(f)) }
            return nil
        }
    }

    // MARK: Painting

    /// Mouse reporting on (buttons and wheel; SGR 1006 coordinates so clicks beyond column 223 arrive) or off.
    private func captureMouse(_ on: Bool) {
        var old: mmask_t = 0
        if on {
            // mousemask returns the events it could enable: 0 means this terminal has no mouse.
            guard mousemask(mmask_t(rs_mouse_buttons()), &old) != 0 else { return }
            _ = mouseinterval(0)
            _ = rs_write_stdout(Self.sgrMouseOn)
        } else {
            _ = rs_write_stdout(Self.sgrMouseOff)
            _ = mousemask(0, &old)
        }
    }

    static let sgrMouseOn = "\u{1B}[?1006h"
    static let sgrMouseOff = "\u{1B}[?1006l"

    /// Writes queued signals straight to the terminal, between curses refreshes (they don't move the cursor).
    private func writeSignals() {
        let (signals, mouse) = lock.withLock { () -> ([TerminalSignal], Bool?) in
            defer {
                pendingSignals = []
                pendingMouse = nil
            }
            return (pendingSignals, pendingMouse)
        }
        if let mouse { captureMouse(mouse) }
        // Best effort: a terminal that can't take the bytes still shows the ringing call on screen.
        for signal in signals { _ = rs_write_stdout(signal.escapeSequence) }
    }

    private func paintPending() {
        let (screen, clear) = lock.withLock { () -> (Screen?, Bool) in
            defer {
                pendingScreen = nil
                redrawAll = false
            }
            return (pendingScreen, redrawAll)
        }
        guard let screen else {
            if clear {
                _ = rs_clearok()
                _ = rs_refresh()
                // The full repaint wrote the link cells as plain text again.
                if let lastPainted { writeLinks(lastPainted) }
            }
            return
        }
        if clear { _ = rs_clearok() }
        paint(asciiOnly ? screen.asciiOnly() : screen)
    }

    private func paint(_ screen: Screen) {
        lastPainted = screen
        _ = rs_erase()
        let rows = min(screen.height, Int(rs_lines()))
        let cols = min(screen.width, Int(rs_cols()))
        var buffer: [wchar_t] = []
        buffer.reserveCapacity(cols * 2)
        for y in 0..<rows {
            var x = 0
            while x < cols {
                let style = screen[x, y].style
                let start = x
                buffer.removeAll(keepingCapacity: true)
                while x < cols, screen[x, y].style == style {
                    let cell = screen[x, y]
                    if !cell.isContinuation {
                        if cell.width == 2 && x + 1 >= cols {
                            buffer.append(wchar_t(32))
                        } else {
                            for scalar in cell.text.unicodeScalars { buffer.append(wchar_t(bitPattern: scalar.value)) }
                        }
                    }
                    x += 1
                }
                _ = rs_attrset(attributes(for: style))
                buffer.append(0)
                // Writing the bottom-right cell returns ERR after drawing it (the cursor can't advance): expected.
                _ = rs_mvaddnwstr(Int32(y), Int32(start), buffer, Int32(buffer.count - 1))
            }
        }
        _ = rs_attrset(rs_attr_normal())
        if let cursor = screen.cursor, cursor.x < cols, cursor.y < rows {
            _ = curs_set(1)
            _ = rs_move(Int32(cursor.y), Int32(cursor.x))
        } else {
            _ = curs_set(0)
        }
        _ = rs_refresh()
        writeLinks(screen)
    }

    /// OSC 8 hyperlinks over the cells curses just painted (curses would count their bytes as cells), with the
    /// cursor saved and restored so curses' idea of it stays true. Best effort: a terminal that ignores OSC 8
    /// shows the same text.
    private func writeLinks(_ screen: Screen) {
        guard options.hyperlinks, !asciiOnly else { return }
        let bytes = screen.hyperlinkSequence(colors: colors)
        if !bytes.isEmpty { _ = rs_write_stdout(bytes) }
    }

    private func attributes(for style: CellStyle) -> UInt32 {
        var attrs = rs_attr_normal()
        if style.bold { attrs |= rs_attr_bold() }
        if style.dim { attrs |= rs_attr_dim() }
        if style.reverse { attrs |= rs_attr_reverse() }
        if style.underline { attrs |= rs_attr_underline() }
        if colors {
            switch style.role {
            case .normal: break
            case .title, .accent, .good, .warning, .error, .muted: attrs |= rs_color_pair(Int32(style.role.rawValue))
            }
        } else {
            // Monochrome: roles become attributes so state stays distinguishable.
            switch style.role {
            case .normal, .good: break
            case .title, .accent, .warning: attrs |= rs_attr_bold()
            case .error: attrs |= rs_attr_bold() | rs_attr_underline()
            case .muted: attrs |= rs_attr_dim()
            }
        }
        return attrs
    }
}
