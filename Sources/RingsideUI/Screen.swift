/// One terminal cell: a grapheme cluster and its style. A wide grapheme occupies its cell
/// (`width == 2`) and the next one, which is a continuation (`width == 0`, empty text).
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: Int
    public var style: CellStyle

    public init(text: String, width: Int, style: CellStyle) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell(text: " ", width: 1, style: .normal)
    public var isContinuation: Bool { width == 0 }
}

/// A rectangle on the screen, in cells.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < x + width && py >= y && py < y + height
    }
}

/// Something a mouse click on a region does.
public enum ClickTarget: Hashable, Sendable {
    /// A button: runs the command as if its key was pressed.
    case command(ConsoleCommand)
    /// A row of a list (index into the list's items).
    case row(ListID, Int)
    /// A pane header/tab: focuses the pane.
    case focus(Pane)
    /// A button in a modal box: acts as pressing the key.
    case key(Key)
}

/// Which list a clicked row belongs to.
public enum ListID: Hashable, Sendable {
    case numbers, history, searchMatches, dispositions, notReadyReasons
}

/// A clickable region of the rendered screen.
public struct ClickRegion: Hashable, Sendable {
    public var rect: Rect
    public var target: ClickTarget
}

/// A grid of styled cells plus the clickable regions drawn on it: the pure output of `render`.
public struct Screen: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    public private(set) var regions: [ClickRegion] = []
    /// OSC 8 hyperlinks over drawn cells (`addLink`); written by the terminal after painting.
    public internal(set) var links: [HyperlinkSpan] = []
    /// Where the terminal cursor should be shown (a text field being edited), if anywhere.
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes sanitised `text` at (x, y), clipped to `maxWidth` columns (and the screen edge);
    /// truncates with `…` when `ellipsis` is set. Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .normal, maxWidth: Int? = nil, ellipsis: Bool = true) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - max(0, x))
        guard limit > 0 else { return 0 }
        let safe = TextSanitizer.clean(text)
        let fitted = ellipsis ? TextFitting.truncate(safe, to: limit) : safe
        if fitted.utf8.allSatisfy({ $0 < 0x80 }) {
            // Fast path: printable ASCII (controls were replaced by the sanitiser), one cell per byte.
            var col = x
            for byte in fitted.utf8 {
                if col >= x + limit { break }
                if col >= 0 {
                    clearWide(at: col, y: y)
                    cells[y * width + col] = Cell(text: Self.ascii[Int(byte)], width: 1, style: style)
                }
                col += 1
            }
            return col - x
        }
        var col = x
        for character in fitted {
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A stray zero-width grapheme: attach it to the previous cell if any.
                if col > x, col - 1 >= 0 {
                    var prev = col - 1
                    if cells[y * width + prev].isContinuation, prev > 0 { prev -= 1 }
                    cells[y * width + prev].text.append(character)
                }
                continue
            }
            if col + w > x + limit { break }
            if col >= 0 {
                clearWide(at: col, y: y)
                cells[y * width + col] = Cell(text: String(character), width: w, style: style)
                if w == 2 {
                    clearWide(at: col + 1, y: y)
                    cells[y * width + col + 1] = Cell(text: "", width: 0, style: style)
                }
            }
            col += w
        }
        return col - x
    }

    /// One-character strings for every ASCII byte (no allocation per cell).
    private static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: CellStyle = .normal) {
        for row in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for col in max(0, rect.x)..<min(width, rect.x + rect.width) {
                clearWide(at: col, y: row)
                cells[row * width + col] = Cell(text: " ", width: 1, style: style)
            }
        }
    }

    /// Draws a horizontal line of `─` with an optional title.
    public mutating func hline(y: Int, x: Int, width w: Int, title: String? = nil, style: CellStyle = .muted, titleStyle: CellStyle = .title) {
        put(String(repeating: "─", count: max(0, w)), x: x, y: y, style: style, maxWidth: w, ellipsis: false)
        if let title, w > 4 {
            put(" \(title) ", x: x + 1, y: y, style: titleStyle, maxWidth: w - 2)
        }
    }

    /// Registers a clickable region (later regions win when they overlap).
    public mutating func addRegion(_ rect: Rect, _ target: ClickTarget) {
        regions.append(ClickRegion(rect: rect, target: target))
    }

    /// The target under (x, y), topmost first.
    public func hitTest(x: Int, y: Int) -> ClickTarget? {
        regions.last { $0.rect.contains(x: x, y: y) }?.target
    }

    /// Removes every region (used when a modal overlay covers the screen).
    public mutating func clearRegions() { regions.removeAll() }

    /// Removes every hyperlink (a modal overlay covers the cells they were on).
    public mutating func clearLinks() { links.removeAll() }

    /// The text of row `y`, trailing spaces removed.
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width {
            let cell = self[x, y]
            if !cell.isContinuation { s += cell.text }
        }
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// The whole screen as text, one line per row (for golden files and debugging).
    public var text: String {
        (0..<height).map(line).joined(separator: "\n")
    }

    /// If (col, y) is half of a wide character, blanks the other half.
    private mutating func clearWide(at col: Int, y: Int) {
        guard col >= 0, col < width else { return }
        let i = y * width + col
        if cells[i].isContinuation, col > 0 {
            cells[i - 1] = Cell(text: " ", width: 1, style: cells[i - 1].style)
        } else if cells[i].width == 2, col + 1 < width {
            cells[i + 1] = Cell(text: " ", width: 1, style: cells[i + 1].style)
        }
    }
}
