/// A PQ layer in floating point: the approximation before quantization.
///
/// Per column: encode each subvector to its nearest prototype (ties to the
/// lowest index) or, with ``trees``, to the leaf its tree reaches; sum the
/// selected table rows, add the bias, optionally apply ReLU.
public struct FloatPQLayer: Sendable, Equatable {
    /// Layer sizes.
    public let shape: PQShape
    /// Distance metric of the encoder.
    public let metric: DistanceMetric
    /// Prototypes `[Ns][Np][Ls]` (a tree encoder's are its buckets' centres).
    public let prototypes: Codebooks<Double>
    /// A tree encoder's trees (``EncodingTrees``); nil for a distance encoder.
    public let trees: EncodingTrees<Double>?
    /// Table `[Ns][Np][Cout]`.
    public let table: LookupTable<Double>
    /// Bias `[Cout]`.
    public let bias: [Double]
    /// Whether negative outputs become 0.
    public let relu: Bool
    /// The convolution this layer replaces, if any.
    public let conv: ConvGeometry?

    /// A layer; throws when sizes disagree or a value is NaN or infinite.
    public init(
        shape: PQShape, metric: DistanceMetric, prototypes: Codebooks<Double>, table: LookupTable<Double>,
        bias: [Double], relu: Bool = false, conv: ConvGeometry? = nil, trees: EncodingTrees<Double>? = nil
    ) throws {
        try shape.validate()
        try trees?.check(against: shape)
        guard prototypes.ns == shape.ns, prototypes.np == shape.np, prototypes.ls == shape.ls else {
            throw PQError.sizeMismatch(
                field: "prototypes", expected: "[\(shape.ns), \(shape.np), \(shape.ls)] (Ns, Np, Ls)",
                found: "[\(prototypes.ns), \(prototypes.np), \(prototypes.ls)]")
        }
        guard table.ns == shape.ns, table.np == shape.np, table.cout == shape.cout else {
            throw PQError.sizeMismatch(
                field: "table", expected: "[\(shape.ns), \(shape.np), \(shape.cout)] (Ns, Np, Cout)",
                found: "[\(table.ns), \(table.np), \(table.cout)]")
        }
        guard bias.count == shape.cout else {
            throw PQError.sizeMismatch(field: "bias", expected: "Cout = \(shape.cout) values", found: "\(bias.count)")
        }
        for (name, values) in [("prototypes", prototypes.values), ("table", table.values), ("bias", bias),
                               ("thresholds", trees?.thresholds ?? [])] {
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw PQError.nonFiniteValue(field: name, index: i)
            }
        }
        if let conv {
            try conv.validate()
            guard conv.columnLength == shape.inputLength else {
                throw PQError.sizeMismatch(
                    field: "conv geometry", expected: "Cin*kH*kW = D = \(shape.inputLength)", found: "\(conv.columnLength)")
            }
        }
        self.shape = shape
        self.metric = metric
        self.prototypes = prototypes
        self.table = table
        self.bias = bias
        self.relu = relu
        self.conv = conv
        self.trees = trees
    }

    /// How codes are found: ``EncoderKind/tree`` when the layer has trees.
    public var encoder: EncoderKind { trees == nil ? .distance : .tree }

    /// The codes of one column (`D` or `Ns * Ls` values).
    public func encode(column: [Double]) throws -> [Int] {
        try encode(columns: Matrix(rows: 1, columns: column.count, values: column)).values
    }

    /// The codes `[N, Ns]` of a batch of columns.
    public func encode(columns: Matrix<Double>) throws -> Matrix<Int> {
        guard columns.columns == shape.inputLength || columns.columns == shape.paddedLength else {
            throw PQError.sizeMismatch(
                field: "columns", expected: "D = \(shape.inputLength) or Ns*Ls = \(shape.paddedLength) values per row",
                found: "\(columns.columns)")
        }
        if let trees { return trees.encode(columns) }
        return try prototypes.encode(columns: columns, metric: metric)
    }

    /// The outputs (`Cout` values) of one column.
    public func output(column: [Double]) throws -> [Double] {
        try outputs(columns: Matrix(rows: 1, columns: column.count, values: column)).values
    }

    /// The outputs `[N, Cout]` of a batch of columns `[N, D]`.
    public func outputs(columns: Matrix<Double>) throws -> Matrix<Double> {
        try outputs(codes: encode(columns: columns))
    }

    /// The outputs `[N, Cout]` for codes `[N, Ns]` (table sums plus bias, then ReLU).
    public func outputs(codes: Matrix<Int>) throws -> Matrix<Double> {
        guard codes.columns == shape.ns else {
            throw PQError.sizeMismatch(field: "codes", expected: "Ns = \(shape.ns) per row", found: "\(codes.columns)")
        }
        if let bad = codes.values.firstIndex(where: { $0 < 0 || $0 >= shape.np }) {
            throw PQError.codeOutOfRange(subspace: bad % shape.ns, code: codes.values[bad], np: shape.np)
        }
        let (np, cout, ns) = (shape.np, shape.cout, shape.ns)
        var out = [Double](repeating: 0, count: codes.rows * cout)
        table.values.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { y in
                for r in 0..<codes.rows {
                    let yRow = UnsafeMutableBufferPointer(rebasing: y[(r * cout)..<((r + 1) * cout)])
                    for c in 0..<cout { yRow[c] = bias[c] }
                    for s in 0..<ns {
                        let base = (s * np + codes.values[r * ns + s]) * cout
                        let tRow = UnsafeBufferPointer(rebasing: t[base..<(base + cout)])
                        for c in 0..<cout { yRow[c] += tRow[c] }
                    }
                    if relu {
                        for c in 0..<cout { yRow[c] = max(yRow[c], 0) }
                    }
                }
            }
        }
        return Matrix(unchecked: codes.rows, cout, out)
    }

    /// Outputs NCHW `[N, Cout, outH, outW]` (flat) of `count` NCHW images,
    /// through im2col; the layer must have a ``conv`` geometry.
    public func outputs(images: [Double], count: Int) throws -> [Double] {
        guard let conv else {
            throw PQError.sizeMismatch(field: "layer conv geometry", expected: "a convolution layer for image inputs", found: "a linear layer")
        }
        return try conv.foldOutputs(outputs(columns: conv.im2col(images: images, count: count)))
    }
}
