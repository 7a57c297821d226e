import Foundation

/// SplitMix64: the one small, seedable generator (same sequence for the same seed on every platform), so `ringside
/// simulate`, the supervisor's team simulator and the tests can print a seed and replay it.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable {
    public var state: UInt64

    /// Starts from `state` as given: `ringside simulate --seed N` and the tests' fuzzers use the seed itself.
    public init(state: UInt64) { self.state = state }

    /// Mixes `seed` first so small neighbouring seeds give unrelated sequences (the team simulator's seeds).
    public init(seed: UInt64) { state = (seed &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
    /// An index in 0..<count (0 when count is 0).
    public mutating func index(_ count: Int) -> Int { Int(next() % UInt64(max(1, count))) }
    /// Exponentially distributed with this mean.
    public mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }
}
