/// A network whose layers are checked and whose weights are loaded: the
/// float model that conversion product-quantizes.
///
/// Build one from a folder with ``read(from:)`` or from a description and
/// its arrays with ``init(_:arrays:file:)``.
public struct Network: Sendable, Equatable {
    /// A conv or linear layer: a matrix product on im2col columns (conv) or
    /// on the flat input (linear), plus a bias.
    public struct Weighted: Sendable, Equatable {
        /// The convolution geometry; nil for a linear layer.
        public let conv: ConvGeometry?
        /// `[Cout, D]` (a conv weight `[Cout, Cin, k, k]` read flat).
        public let weights: Matrix<Double>
        /// `[Cout]`.
        public let bias: [Double]
        /// Whether conversion product-quantizes the layer.
        public let pq: Bool

        /// The input columns `[N * pixels, D]` of a batch.
        public func columns<S: Sendable & Equatable & AdditiveArithmetic>(of input: Activations<S>) throws -> Matrix<S> {
            if let conv { return try conv.im2col(images: input.values, count: input.count) }
            return Matrix(unchecked: input.count, input.shape.count, input.values)
        }

        /// Columns per image: output pixels of a conv, 1 for a linear layer.
        public var columnsPerImage: Int { conv.map { $0.outHeight * $0.outWidth } ?? 1 }

        /// The output shape of one image.
        public var outputShape: TensorShape {
            TensorShape(channels: weights.rows, height: conv?.outHeight ?? 1, width: conv?.outWidth ?? 1)
        }

        /// Per-column outputs `[N * pixels, Cout]` back into a batch.
        public func fold<S: Sendable & Equatable>(_ rows: Matrix<S>) throws -> Activations<S> {
            let count = rows.rows / columnsPerImage
            let values = try conv.map { try $0.foldOutputs(rows) } ?? rows.values
            return Activations(unchecked: count, outputShape, values)
        }

        /// The float outputs of a batch.
        func apply(_ input: Activations<Double>) throws -> Activations<Double> {
            var products = try columns(of: input).multipliedTransposed(weights)
            for r in 0..<products.rows {
                for c in 0..<products.columns { products[r, c] += bias[c] }
            }
            return try fold(products)
        }
    }

    /// What a layer does.
    public enum Operation: Sendable, Equatable {
        /// Conv or linear.
        case weighted(Weighted)
        /// `max(x, 0)`.
        case relu
        /// Max over `size x size` windows every `stride`.
        case maxPool(size: Int, stride: Int)
        /// Mean over `size x size` windows every `stride`.
        case avgPool(size: Int, stride: Int)
        /// A vector of the same values.
        case flatten
        /// Adds the output of layer `from` (nil: the network input).
        case add(from: Int?)
    }

    /// One checked layer.
    public struct Layer: Sendable, Equatable {
        /// Its name in `network.json`.
        public let name: String
        /// Its kind.
        public let kind: LayerKind
        /// What it does, with its weights.
        public let operation: Operation
        /// The shape it receives per image.
        public let inputShape: TensorShape
        /// The shape it produces per image.
        public let outputShape: TensorShape

        /// The conv or linear part, if the layer has one.
        public var weighted: Weighted? {
            if case let .weighted(w) = operation { return w }
            return nil
        }
    }

    /// The description the network was built from.
    public let source: NetworkDescription
    /// The shape of one input image.
    public let inputShape: TensorShape
    /// The factor applied to input values.
    public let inputScale: Double
    /// The layers, in order.
    public let layers: [Layer]

    /// Checks `description` and loads the arrays of its conv and linear
    /// layers through `arrays` (a file name to its array, nil when absent);
    /// `file` names `network.json` in errors.
    public init(_ description: NetworkDescription, file: String = "network.json", arrays: (String) throws -> NPYArray?) throws {
        guard description.format == NetworkDescription.formatName else {
            throw NetworkError.badDescription(file: file, field: "format", found: "\"\(description.format)\"",
                                              fix: "a network description has \"format\": \"\(NetworkDescription.formatName)\"")
        }
        guard description.version == NetworkDescription.currentVersion else {
            throw NetworkError.badDescription(file: file, field: "version", found: "\(description.version)",
                                              fix: "this reader handles version \(NetworkDescription.currentVersion)")
        }
        let input = description.input
        for (field, value) in [("input.channels", input.channels), ("input.height", input.height), ("input.width", input.width)]
        where !(1...65536).contains(value) {
            throw NetworkError.badDescription(file: file, field: field, found: "\(value)", fix: "give a size in 1...65536")
        }
        let scale = input.scale ?? 1
        guard scale.isFinite, scale > 0 else {
            throw NetworkError.badDescription(file: file, field: "input.scale", found: "\(scale)", fix: "give a finite factor > 0")
        }
        guard !description.layers.isEmpty else {
            throw NetworkError.badDescription(file: file, field: "layers", found: "an empty list", fix: "list at least one layer")
        }
        source = description
        inputShape = TensorShape(channels: input.channels, height: input.height, width: input.width)
        inputScale = scale
        layers = try withoutActuallyEscaping(arrays) { arrays in
            try NetworkResolver(description: description, inputShape: TensorShape(channels: input.channels, height: input.height, width: input.width),
                                arrays: arrays).layers()
        }
    }

    /// The indices of the PQ layers, in order.
    public var pqLayerIndices: [Int] {
        layers.indices.filter { layers[$0].weighted?.pq == true }
    }

    /// Number of outputs per image (the classes of a classifier).
    public var outputCount: Int { layers.last?.outputShape.count ?? inputShape.count }
}
