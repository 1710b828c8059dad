import Foundation

/// Float to integer conversion of the reference model.
///
/// Quantization is symmetric with no zero point: a real value `x` with scale
/// `s` becomes `q = saturate(round(x / s))`, and `q` stands for `q * s`.
/// Rounding is **round half to even** (banker's rounding), the rule of
/// `numpy.round` and of PyTorch's `quantize_per_tensor`, so tensors quantized
/// upstream in Python match ours. Saturation clamps to the format; an
/// unsigned format therefore maps negative values to 0. NaN maps to 0 and
/// infinities to the nearest end of the format.
public enum Quantizer {
    /// `round(x / scale)` with ties to even, saturated to `format`.
    public static func quantize(_ x: Double, scale: Double, format: IntegerFormat) -> Int {
        let scaled = (x / scale).rounded(.toNearestOrEven)
        if scaled.isNaN { return format.saturate(0) }
        if scaled >= Double(format.maxValue) { return format.maxValue }
        if scaled <= Double(format.minValue) { return format.minValue }
        return Int(scaled)
    }

    /// The integer threshold of a tree node whose real threshold is `t`:
    /// `ceil(t / scale)`, saturated to `format` (NaN to 0). An input on the
    /// grid, `x = q * scale`, is at or above `t` exactly when `q` is at or
    /// above the integer threshold, so zeros (ReLU outputs, padding) and
    /// integer outputs taken as they are go the way the float tree sends
    /// them; an input rounded to `q` goes the way the nearest boundary
    /// `(q - 1/2) * scale` sends it. (Rounding `t` instead would send a
    /// zero right of every threshold below `scale / 2`.)
    public static func threshold(_ t: Double, scale: Double, format: IntegerFormat) -> Int {
        let scaled = (t / scale).rounded(.up)
        if scaled.isNaN { return format.saturate(0) }
        if scaled >= Double(format.maxValue) { return format.maxValue }
        if scaled <= Double(format.minValue) { return format.minValue }
        return Int(scaled)
    }

    /// The scale that maps `magnitude` (the largest absolute value to keep)
    /// to the largest positive value of `format`; 1 when `magnitude` is 0 or
    /// not finite, so all-zero tensors quantize to zeros.
    public static func scale(forMagnitude magnitude: Double, format: IntegerFormat) -> Double {
        guard magnitude > 0, magnitude.isFinite else { return 1 }
        return magnitude / Double(format.maxValue)
    }

    /// The scale for `values` in `format`, chosen by `choice`; 1 when every
    /// value is 0 or none is finite.
    public static func scale(for values: [Double], format: IntegerFormat, choice: ScaleChoice) -> Double {
        let largest = magnitude(of: values)
        guard choice == .minimumError, largest > 0, largest.isFinite else { return scale(forMagnitude: largest, format: format) }
        var best = (error: Double.infinity, scale: scale(forMagnitude: largest, format: format))
        // Zeros quantize to zero at every scale: they add no error to any candidate.
        let counted = values.filter { $0 != 0 && $0.isFinite }
        for step in stride(from: ScaleChoice.steps, through: ScaleChoice.steps / 4, by: -1) {
            let candidate = scale(forMagnitude: largest * Double(step) / Double(ScaleChoice.steps), format: format)
            var error = 0.0
            for v in counted {
                let e = v - Double(quantize(v, scale: candidate, format: format)) * candidate
                error += e * e
            }
            if error < best.error { best = (error, candidate) }
        }
        return best.scale
    }

    /// The largest absolute value among `values` (0 when empty; NaN skipped).
    public static func magnitude<S: Sequence>(of values: S) -> Double where S.Element == Double {
        values.reduce(0) { $1.isNaN ? $0 : max($0, abs($1)) }
    }
}

/// How a quantization scale is chosen from the values it must represent.
public enum ScaleChoice: String, Codable, Sendable, CaseIterable {
    /// The largest magnitude maps to the format's largest value: nothing saturates.
    case maximum
    /// The clipping magnitude, among `k/64` of the largest for `k = 16...64`,
    /// whose rounding and saturation leave the least squared error over the
    /// values: a few outliers saturate so the rest get finer steps, which
    /// matters at 2 to 6 bits.
    case minimumError

    static let steps = 64
}

/// The scales that relate an integer layer to the real values it stands for.
///
/// - `input`: the scale of activations and prototypes, shared by both so their
///   integer distances compare like with like; one value (per tensor) or `Ns`
///   values (per subspace: the column's values in subspace `s` use `input[s]`).
/// - `table`: the scale of table entries and of the bias (they are summed in
///   one accumulator, so they share it).
/// - `output`: the scale of the requantized outputs.
public struct QuantizationScales: Codable, Sendable, Hashable {
    /// Activation and prototype scale, per tensor (1 value) or per subspace (`Ns` values).
    public var input: [Double]
    /// Table entry and bias scale.
    public var table: Double
    /// Output scale.
    public var output: Double

    /// Scales as given; see the type's documentation for their meaning.
    public init(input: [Double], table: Double, output: Double) {
        self.input = input
        self.table = table
        self.output = output
    }

    /// The input scale of subspace `s`.
    public func inputScale(subspace s: Int) -> Double {
        input.count == 1 ? input[0] : input[s]
    }

    /// Checks that every scale is finite and positive and that `input` has 1 or `ns` values.
    public func validate(ns: Int) throws {
        guard input.count == 1 || input.count == ns else {
            throw PQError.sizeMismatch(field: "scales.input", expected: "1 or Ns = \(ns) values", found: "\(input.count)")
        }
        for (name, values) in [("scales.input", input), ("scales.table", [table]), ("scales.output", [output])] {
            for (i, v) in values.enumerated() where !(v > 0 && v.isFinite) {
                throw PQError.parameterOutOfRange(field: "\(name)[\(i)]", value: "\(v)", allowed: "finite values > 0")
            }
        }
    }
}
