/// Integer formats of a conventional (multiply-accumulate) layer.
public struct LinearFormats: Codable, Sendable, Hashable {
    /// Input activations (the column values).
    public var activation: IntegerFormat
    /// Weights.
    public var weight: IntegerFormat
    /// Bias values (added to the accumulator before requantization).
    public var bias: IntegerFormat
    /// Requantized outputs.
    public var output: IntegerFormat

    /// Formats as given; ``validate()`` checks them.
    public init(activation: IntegerFormat, weight: IntegerFormat, bias: IntegerFormat, output: IntegerFormat) {
        self.activation = activation
        self.weight = weight
        self.bias = bias
        self.output = output
    }

    /// Checks each width against its field's range (those of ``LayerFormats``).
    public func validate() throws {
        for (field, format) in [("formats.activation", activation), ("formats.weight", weight), ("formats.output", output)] {
            try PQShape.check("\(field).bits", format.bits, LayerFormats.dataBits)
        }
        try PQShape.check("formats.bias.bits", bias.bits, LayerFormats.biasBits)
    }

    /// The exact range of `sum over d of activation * weight + bias`, for
    /// columns of length `d`: the accumulator a multiply-accumulate array needs.
    public func accumulatorBound(d: Int) throws -> WidthBound {
        try PQShape.check("D", d, 1...(1 << 24))
        let corners = [activation.minValue * weight.minValue, activation.minValue * weight.maxValue,
                       activation.maxValue * weight.minValue, activation.maxValue * weight.maxValue]
        let (low, lowOverflow) = d.multipliedReportingOverflow(by: corners.min() ?? 0)
        let (high, highOverflow) = d.multipliedReportingOverflow(by: corners.max() ?? 0)
        let lower = low + bias.minValue, upper = high + bias.maxValue
        guard !lowOverflow, !highOverflow, lower > -(1 << 62), upper < 1 << 62 else {
            throw PQError.boundTooLarge(quantity: "accumulator", bound: "D \(d) x \(activation) x \(weight)",
                                        fix: "use a shorter column or narrower formats")
        }
        return WidthBound("accumulator", lower: lower, upper: upper,
                          reason: "\(d) products of \(activation) x \(weight), plus a \(bias) bias")
    }
}

/// A conventional integer layer: an exact matrix product, bias and
/// requantization. It is the golden model of the multiply-accumulate
/// baseline, and what a PQ layer approximates.
///
/// ```
/// accumulator[c] = sum over d of column[d] * weights[c][d] + bias[c]
/// output[c]      = requantization.apply(accumulator[c])
/// ```
public struct IntegerLinearLayer: Sendable, Hashable {
    /// `Cout` rows of `D` weights.
    public let weights: [[Int]]
    /// One bias per output channel.
    public let bias: [Int]
    public let formats: LinearFormats
    public let requantization: Requantization

    /// A layer; throws when sizes disagree or a value leaves its format.
    public init(weights: [[Int]], bias: [Int], formats: LinearFormats, requantization: Requantization) throws {
        try formats.validate()
        guard let d = weights.first?.count, d > 0 else {
            throw PQError.parameterOutOfRange(field: "weights", value: "\(weights.count) rows of \(weights.first?.count ?? 0)",
                                              allowed: "at least one row of at least one weight")
        }
        for (row, values) in weights.enumerated() {
            guard values.count == d else {
                throw PQError.sizeMismatch(field: "weights[\(row)]", expected: "\(d) weights", found: "\(values.count)")
            }
            if let column = values.firstIndex(where: { !formats.weight.contains($0) }) {
                throw PQError.valueOutOfFormat(field: "weights", index: [row, column], value: values[column], format: formats.weight)
            }
        }
        guard bias.count == weights.count else {
            throw PQError.sizeMismatch(field: "bias", expected: "\(weights.count) values (one per channel)", found: "\(bias.count)")
        }
        if let index = bias.firstIndex(where: { !formats.bias.contains($0) }) {
            throw PQError.valueOutOfFormat(field: "bias", index: [index], value: bias[index], format: formats.bias)
        }
        try PQShape.check("requantization.multiplier", requantization.multiplier, 1...Int(UInt32.max))
        try PQShape.check("requantization.shift", requantization.shift, PQConfiguration.shiftRange)
        let bound = try formats.accumulatorBound(d: d)
        let largest = max(-bound.minValue, bound.maxValue)
        let product = largest.multipliedReportingOverflow(by: requantization.multiplier)
        guard !product.overflow, product.partialValue < 1 << 62 else {
            throw PQError.boundTooLarge(quantity: "requantization product", bound: "\(largest) x \(requantization.multiplier)",
                                        fix: "use a smaller multiplier or narrower formats")
        }
        self.weights = weights
        self.bias = bias
        self.formats = formats
        self.requantization = requantization
    }

    /// Input length `D`.
    public var d: Int { weights.first?.count ?? 0 }
    /// Output channels `Cout`.
    public var cout: Int { weights.count }

    /// The exact accumulators (product plus bias) of one column of `D` activations.
    public func accumulators(column: [Int]) throws -> [Int] {
        guard column.count == d else {
            throw PQError.sizeMismatch(field: "column", expected: "\(d) values", found: "\(column.count)")
        }
        if let index = column.firstIndex(where: { !formats.activation.contains($0) }) {
            throw PQError.valueOutOfFormat(field: "column", index: [index], value: column[index], format: formats.activation)
        }
        return zip(weights, bias).map { row, bias in
            zip(row, column).reduce(bias) { $0 + $1.0 * $1.1 }
        }
    }

    /// The requantized outputs of one column.
    public func outputs(column: [Int]) throws -> [Int] {
        try accumulators(column: column).map { requantization.apply($0, output: formats.output) }
    }
}
