@testable import HDL

/// A deliberately naive bit-list model of two's-complement arithmetic, used to
/// check `BitVector` at widths where Swift has no native integer.
struct ReferenceBits: Equatable {
    var bits: [Bool]  // least significant first

    init(_ value: BitVector) { bits = (0..<value.width).map { value.bit($0) } }
    init(bits: [Bool]) { self.bits = bits }

    var vector: BitVector {
        var words = Array(repeating: UInt64(0), count: BitVector.wordCount(forWidth: bits.count))
        for (index, bit) in bits.enumerated() where bit { words[index / 64] |= 1 << UInt64(index % 64) }
        return BitVector(width: bits.count, words: words)
    }

    func add(_ other: ReferenceBits) -> ReferenceBits {
        var carry = false
        var result: [Bool] = []
        for (a, b) in zip(bits, other.bits) {
            result.append((a != b) != carry)
            carry = (a && b) || (carry && (a != b))
        }
        return ReferenceBits(bits: result)
    }

    func not() -> ReferenceBits { ReferenceBits(bits: bits.map { !$0 }) }

    func negate() -> ReferenceBits {
        not().add(ReferenceBits(bits: [true] + Array(repeating: false, count: bits.count - 1)))
    }

    /// Shift-and-add product, truncated to `width` bits.
    func multiply(_ other: ReferenceBits, width: Int) -> ReferenceBits {
        var total = ReferenceBits(bits: Array(repeating: false, count: width))
        let a = ReferenceBits(bits: Array((bits + Array(repeating: false, count: width)).prefix(width)))
        for (index, bit) in other.bits.enumerated() where bit && index < width {
            let shifted = Array(repeating: false, count: index) + a.bits.prefix(width - index)
            total = total.add(ReferenceBits(bits: shifted))
        }
        return total
    }

    func lessUnsigned(_ other: ReferenceBits) -> Bool {
        for index in bits.indices.reversed() where bits[index] != other.bits[index] { return other.bits[index] }
        return false
    }
}
