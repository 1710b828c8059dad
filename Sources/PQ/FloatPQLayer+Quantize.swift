/// How ``FloatPQLayer/quantized(calibration:options:)`` turns a float layer
/// into an integer one.
public struct QuantizationOptions: Sendable, Hashable {
    /// Format of input activations.
    public var activation: IntegerFormat
    /// Format of prototypes.
    public var prototype: IntegerFormat
    /// Format of table entries.
    public var entry: IntegerFormat
    /// Format of outputs.
    public var output: IntegerFormat
    /// Format of the bias; nil picks a signed width that holds both a table
    /// sum (`entryBits + ceil(log2(Ns))`) and the layer's largest bias.
    public var bias: IntegerFormat?
    /// One input scale per subspace instead of one per tensor.
    public var perSubspaceInputScales: Bool
    /// Width of the requantization multiplier.
    public var multiplierBits: Int
    /// The largest shift the requantization may use.
    public var maxShift: Int
    /// When set, the per-tensor input scale to use instead of one from the
    /// calibration's magnitudes: a layer that takes the integer outputs of
    /// the layer before it as they are uses that layer's output scale.
    public var inputScale: Double?
    /// When set, the output scale to use instead of one chosen from the
    /// calibration's outputs.
    public var outputScale: Double?
    /// How the input (when not fixed), table and output scales are chosen.
    public var scaleChoice: ScaleChoice = .maximum

    /// Options from explicit formats.
    public init(
        activation: IntegerFormat, prototype: IntegerFormat, entry: IntegerFormat, output: IntegerFormat,
        bias: IntegerFormat? = nil, perSubspaceInputScales: Bool = false, multiplierBits: Int = 16, maxShift: Int = 48
    ) {
        self.activation = activation
        self.prototype = prototype
        self.entry = entry
        self.output = output
        self.bias = bias
        self.perSubspaceInputScales = perSubspaceInputScales
        self.multiplierBits = multiplierBits
        self.maxShift = maxShift
    }

    /// Options from bit counts: prototypes share the activations' signedness,
    /// entries are signed, outputs are signed unless `signedOutput` is false.
    public init(
        activationBits: Int, prototypeBits: Int, entryBits: Int, outputBits: Int,
        signedActivations: Bool = true, signedOutput: Bool = true
    ) throws {
        self.init(
            activation: try IntegerFormat(bits: activationBits, signed: signedActivations),
            prototype: try IntegerFormat(bits: prototypeBits, signed: signedActivations),
            entry: try .signed(entryBits),
            output: try IntegerFormat(bits: outputBits, signed: signedOutput))
    }
}

extension FloatPQLayer {
    /// The integer layer that approximates this one.
    ///
    /// - Input scale: the largest calibration magnitude (per tensor, or per
    ///   subspace) maps to the largest value both the activation and the
    ///   prototype formats hold; activations and prototypes share it so
    ///   their integer distances rank prototypes as the real ones do.
    ///   `options.inputScale`, when set, is used instead.
    /// - Table scale: the largest table magnitude maps to the entry format's
    ///   largest value; the bias uses the same scale.
    /// - Output scale: the largest magnitude of this layer's outputs on the
    ///   calibration columns maps to the output format's largest value.
    ///   `options.outputScale`, when set, is used instead.
    /// - With `options.scaleChoice` `.minimumError`, each of these scales
    ///   instead clips where the squared quantization error is least.
    /// - A tree encoder's thresholds: the input scale and the activation
    ///   format, rounded up (``Quantizer/threshold(_:scale:format:)``), so
    ///   an input on the grid (a zero) goes the way the float tree sends it.
    /// - Requantization: `multiplier / 2^shift ≈ tableScale / outputScale`
    ///   (``Requantization/approximating(ratio:multiplierBits:maxShift:relu:)``);
    ///   the configuration's `maxShift` is set to the chosen shift so the
    ///   derived widths are tight for this layer.
    ///
    /// Other values are rounded half to even and saturated (see ``Quantizer``).
    public func quantized(calibration: Matrix<Double>, options: QuantizationOptions) throws -> IntegerPQLayer {
        guard calibration.columns == shape.inputLength || calibration.columns == shape.paddedLength, calibration.rows >= 1 else {
            throw PQError.sizeMismatch(
                field: "calibration", expected: "at least 1 row of D = \(shape.inputLength) values", found: "[\(calibration.rows), \(calibration.columns)]")
        }
        let (ns, ls) = (shape.ns, shape.ls)
        let inputRange = options.activation.maxValue <= options.prototype.maxValue ? options.activation : options.prototype
        let inputScales: [Double]
        if let fixed = options.inputScale {
            guard fixed > 0, fixed.isFinite else {
                throw PQError.parameterOutOfRange(field: "inputScale", value: "\(fixed)", allowed: "a finite value > 0")
            }
            inputScales = [fixed]
        } else if options.perSubspaceInputScales {
            var slots = [[Double]](repeating: [], count: ns)
            for (i, v) in calibration.values.enumerated() { slots[(i % calibration.columns) / ls].append(v) }
            inputScales = slots.map { Quantizer.scale(for: $0, format: inputRange, choice: options.scaleChoice) }
        } else {
            inputScales = [Quantizer.scale(for: calibration.values, format: inputRange, choice: options.scaleChoice)]
        }
        let prototypeValues = prototypes.values.enumerated().map { i, v in
            let s = i / (shape.np * ls)
            return Quantizer.quantize(v, scale: inputScales.count == 1 ? inputScales[0] : inputScales[s], format: options.prototype)
        }
        let quantizedTrees = try trees.map { trees in
            // Thresholds round up (Quantizer.threshold): exact for inputs on the grid, zeros among them.
            try EncodingTrees(ns: trees.ns, ls: trees.ls, depth: trees.depth, splits: trees.splits,
                              thresholds: trees.thresholds.enumerated().map { i, t in
                                  let s = i / max(1, trees.np - 1)
                                  return Quantizer.threshold(t, scale: inputScales.count == 1 ? inputScales[0] : inputScales[s],
                                                             format: options.activation)
                              })
        }
        let tableScale = Quantizer.scale(for: table.values, format: options.entry, choice: options.scaleChoice)
        let tableValues = table.values.map { Quantizer.quantize($0, scale: tableScale, format: options.entry) }
        let biasFormat = try options.bias ?? defaultBiasFormat(entry: options.entry, tableScale: tableScale)
        let biasValues = bias.map { Quantizer.quantize($0, scale: tableScale, format: biasFormat) }
        let outputScale = try options.outputScale
            ?? Quantizer.scale(for: outputs(columns: calibration).values, format: options.output, choice: options.scaleChoice)
        guard outputScale > 0, outputScale.isFinite else {
            throw PQError.parameterOutOfRange(field: "outputScale", value: "\(outputScale)", allowed: "a finite value > 0")
        }
        let requantization = try Requantization.approximating(
            ratio: tableScale / outputScale, multiplierBits: options.multiplierBits, maxShift: options.maxShift, relu: relu)
        let formats = LayerFormats(
            activation: options.activation, prototype: options.prototype, entry: options.entry,
            bias: biasFormat, output: options.output)
        let configuration = try PQConfiguration(
            shape: shape, metric: metric, encoder: encoder, formats: formats, multiplierBits: options.multiplierBits,
            maxShift: requantization.shift)
        return try IntegerPQLayer(
            configuration: configuration,
            prototypes: Codebooks(ns: ns, np: shape.np, ls: ls, values: prototypeValues),
            table: LookupTable(ns: ns, np: shape.np, cout: shape.cout, values: tableValues),
            bias: biasValues, requantization: requantization,
            scales: QuantizationScales(input: inputScales, table: tableScale, output: outputScale), conv: conv, trees: quantizedTrees)
    }

    /// A signed format wide enough for a table sum and for this layer's bias.
    func defaultBiasFormat(entry: IntegerFormat, tableScale: Double) throws -> IntegerFormat {
        let logNs = IntegerFormat.bitLength(UInt(shape.ns - 1))
        let largest = (Quantizer.magnitude(of: bias) / tableScale).rounded(.toNearestOrEven)
        let needed = largest < 0x1p31 ? IntegerFormat.requiredBits(lower: -Int(largest), upper: Int(largest)).bits : 32
        return try .signed(min(32, max(entry.bits + logNs, needed, 2)))
    }
}
