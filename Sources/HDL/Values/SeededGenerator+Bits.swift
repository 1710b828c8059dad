@_exported import Randomness

extension SeededGenerator {
    /// A random value of `width` bits, with the extremes (zero, one, all ones,
    /// the most negative and most positive two's-complement values) drawn
    /// far more often than chance, since that is where bugs hide.
    public mutating func bits(width: Int) -> BitVector {
        switch nextInt(below: 8) {
        case 0: return .zero(width: width)
        case 1: return .ones(width: width)
        case 2: return BitVector(width: width, truncating: 1 as UInt64)
        case 3: return BitVector(width: 1, truncating: 1 as UInt64).zeroExtended(to: width).shiftedLeft(by: width - 1)
        case 4: return BitVector.ones(width: width).shiftedRight(by: 1)
        default:
            return BitVector(width: width, words: (0..<BitVector.wordCount(forWidth: width)).map { _ in next() })
        }
    }
}
