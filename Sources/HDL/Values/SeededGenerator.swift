/// A small, fast, seedable random number generator (SplitMix64), so that
/// random tests and stimulus are reproducible from a printed seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random value of `width` bits, with the extremes (zero, one, all ones,
    /// the most negative and most positive two's-complement values) drawn
    /// far more often than chance, since that is where bugs hide.
    public mutating func bits(width: Int) -> BitVector {
        switch Int.random(in: 0..<8, using: &self) {
        case 0: return .zero(width: width)
        case 1: return .ones(width: width)
        case 2: return BitVector(width: width, truncating: 1 as UInt64)
        case 3: return BitVector.zero(width: width).or(BitVector(width: 1, truncating: 1 as UInt64).zeroExtended(to: width).shiftedLeft(by: width - 1))
        case 4: return BitVector.ones(width: width).shiftedRight(by: 1)
        default:
            return BitVector(width: width, words: (0..<BitVector.wordCount(forWidth: width)).map { _ in next() })
        }
    }
}
