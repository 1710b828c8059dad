/// A quantized PQ layer: the bit-exact reference of the hardware.
///
/// Every value is an integer in its declared format, every width comes from
/// ``HardwareWidths``, and every computation is exact 64-bit integer
/// arithmetic that the widths prove cannot overflow. The initializer
/// validates everything, and the stored properties are constants, so a
/// value of this type is always valid.
///
/// Per input column (length `D`, zero-padded to `Ns * Ls`):
/// 1. encode: for each subspace, the index of the nearest prototype under
///    the metric (ties to the lowest index), or, for a tree encoder, the leaf
///    its decision tree reaches (``EncodingTrees``);
/// 2. accumulate: for each output channel, the sum over subspaces of the
///    selected table entries;
/// 3. add the bias, then requantize (see ``Requantization``).
public struct IntegerPQLayer: Sendable, Equatable {
    /// Shape, metric, formats and requantization limits.
    public let configuration: PQConfiguration
    /// Prototypes `[Ns][Np][Ls]`, each in `formats.prototype` (a tree
    /// encoder's are its buckets' centres, informative: it never reads them).
    public let prototypes: Codebooks<Int>
    /// A tree encoder's trees, thresholds in `formats.activation`; nil for a distance encoder.
    public let trees: EncodingTrees<Int>?
    /// Table `[Ns][Np][Cout]`, each entry in `formats.entry`.
    public let table: LookupTable<Int>
    /// Bias `[Cout]`, each in `formats.bias`, in accumulator units.
    public let bias: [Int]
    /// Multiplier, shift and ReLU of the output stage.
    public let requantization: Requantization
    /// The real-valued meaning of the integers, when the layer came from a
    /// float layer (informative: the integer computation never reads it).
    public let scales: QuantizationScales?
    /// The convolution this layer replaces, if any.
    public let conv: ConvGeometry?
    /// Every hardware width, derived from `configuration`.
    public let widths: HardwareWidths

    /// A validated layer. Throws a ``PQError`` naming the field and index of
    /// the first value outside its format, or the first size that disagrees.
    public init(
        configuration: PQConfiguration, prototypes: Codebooks<Int>, table: LookupTable<Int>, bias: [Int],
        requantization: Requantization, scales: QuantizationScales? = nil, conv: ConvGeometry? = nil,
        trees: EncodingTrees<Int>? = nil
    ) throws {
        self.configuration = configuration
        self.prototypes = prototypes
        self.trees = trees
        self.table = table
        self.bias = bias
        self.requantization = requantization
        self.scales = scales
        self.conv = conv
        self.widths = try HardwareWidths(for: configuration)
        try validate()
    }

    /// Layer sizes.
    public var shape: PQShape { configuration.shape }
    /// Distance metric.
    public var metric: DistanceMetric { configuration.metric }
    /// Distance or tree encoder.
    public var encoder: EncoderKind { configuration.encoder }
    /// Integer formats.
    public var formats: LayerFormats { configuration.formats }

    /// Checks sizes, formats of every value, requantization, scales and
    /// convolution geometry against the configuration.
    public func validate() throws {
        try configuration.validate()
        let shape = configuration.shape, formats = configuration.formats
        let expected = "[\(shape.ns), \(shape.np), \(shape.ls)] (Ns, Np, Ls)"
        guard prototypes.ns == shape.ns, prototypes.np == shape.np, prototypes.ls == shape.ls else {
            throw PQError.sizeMismatch(
                field: "prototypes", expected: expected, found: "[\(prototypes.ns), \(prototypes.np), \(prototypes.ls)]")
        }
        guard table.ns == shape.ns, table.np == shape.np, table.cout == shape.cout else {
            throw PQError.sizeMismatch(
                field: "table", expected: "[\(shape.ns), \(shape.np), \(shape.cout)] (Ns, Np, Cout)",
                found: "[\(table.ns), \(table.np), \(table.cout)]")
        }
        guard bias.count == shape.cout else {
            throw PQError.sizeMismatch(field: "bias", expected: "Cout = \(shape.cout) values", found: "\(bias.count)")
        }
        try IntegerPQLayer.checkFormat("prototypes", prototypes.values, formats.prototype, dims: [shape.ns, shape.np, shape.ls])
        try IntegerPQLayer.checkFormat("table", table.values, formats.entry, dims: [shape.ns, shape.np, shape.cout])
        try IntegerPQLayer.checkFormat("bias", bias, formats.bias, dims: [shape.cout])
        switch (configuration.encoder, trees) {
        case (.distance, nil):
            break
        case (.tree, let trees?):
            try trees.check(against: shape)
            try IntegerPQLayer.checkFormat("thresholds", trees.thresholds, formats.activation, dims: [shape.ns, shape.np - 1])
        case (.distance, _?):
            throw PQError.sizeMismatch(field: "trees", expected: "none for a distance encoder", found: "trees of depth \(trees?.depth ?? 0)")
        case (.tree, nil):
            throw PQError.sizeMismatch(field: "trees", expected: "the trees of a tree encoder", found: "none")
        }
        try requantization.check(against: configuration)
        try scales?.validate(ns: shape.ns)
        if let conv {
            try conv.validate()
            guard conv.columnLength == shape.inputLength else {
                throw PQError.sizeMismatch(
                    field: "conv geometry", expected: "Cin*kH*kW = D = \(shape.inputLength)", found: "\(conv.columnLength)")
            }
        }
    }

    /// Throws for the first value of `values` (a flat array of shape `dims`)
    /// outside `format`, naming its multi-dimensional index.
    static func checkFormat(_ field: String, _ values: [Int], _ format: IntegerFormat, dims: [Int]) throws {
        for (flat, value) in values.enumerated() where !format.contains(value) {
            var index: [Int] = []
            var rest = flat
            for size in dims.reversed() {
                index.insert(rest % size, at: 0)
                rest /= size
            }
            throw PQError.valueOutOfFormat(field: field, index: index, value: value, format: format)
        }
    }
}

/// Every intermediate value of one column through an ``IntegerPQLayer``,
/// for co-simulation: a hardware mismatch can be traced to its first stage.
public struct IntegerLayerTrace: Sendable, Equatable {
    /// The column padded to `Ns * Ls`.
    public var column: [Int]
    /// Distances `[Ns][Np]`, flat (empty for a tree encoder).
    public var distances: [Int]
    /// Codes `[Ns]`.
    public var codes: [Int]
    /// Table sums before the bias `[Cout]`.
    public var sums: [Int]
    /// Sums plus bias `[Cout]`.
    public var accumulators: [Int]
    /// `accumulator * multiplier` `[Cout]`.
    public var products: [Int]
    /// After the rounding shift, before saturation `[Cout]`.
    public var shifted: [Int]
    /// Final outputs `[Cout]`.
    public var outputs: [Int]
}
