import HDL

/// Packing of equal-width lanes into one beat: lane 0 in the least
/// significant bits, each value as two's complement (signed formats) or
/// unsigned, `bits` wide.
public enum Lanes {
    /// `values` side by side, lane 0 lowest (one zero bit for no values).
    public static func pack(_ values: [Int], bits: Int) -> BitVector {
        let vectors = values.reversed().map { BitVector(width: bits, truncating: $0) }
        guard let first = vectors.first else { return .zero(width: 1) }
        return vectors.dropFirst().reduce(first) { $0.concatenated($1) }
    }

    /// The `count` lanes of `beat`, read signed or unsigned.
    public static func unpack(_ beat: BitVector, count: Int, bits: Int, signed: Bool) -> [Int] {
        (0..<count).map { lane in
            let value = beat.slice(high: lane * bits + bits - 1, low: lane * bits)
            return (signed ? value.signedValue : value.unsignedValue.map { Int($0) }) ?? 0
        }
    }
}
