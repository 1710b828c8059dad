/// A fixed-width vector of bits: the one value type that hardware constants,
/// simulators and tests share.
///
/// A `BitVector` holds `width` bits (1 or more, no upper limit) in 64-bit words,
/// least significant word first. Bits above `width` are always zero. The same
/// bits can be read as an unsigned number or as a two's-complement number; the
/// vector itself carries no signedness.
public struct BitVector: Hashable, Sendable {
    /// Number of bits.
    public let width: Int
    /// The bits, least significant word first; bits above `width` are zero.
    public private(set) var words: [UInt64]

    /// Number of 64-bit words needed for `width` bits.
    @inlinable public static func wordCount(forWidth width: Int) -> Int { (width + 63) / 64 }

    /// Creates a vector from raw words, masking any bits above `width`.
    public init(width: Int, words: [UInt64]) {
        precondition(width >= 1, "BitVector width must be at least 1, got \(width)")
        let count = BitVector.wordCount(forWidth: width)
        var storage = Array(words.prefix(count))
        if storage.count < count { storage += Array(repeating: 0, count: count - storage.count) }
        self.width = width
        self.words = storage
        maskTopWord()
    }

    /// All-zero vector.
    public static func zero(width: Int) -> BitVector { BitVector(width: width, words: []) }

    /// All-ones vector (the unsigned maximum, or -1 as two's complement).
    public static func ones(width: Int) -> BitVector {
        BitVector(width: width, words: Array(repeating: ~0, count: wordCount(forWidth: width)))
    }

    /// The low `width` bits of an unsigned value.
    public init(width: Int, truncating value: UInt64) {
        self.init(width: width, words: [value])
    }

    /// The low `width` bits of a two's-complement value (sign-extended first).
    public init(width: Int, truncating value: Int) {
        let fill: UInt64 = value < 0 ? ~0 : 0
        var storage = Array(repeating: fill, count: BitVector.wordCount(forWidth: width))
        storage[0] = UInt64(bitPattern: Int64(value))
        self.init(width: width, words: storage)
    }

    /// The vector of `width` bits holding `value`, or nil when `value` does not
    /// fit: unsigned `0 ..< 2^width` when `signed` is false, two's complement
    /// `-2^(width-1) ..< 2^(width-1)` when it is true.
    public init?(width: Int, exactly value: Int, signed: Bool) {
        guard width >= 1, BitVector.fits(value, width: width, signed: signed) else { return nil }
        self.init(width: width, truncating: value)
    }

    /// Whether `value` is representable in `width` bits with the given signedness.
    public static func fits(_ value: Int, width: Int, signed: Bool) -> Bool {
        if signed {
            if width >= 64 { return true }
            let limit = 1 << (width - 1)
            return value >= -limit && value < limit
        }
        if value < 0 { return false }
        if width >= 63 { return true }
        return value < (1 << width)
    }

    /// Parses hexadecimal digits (no prefix; `_` separators allowed). Returns nil
    /// on a non-hex character or when the value needs more than `width` bits.
    public init?(width: Int, hex: String) {
        guard width >= 1 else { return nil }
        var storage = Array(repeating: UInt64(0), count: BitVector.wordCount(forWidth: width))
        var bitIndex = 0
        for character in hex.reversed() where character != "_" {
            guard let digit = character.hexDigitValue else { return nil }
            for bit in 0..<4 where (digit >> bit) & 1 == 1 {
                let position = bitIndex + bit
                guard position < width else { return nil }
                storage[position / 64] |= 1 << UInt64(position % 64)
            }
            bitIndex += 4
        }
        self.init(width: width, words: storage)
    }

    private mutating func maskTopWord() {
        let spare = words.count * 64 - width
        if spare > 0 { words[words.count - 1] &= ~0 >> UInt64(spare) }
    }

    // MARK: Bits

    /// The bit at `index` (0 is the least significant).
    public func bit(_ index: Int) -> Bool {
        precondition(index >= 0 && index < width, "bit \(index) out of range for width \(width)")
        return (words[index / 64] >> UInt64(index % 64)) & 1 == 1
    }

    /// The most significant bit: the sign in the two's-complement view.
    public var mostSignificantBit: Bool { bit(width - 1) }

    /// Whether every bit is zero.
    public var isZero: Bool { words.allSatisfy { $0 == 0 } }

    // MARK: Views

    /// The unsigned value when it fits in 64 bits, else nil.
    public var unsignedValue: UInt64? {
        words.dropFirst().allSatisfy { $0 == 0 } ? words[0] : nil
    }

    /// The two's-complement value when it fits in `Int`, else nil.
    public var signedValue: Int? {
        let extended = signExtended(to: words.count * 64)
        let high: UInt64 = extended.words[0] >> 63 == 1 ? ~0 : 0
        guard extended.words.dropFirst().allSatisfy({ $0 == high }) else { return nil }
        return Int(Int64(bitPattern: extended.words[0]))
    }

    /// The low 64 bits, regardless of width.
    public var lowWord: UInt64 { words[0] }

    /// Hexadecimal digits, most significant first, zero-padded to the width.
    public var hexString: String {
        let digits = (width + 3) / 4
        var text = ""
        text.reserveCapacity(digits)
        for digit in stride(from: digits - 1, through: 0, by: -1) {
            let position = digit * 4
            let value = (words[position / 64] >> UInt64(position % 64)) & 0xF
            text.append(Character(String(value, radix: 16)))
        }
        return text
    }

    /// Decimal digits of the unsigned view.
    public var unsignedDecimalString: String {
        if let value = unsignedValue { return String(value) }
        var remaining = words
        var digits: [Character] = []
        while remaining.contains(where: { $0 != 0 }) {
            var carry: UInt64 = 0
            for index in stride(from: remaining.count - 1, through: 0, by: -1) {
                let (quotient, remainder) = (10 as UInt64).dividingFullWidth((carry, remaining[index]))
                remaining[index] = quotient
                carry = remainder
            }
            digits.append(Character(String(carry)))
        }
        return String(digits.reversed())
    }

    /// Decimal digits of the two's-complement view.
    public var signedDecimalString: String {
        // The negation of the most negative value, read unsigned, is its magnitude.
        mostSignificantBit ? "-" + negated().unsignedDecimalString : unsignedDecimalString
    }
}

extension BitVector: CustomStringConvertible {
    /// `width'hDIGITS`, the Verilog spelling.
    public var description: String { "\(width)'h\(hexString)" }
}
