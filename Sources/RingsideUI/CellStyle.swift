/// Semantic colour of a cell; the terminal maps roles to colours, or to attributes in monochrome.
public enum ColorRole: Int, Hashable, Sendable, CaseIterable {
    case normal
    /// Titles and section headers.
    case title
    /// Keys, buttons and the focused element.
    case accent
    /// Good news: ready, connected, delivered.
    case good
    /// Needs attention: ringing, on hold, wrap-up, queued.
    case warning
    /// Errors, failed delivery, hostile input markers.
    case error
    /// Secondary information.
    case muted
}

/// How one cell looks.
public struct CellStyle: Hashable, Sendable {
    public var role: ColorRole
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(role: ColorRole = .normal, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = CellStyle()
    public static let bold = CellStyle(bold: true)
    public static let dim = CellStyle(role: .muted, dim: true)
    public static let reverse = CellStyle(reverse: true)
    public static let title = CellStyle(role: .title, bold: true)
    public static let accent = CellStyle(role: .accent, bold: true)
    public static let good = CellStyle(role: .good)
    public static let warning = CellStyle(role: .warning, bold: true)
    public static let error = CellStyle(role: .error, bold: true)
    public static let muted = CellStyle(role: .muted)
    public static let selected = CellStyle(role: .accent, reverse: true)

    /// The same style, dimmed (used for commands that don't apply now).
    public var dimmed: CellStyle {
        var copy = self
        copy.dim = true
        copy.bold = false
        copy.role = .muted
        return copy
    }
}
