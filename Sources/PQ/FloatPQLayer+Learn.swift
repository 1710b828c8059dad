/// How ``FloatPQLayer/learn(weights:bias:activations:options:conv:)`` builds a layer.
public struct LearnOptions: Sendable, Hashable {
    /// Subvector length `Ls`.
    public var ls: Int
    /// Prototypes per codebook `Np`.
    public var np: Int
    /// Distance metric of the encoder (prototypes are learned by k-means under
    /// L2 whatever the metric; the metric decides how columns are encoded).
    public var metric: DistanceMetric
    /// Distance encoder (k-means prototypes) or tree encoder (greedy trees,
    /// prototypes their buckets' means; `np` must be a power of two).
    public var encoder: EncoderKind
    /// Seed of the k-means generator; subspace `s` uses stream `s` of it.
    public var seed: UInt64
    /// Largest number of Lloyd iterations per subspace.
    public var iterations: Int
    /// When set, the ridge parameter of the table refit (must be > 0).
    public var refitLambda: Double?
    /// Whether the layer applies ReLU to its outputs.
    public var relu: Bool

    /// Options with the defaults: L2 distance encoder, seed 0, 25 iterations, no refit, no ReLU.
    public init(
        ls: Int, np: Int, metric: DistanceMetric = .l2, encoder: EncoderKind = .distance, seed: UInt64 = 0, iterations: Int = 25,
        refitLambda: Double? = nil, relu: Bool = false
    ) {
        self.ls = ls
        self.np = np
        self.metric = metric
        self.encoder = encoder
        self.seed = seed
        self.iterations = iterations
        self.refitLambda = refitLambda
        self.relu = relu
    }
}

extension FloatPQLayer {
    /// Learns a PQ layer that approximates `activations * weightsᵀ + bias`.
    ///
    /// - Parameters:
    ///   - weights: `[Cout, D]`; for a convolution, the weight
    ///     `[Cout, Cin, kH, kW]` read flat (see ``ConvGeometry``).
    ///   - bias: `Cout` values, zeros when nil.
    ///   - activations: calibration columns `[N, D]` (im2col columns for a convolution).
    ///   - options: sizes, metric, seed and refit.
    ///   - conv: the convolution geometry to record in the layer, if any.
    ///
    /// Each subspace's prototypes are the k-means centres of the calibration
    /// subvectors, or for a tree encoder the means of its tree's buckets
    /// (``EncodingTrees``, learned greedily as MADDNESS does); the table holds
    /// prototype-weight dot products, optionally refit by ridge regression
    /// to the exact outputs.
    public static func learn(
        weights: Matrix<Double>, bias: [Double]? = nil, activations: Matrix<Double>,
        options: LearnOptions, conv: ConvGeometry? = nil
    ) throws -> FloatPQLayer {
        let d = weights.columns
        let shape = try PQShape(inputLength: d, ls: options.ls, np: options.np, cout: weights.rows)
        guard activations.columns == d else {
            throw PQError.sizeMismatch(
                field: "activations", expected: "\(d) values per row (the weights' D)", found: "\(activations.columns)")
        }
        guard activations.rows >= 1 else {
            throw PQError.sizeMismatch(field: "activations", expected: "at least 1 calibration row", found: "0 rows")
        }
        try PQShape.check("k-means iterations", options.iterations, 0...100_000)
        let bias = bias ?? Array(repeating: 0, count: shape.cout)
        for (name, values) in [("weights", weights.values), ("activations", activations.values), ("bias", bias)] {
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw PQError.nonFiniteValue(field: name, index: i)
            }
        }
        if options.encoder == .tree, shape.np & (shape.np - 1) != 0 {
            throw PQError.parameterOutOfRange(field: "Np", value: "\(shape.np)", allowed: "2, 4, 8, 16, ... (a tree encoder's leaves are a power of two)")
        }
        var prototypes: [Double] = [], splits: [Int] = [], thresholds: [Double] = []
        prototypes.reserveCapacity(shape.ns * shape.np * shape.ls)
        for s in 0..<shape.ns {
            let points = subvectors(of: activations, subspace: s, ls: shape.ls)
            switch options.encoder {
            case .distance:
                var generator = SeededGenerator(seed: options.seed, stream: UInt64(s))
                let result = try KMeans.fit(points: points, k: shape.np, generator: &generator, maxIterations: options.iterations)
                prototypes += result.centroids
            case .tree:
                let tree = EncodingTrees.learnTree(points: points, depth: shape.np.trailingZeroBitCount)
                prototypes += tree.centres
                splits += tree.splits
                thresholds += tree.thresholds
            }
        }
        let codebooks = try Codebooks(ns: shape.ns, np: shape.np, ls: shape.ls, values: prototypes)
        let trees = options.encoder == .tree
            ? try EncodingTrees(ns: shape.ns, ls: shape.ls, depth: shape.np.trailingZeroBitCount, splits: splits, thresholds: thresholds)
            : nil
        var layer = try FloatPQLayer(
            shape: shape, metric: options.metric, prototypes: codebooks, table: LookupTable.build(prototypes: codebooks, weights: weights),
            bias: bias, relu: options.relu, conv: conv, trees: trees)
        if let lambda = options.refitLambda {
            let exact = try activations.multipliedTransposed(weights)
            let table = try LookupTable.ridgeRefit(codes: layer.encode(columns: activations), np: shape.np, targets: exact, lambda: lambda)
            layer = try FloatPQLayer(shape: shape, metric: options.metric, prototypes: codebooks, table: table, bias: bias,
                                     relu: options.relu, conv: conv, trees: trees)
        }
        return layer
    }

    /// The subvectors `[N, Ls]` of subspace `s`, zero-padded past the column's end.
    static func subvectors(of columns: Matrix<Double>, subspace s: Int, ls: Int) -> Matrix<Double> {
        var values = [Double](repeating: 0, count: columns.rows * ls)
        let width = columns.columns
        for r in 0..<columns.rows {
            for l in 0..<ls where s * ls + l < width {
                values[r * ls + l] = columns.values[r * width + s * ls + l]
            }
        }
        return Matrix(unchecked: columns.rows, ls, values)
    }
}
