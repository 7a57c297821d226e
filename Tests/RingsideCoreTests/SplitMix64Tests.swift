import RingsideCore
import Testing

/// The one seeded generator: its sequences are what `ringside simulate --seed N`, the team simulator and every
/// printed test seed replay, so they are pinned (reference values: Vigna's splitmix64.c, and Python below).
@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test func stateSeedsFollowTheReferenceSequence() {
        var zero = SplitMix64(state: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        // `ringside simulate --seed 42` starts here.
        var simulate = SplitMix64(state: 42)
        #expect([simulate.next(), simulate.next(), simulate.next()] == [0xBDD7_3226_2FEB_6E95, 0x28EF_E333_B266_F103, 0x4752_6757_130F_9F52])
    }

    @Test func mixedSeedsAreTheTeamSimulatorsSequence() {
        // state = (seed × golden gamma) XOR 0xD1B54A32D192ED03, then the same steps.
        var team = SplitMix64(seed: 42)
        #expect([team.next(), team.next(), team.next()] == [0x9EB1_C93D_A1D6_C282, 0xEB8F_0963_9C9A_2981, 0xC6EF_7B49_9863_F55D])
    }

    @Test func helpersStayInTheirRanges() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<10_000 {
            let unit = rng.unit()
            #expect(unit >= 0 && unit < 1)
            let index = rng.index(5)
            #expect((0..<5).contains(index))
            let uniform = rng.uniform(2, 3)
            #expect(uniform >= 2 && uniform < 3)
            #expect(rng.exponential(mean: 10) >= 0)
        }
        #expect(rng.index(0) == 0)
    }
}
