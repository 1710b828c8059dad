import Foundation

/// SplitMix64, the 64-bit generator used to expand one seed into a full state.
///
/// Sebastiano Vigna's public-domain algorithm: a Weyl sequence with increment
/// 0x9E3779B97F4A7C15 followed by a bit mixer. Fast and good enough on its own
/// for seeding; use ``SeededGenerator`` for data.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The current state; the next output mixes `state + 0x9E3779B97F4A7C15`.
    public var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The seedable generator of the project: xoshiro256** (Blackman and Vigna),
/// its 256-bit state filled from a 64-bit seed by ``SplitMix64``.
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded, so every
/// reproducible computation (k-means seeding, test data, hardware co-simulation
/// stimuli) takes one of these. The helpers below (`nextDouble`, `nextInt`,
/// `nextGaussian`) are defined here, not borrowed from the standard library,
/// so their sequences never change with a Swift release.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose state is expanded from `seed` by SplitMix64.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// A generator for one of several independent streams under one seed
    /// (for example one per subspace), so results do not depend on the order
    /// in which the streams are used.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        self.init(seed: mixer.next())
    }

    /// A generator with an explicit xoshiro256** state (for known-answer tests).
    /// An all-zero state is replaced by the state of seed 0, since xoshiro
    /// would stay at zero forever.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        if state == (0, 0, 0, 0) {
            self.init(seed: 0)
        } else {
            self = SeededGenerator(seed: 0)
            (s0, s1, s2, s3) = state
        }
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform double in [0, 1), from the top 53 bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` (bound > 0), without modulo bias
    /// (Lemire's multiply-and-reject method). Returns 0 when `bound <= 1`.
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let range = UInt64(bound)
        let threshold = (0 &- range) % range
        while true {
            let product = next().multipliedFullWidth(by: range)
            if product.low >= threshold {
                return Int(product.high)
            }
        }
    }

    /// A uniform integer in `range`.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// A standard normal sample (mean 0, deviation 1) by the Box-Muller
    /// transform; each call consumes two 64-bit outputs.
    public mutating func nextGaussian() -> Double {
        let u1 = 1.0 - nextDouble()  // (0, 1], keeps the logarithm finite
        let u2 = nextDouble()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
