import RingsideCore

/// The console's name for `RingsideCore.SafeText`, the one sanitiser for outside text (moved to the core so the
/// CLI uses the same rules).
public typealias TextSanitizer = SafeText
