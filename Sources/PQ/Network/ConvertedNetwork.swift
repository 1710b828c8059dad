/// A network whose PQ layers have been learned and quantized: the float
/// network, and for each PQ layer its float PQ approximation and the integer
/// layer the accelerator runs.
public struct ConvertedNetwork: Sendable, Equatable {
    /// One product-quantized layer.
    public struct Layer: Sendable, Equatable {
        /// Index of the layer in ``ConvertedNetwork/network``.
        public let index: Int
        /// Its name.
        public let name: String
        /// The float PQ layer (k-means prototypes, table, optional refit).
        public let float: FloatPQLayer
        /// The integer layer: the hardware's bit-exact reference.
        public let integer: IntegerPQLayer
        /// The PQ layer (network index) whose integer outputs this layer takes
        /// as they are, its input scale being that layer's output scale; nil
        /// when the host quantizes this layer's input.
        public let chainedFrom: Int?

        /// Columns per image (output pixels of a conv, 1 for a linear layer).
        public var columnsPerImage: Int { float.conv.map { $0.outHeight * $0.outWidth } ?? 1 }
    }

    /// The float network.
    public let network: Network
    /// How it was converted.
    public let options: ConversionOptions
    /// Calibration images the conversion learned from.
    public let calibrationImages: Int
    /// The PQ layers, in network order.
    public let layers: [Layer]
    /// Float conv and linear layers after the PQ layers whose weights were
    /// refit (``ConversionOptions/floatRefitLambda``), by network index: the
    /// pqFloat and integer paths run these in place of the network's own.
    public let refitFloatLayers: [Int: Network.Weighted]

    /// A converted network from its parts; throws when a layer does not
    /// match the network (index, name, shape) or the options' encoder, or
    /// the layers' formats differ, or when a refit float layer does not
    /// match the float layer it replaces.
    public init(network: Network, options: ConversionOptions, calibrationImages: Int, layers: [Layer],
                refitFloatLayers: [Int: Network.Weighted] = [:]) throws {
        guard layers.map(\.index) == network.pqLayerIndices else {
            throw NetworkError.invalidField(layer: layers.first?.name ?? "(none)", field: "pq layers",
                                            value: "\(layers.map(\.name))", fix: "convert the network again: its PQ layers are \(network.pqLayerIndices.map { network.layers[$0].name })")
        }
        for layer in layers {
            let expected = network.layers[layer.index]
            guard layer.name == expected.name, let w = expected.weighted,
                  layer.float.shape.cout == w.weights.rows, layer.float.shape.inputLength == w.weights.columns,
                  layer.integer.shape == layer.float.shape, layer.float.conv == w.conv else {
                throw NetworkError.invalidField(layer: layer.name, field: "shape", value: "\(layer.float.shape)",
                                                fix: "convert the network again: layer '\(expected.name)' does not match it")
            }
            guard layer.float.encoder == options.encoder, layer.integer.encoder == options.encoder else {
                throw NetworkError.invalidField(layer: layer.name, field: "encoder", value: "\(layer.float.encoder) (float), \(layer.integer.encoder) (integer)",
                                                fix: "convert the network again: its options ask for the \(options.encoder) encoder in every PQ layer")
            }
            guard layer.integer.formats == layers[0].integer.formats else {
                throw NetworkError.invalidField(layer: layer.name, field: "formats", value: "\(layer.integer.formats)",
                                                fix: "every PQ layer of a network shares the formats of the first, \(layers[0].integer.formats)")
            }
        }
        for (index, refit) in refitFloatLayers {
            let original = network.layers.indices.contains(index) ? network.layers[index].weighted : nil
            guard let original, !original.pq, refit.conv == original.conv, refit.weights.rows == original.weights.rows,
                  refit.weights.columns == original.weights.columns, refit.bias.count == original.bias.count else {
                let name = network.layers.indices.contains(index) ? network.layers[index].name : "#\(index)"
                throw NetworkError.invalidField(layer: name, field: "refit weights", value: "\(refit.weights.rows)x\(refit.weights.columns)",
                                                fix: "a refit layer has the shape of the float conv or linear layer it replaces")
            }
        }
        self.network = network
        self.refitFloatLayers = refitFloatLayers
        self.options = options
        self.calibrationImages = calibrationImages
        self.layers = layers
    }

    /// The integer formats every PQ layer shares (nil without PQ layers).
    public var formats: LayerFormats? { layers.first?.integer.formats }

    /// The PQ layer at network index `index`.
    public func layer(at index: Int) -> Layer? { layers.first { $0.index == index } }
}
