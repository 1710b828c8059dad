/// Arithmetic, logic, shifts, comparisons and bit rearrangement on bit vectors.
///
/// Every operation is defined on the bits, modulo `2^width`, exactly as the
/// hardware computes it; operations that need equal widths check it with a
/// precondition (the DSL reports width errors long before values meet).
extension BitVector {
    private func requireSameWidth(_ other: BitVector, _ operation: String) {
        precondition(width == other.width, "\(operation): widths \(width) and \(other.width) differ")
    }

    // MARK: Arithmetic (modulo 2^width)

    /// Sum modulo `2^width`.
    public func adding(_ other: BitVector) -> BitVector {
        requireSameWidth(other, "add")
        var result = words
        var carry: UInt64 = 0
        for index in result.indices {
            let (partial, overflow1) = result[index].addingReportingOverflow(other.words[index])
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            result[index] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return BitVector(width: width, words: result)
    }

    /// Difference modulo `2^width`.
    public func subtracting(_ other: BitVector) -> BitVector {
        requireSameWidth(other, "subtract")
        return adding(other.negated())
    }

    /// Two's-complement negation modulo `2^width`.
    public func negated() -> BitVector {
        inverted().adding(BitVector(width: width, truncating: 1 as UInt64))
    }

    /// Product of the unsigned views, truncated to `resultWidth` bits. For a
    /// two's-complement product, sign-extend both operands to `resultWidth` first.
    public func multipliedFull(by other: BitVector, resultWidth: Int) -> BitVector {
        let count = BitVector.wordCount(forWidth: resultWidth)
        var result = Array(repeating: UInt64(0), count: count)
        for i in words.indices where words[i] != 0 {
            var carry: UInt64 = 0
            for j in other.words.indices where i + j < count {
                let (high, low) = words[i].multipliedFullWidth(by: other.words[j])
                let (sum1, overflow1) = result[i + j].addingReportingOverflow(low)
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                result[i + j] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            }
            var k = i + other.words.count
            while carry != 0 && k < count {
                let (sum, overflow) = result[k].addingReportingOverflow(carry)
                result[k] = sum
                carry = overflow ? 1 : 0
                k += 1
            }
        }
        return BitVector(width: resultWidth, words: result)
    }

    // MARK: Logic

    /// Bitwise complement.
    public func inverted() -> BitVector { BitVector(width: width, words: words.map { ~$0 }) }

    /// Bitwise AND.
    public func and(_ other: BitVector) -> BitVector {
        requireSameWidth(other, "and")
        return BitVector(width: width, words: zip(words, other.words).map { $0 & $1 })
    }

    /// Bitwise OR.
    public func or(_ other: BitVector) -> BitVector {
        requireSameWidth(other, "or")
        return BitVector(width: width, words: zip(words, other.words).map { $0 | $1 })
    }

    /// Bitwise XOR.
    public func xor(_ other: BitVector) -> BitVector {
        requireSameWidth(other, "xor")
        return BitVector(width: width, words: zip(words, other.words).map { $0 ^ $1 })
    }

    /// Whether all bits are one.
    public var andReduced: Bool { self == BitVector.ones(width: width) }
    /// Whether any bit is one.
    public var orReduced: Bool { !isZero }
    /// Whether an odd number of bits are one.
    public var xorReduced: Bool { words.reduce(0) { $0 + $1.nonzeroBitCount } % 2 == 1 }

    // MARK: Shifts

    /// Logical left shift; bits shifted past the top are lost.
    public func shiftedLeft(by amount: Int) -> BitVector {
        guard amount < width else { return .zero(width: width) }
        let wordShift = amount / 64, bitShift = UInt64(amount % 64)
        var result = Array(repeating: UInt64(0), count: words.count)
        for index in stride(from: words.count - 1, through: wordShift, by: -1) {
            var value = words[index - wordShift] << bitShift
            if bitShift > 0 && index - wordShift - 1 >= 0 {
                value |= words[index - wordShift - 1] >> (64 - bitShift)
            }
            result[index] = value
        }
        return BitVector(width: width, words: result)
    }

    /// Right shift filling with zeros (`arithmetic: false`) or copies of the
    /// most significant bit (`arithmetic: true`).
    public func shiftedRight(by amount: Int, arithmetic: Bool = false) -> BitVector {
        let fill = arithmetic && mostSignificantBit
        guard amount < width else { return fill ? .ones(width: width) : .zero(width: width) }
        let wordShift = amount / 64, bitShift = UInt64(amount % 64)
        var result = Array(repeating: UInt64(0), count: words.count)
        for index in 0..<(words.count - wordShift) {
            var value = words[index + wordShift] >> bitShift
            if bitShift > 0 && index + wordShift + 1 < words.count {
                value |= words[index + wordShift + 1] << (64 - bitShift)
            }
            result[index] = value
        }
        var shifted = BitVector(width: width, words: result)
        if fill && amount > 0 {
            shifted = shifted.or(BitVector.ones(width: width).shiftedLeft(by: width - amount))
        }
        return shifted
    }

    /// A shift amount held in a vector, saturated to `Int` range.
    public var shiftAmount: Int {
        guard let value = unsignedValue, value < UInt64(Int.max) else { return Int.max }
        return Int(value)
    }

    // MARK: Comparison

    /// Unsigned (`signed: false`) or two's-complement less-than.
    public func isLess(than other: BitVector, signed: Bool) -> Bool {
        requireSameWidth(other, "compare")
        if signed && mostSignificantBit != other.mostSignificantBit { return mostSignificantBit }
        for index in stride(from: words.count - 1, through: 0, by: -1) where words[index] != other.words[index] {
            return words[index] < other.words[index]
        }
        return false
    }

    // MARK: Rearrangement

    /// Bits `high` down to `low`, inclusive, as a vector of `high - low + 1` bits.
    public func slice(high: Int, low: Int) -> BitVector {
        precondition(low >= 0 && high >= low && high < width, "slice [\(high):\(low)] of width \(width)")
        return shiftedRight(by: low).truncated(to: high - low + 1)
    }

    /// The low `newWidth` bits.
    public func truncated(to newWidth: Int) -> BitVector {
        precondition(newWidth <= width, "truncate \(width) bits to \(newWidth)")
        return BitVector(width: newWidth, words: words)
    }

    /// Widened with zeros.
    public func zeroExtended(to newWidth: Int) -> BitVector {
        precondition(newWidth >= width, "zero-extend \(width) bits to \(newWidth)")
        return BitVector(width: newWidth, words: words)
    }

    /// Widened with copies of the most significant bit.
    public func signExtended(to newWidth: Int) -> BitVector {
        precondition(newWidth >= width, "sign-extend \(width) bits to \(newWidth)")
        let widened = zeroExtended(to: newWidth)
        guard mostSignificantBit, newWidth > width else { return widened }
        return widened.or(BitVector.ones(width: newWidth).shiftedLeft(by: width))
    }

    /// `self` in the high bits, `low` in the low bits (Verilog `{self, low}`).
    public func concatenated(_ low: BitVector) -> BitVector {
        zeroExtended(to: width + low.width).shiftedLeft(by: low.width).or(low.zeroExtended(to: width + low.width))
    }
}
