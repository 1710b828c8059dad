/// Requantization of the accumulator to the output format.
///
/// For each output channel, with `acc` the table sum plus the bias:
///
/// ```
/// product = acc * multiplier
/// rounded = product + (shift > 0 ? 1 << (shift - 1) : 0)
/// shifted = rounded >> shift          // arithmetic shift: floor division by 2^shift
/// output  = saturate(shifted)          // clamp to the output format
/// output  = relu ? max(output, 0) : output
/// ```
///
/// The rounding is **round half up** (ties toward +∞): `(p + 2^(s−1)) >> s`
/// equals `floor(p / 2^s + 1/2)`, so −2.5 becomes −2 and 2.5 becomes 3. It is
/// what a hardware adder in front of the shifter computes. The multiplier is
/// a positive integer below `2^multiplierBits`; `multiplier / 2^shift`
/// approximates the ratio of the table scale to the output scale.
/// Saturation happens before ReLU; for any format the result is the same as
/// the other order.
public struct Requantization: Codable, Sendable, Hashable {
    /// The positive integer multiplier.
    public var multiplier: Int
    /// The right shift, 0...62.
    public var shift: Int
    /// Whether negative outputs become 0.
    public var relu: Bool

    /// A requantization step; it is checked against a configuration by ``check(against:)``.
    public init(multiplier: Int, shift: Int, relu: Bool = false) {
        self.multiplier = multiplier
        self.shift = shift
        self.relu = relu
    }

    /// The identity (multiplier 1, shift 0), useful when accumulators already
    /// are outputs.
    public static let identity = Requantization(multiplier: 1, shift: 0)

    /// Checks the multiplier against `configuration.multiplierBits` and the
    /// shift against `configuration.maxShift`.
    public func check(against configuration: PQConfiguration) throws {
        try configuration.validate()
        let maxMultiplier = (1 << configuration.multiplierBits) - 1
        try PQShape.check("requantization.multiplier", multiplier, 1...maxMultiplier)
        try PQShape.check("requantization.shift", shift, 0...configuration.maxShift)
    }

    /// Requantizes one accumulator value to `output`. The caller guarantees
    /// `accumulator * multiplier + 2^(shift−1)` stays within 2^62 (true for
    /// every accumulator of a layer whose ``HardwareWidths`` were derived).
    public func apply(_ accumulator: Int, output: IntegerFormat) -> Int {
        let shifted = Requantization.roundingShift(accumulator * multiplier, by: shift)
        let saturated = output.saturate(shifted)
        return relu ? max(saturated, 0) : saturated
    }

    /// `(value + 2^(shift−1)) >> shift` with an arithmetic shift (round half
    /// up); `value` itself when `shift` is 0.
    public static func roundingShift(_ value: Int, by shift: Int) -> Int {
        guard shift > 0 else { return value }
        return (value + (1 << (shift - 1))) >> shift
    }

    /// The multiplier and shift that best approximate `ratio` (> 0):
    /// the largest `shift <= maxShift` whose `round(ratio * 2^shift)` still
    /// fits `multiplierBits` bits, so the multiplier keeps as many significant
    /// bits as allowed.
    public static func approximating(ratio: Double, multiplierBits: Int, maxShift: Int, relu: Bool = false) throws -> Requantization {
        guard ratio > 0, ratio.isFinite else {
            throw PQError.parameterOutOfRange(field: "requantization ratio", value: "\(ratio)", allowed: "finite values > 0")
        }
        try PQShape.check("multiplierBits", multiplierBits, PQConfiguration.multiplierBitsRange)
        try PQShape.check("maxShift", maxShift, PQConfiguration.shiftRange)
        let maxMultiplier = Double((1 << multiplierBits) - 1)
        var best: Requantization?
        for shift in 0...maxShift {
            let m = (ratio * Double(sign: .plus, exponent: shift, significand: 1)).rounded(.toNearestOrEven)
            if m > maxMultiplier { break }
            if m >= 1 { best = Requantization(multiplier: Int(m), shift: shift, relu: relu) }
        }
        guard let result = best else {
            let tooLarge = ratio.rounded(.toNearestOrEven) > maxMultiplier
            throw PQError.parameterOutOfRange(
                field: "requantization ratio", value: "\(ratio)",
                allowed: tooLarge
                    ? "at most \(Int(maxMultiplier)) with \(multiplierBits) multiplier bits (widen the multiplier)"
                    : "at least 2^-\(maxShift + 1) with shifts up to \(maxShift) (allow a larger shift)")
        }
        return result
    }
}
