import RingsideCore

/// The tests' seeded generator: RingsideCore's `SplitMix64`, so every property and fuzz run is reproducible from the
/// seed it prints (start it with `SeededRNG(state: seed)`).
public typealias SeededRNG = SplitMix64
