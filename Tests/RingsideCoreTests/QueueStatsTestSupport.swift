import RingsideCore

/// The queue figures after `events`, applied in order (the queue suites' common start).
func stats(_ events: [QueueEvent], settings: QueueSettings = QueueSettings()) -> QueueStats {
    var s = QueueStats(settings: settings)
    for e in events { s.apply(e) }
    return s
}
