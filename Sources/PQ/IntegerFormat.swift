/// A fixed-width two's-complement (signed) or plain binary (unsigned) integer
/// format, 2 to 32 bits.
///
/// Signed `b` bits hold `[-2^(b-1), 2^(b-1) − 1]`, unsigned `[0, 2^b − 1]`.
/// In JSON it is `{"bits": 8, "signed": true}`; decoding validates it.
public struct IntegerFormat: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Width in bits.
    public let bits: Int
    /// Whether values are two's complement.
    public let signed: Bool

    /// The widths any format may have; each layer field narrows this further
    /// (see ``LayerFormats``).
    public static let supportedBits = 2...32

    /// A format; throws when `bits` is outside ``supportedBits``.
    public init(bits: Int, signed: Bool) throws {
        guard IntegerFormat.supportedBits.contains(bits) else {
            throw PQError.parameterOutOfRange(
                field: "integer format bits", value: "\(bits)", allowed: "\(IntegerFormat.supportedBits)")
        }
        self.bits = bits
        self.signed = signed
    }

    /// A signed format of `bits` bits (2...32).
    public static func signed(_ bits: Int) throws -> IntegerFormat { try IntegerFormat(bits: bits, signed: true) }
    /// An unsigned format of `bits` bits (2...32).
    public static func unsigned(_ bits: Int) throws -> IntegerFormat { try IntegerFormat(bits: bits, signed: false) }

    private enum CodingKeys: String, CodingKey { case bits, signed }

    /// Decodes and validates `{"bits": b, "signed": s}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let bits = try container.decode(Int.self, forKey: .bits)
        let signed = try container.decode(Bool.self, forKey: .signed)
        do {
            try self.init(bits: bits, signed: signed)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .bits, in: container,
                debugDescription: "bits is \(bits); an integer format has \(IntegerFormat.supportedBits) bits")
        }
    }

    /// The smallest representable value.
    public var minValue: Int { signed ? -(1 << (bits - 1)) : 0 }
    /// The largest representable value.
    public var maxValue: Int { signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1 }

    /// Whether `value` is representable.
    public func contains(_ value: Int) -> Bool { value >= minValue && value <= maxValue }

    /// `value` clamped to `[minValue, maxValue]`.
    public func saturate(_ value: Int) -> Int { min(max(value, minValue), maxValue) }

    /// `s8`, `u16`, ...
    public var description: String { (signed ? "s" : "u") + "\(bits)" }

    /// The narrowest width (any number of bits, at least 1) and signedness
    /// holding every integer in `lower...upper`: unsigned when `lower >= 0`,
    /// two's complement otherwise.
    public static func requiredBits(lower: Int, upper: Int) -> (bits: Int, signed: Bool) {
        let lo = min(lower, upper), hi = max(lower, upper)
        if lo >= 0 {
            return (max(1, bitLength(UInt(hi))), false)
        }
        // A negative value v needs bitLength(-v - 1) + 1 bits in two's complement.
        let negative = bitLength(UInt(-(lo + 1)))
        let positive = hi > 0 ? bitLength(UInt(hi)) : 0
        return (max(negative, positive) + 1, true)
    }

    /// Number of significant bits of `value` (0 for 0).
    static func bitLength(_ value: UInt) -> Int { UInt.bitWidth - value.leadingZeroBitCount }
}
