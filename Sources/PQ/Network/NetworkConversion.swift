extension ConvertedNetwork {
    /// Product-quantizes the PQ layers of `network`, one after the other,
    /// from the activations the network itself produces on `calibration`
    /// images (values as stored), then quantizes them to `options.bits`.
    ///
    /// - Each PQ layer learns from the outputs of the already converted
    ///   layers before it: k-means per subspace on its im2col columns (with
    ///   `options.encoder` ``EncoderKind/tree``, a greedy tree per subspace
    ///   instead, the prototypes its buckets' means), the table of
    ///   prototype-weight products, and with `refitLambda` a ridge
    ///   refit of the table whose targets are the *float network's* outputs
    ///   of that layer (less the bias) on the same images, so the refit also
    ///   takes back error that earlier PQ layers left.
    /// - With `floatRefitLambda`, the float conv and linear layers after the
    ///   last PQ layer (the classifier) are refit by ridge regression, in
    ///   order, from the inputs the float PQ network gives them to the float
    ///   network's outputs of each: they learn the features the PQ layers
    ///   actually produce. The pqFloat and integer paths run them.
    /// - With `fineTuneEpochs`, the tables and those float layers are then
    ///   fine-tuned together by gradient descent with the float network as
    ///   the teacher, prototypes fixed unless `fineTunePrototypes` (and
    ///   always in tree layers, whose trees stay as learned)
    ///   (``NetworkFineTuning``); the tables are quantized as fine-tuned.
    /// - With `scaleSearch`, each PQ layer's input scale (unless it takes
    ///   the previous layer's outputs as they are) and output scale are
    ///   then chosen again, one after the other in network order, among
    ///   ``scaleSearchFactors`` times the calibrated one, by the integer
    ///   network's cross-entropy against the float network's softmax on the
    ///   calibration images.
    /// - With `quantizationAwareEpochs`, after quantization the integer
    ///   tables and those float layers are fine-tuned again through the
    ///   integer forward pass, the golden model's own arithmetic with the
    ///   tables rounded straight through (``NetworkFineTuning``), at each bit
    ///   width; the float PQ layers then hold the tables' real shadows.
    /// - A ReLU right after a PQ layer is fused into it.
    /// - Quantization: activations and prototypes are unsigned when every PQ
    ///   layer's input is non-negative, outputs unsigned when every PQ layer
    ///   ends in a ReLU. A layer that takes a previous PQ layer's outputs
    ///   through ReLU, pooling or flatten only uses that layer's output scale
    ///   as its input scale, so the integer outputs are its integer inputs;
    ///   otherwise its input scale comes from the calibration (this needs
    ///   every output value to be an activation and a prototype value, so
    ///   outputs may not be wider than either). Scales are chosen by
    ///   `options.scaleChoice`. Every layer shares one bias format, the
    ///   widest any layer needs.
    public static func convert(_ network: Network, calibration: Activations<Double>, options: ConversionOptions) throws -> ConvertedNetwork {
        try options.validate()
        return try quantize(network, learned: learn(network, calibration: calibration, options: options),
                            calibration: calibration, options: options)
    }

    /// The same network converted at each of `bits` (one width or four per
    /// entry): the PQ layers are learned once, then quantized at each.
    public static func convert(_ network: Network, calibration: Activations<Double>, options: ConversionOptions,
                               bits: [[Int]]) throws -> [ConvertedNetwork] {
        try options.validate()
        let learned = try learn(network, calibration: calibration, options: options)
        return try bits.map { widths in
            var quantization = options
            quantization.bits = widths.count == 1 ? Array(repeating: widths[0], count: 4) : widths
            try quantization.validate()
            return try quantize(network, learned: learned, calibration: calibration, options: quantization)
        }
    }

    /// What learning leaves for quantization: per PQ layer (by network
    /// index) the float layer and the im2col columns it learned from, and
    /// the refit float layers after the PQ layers.
    struct Learned {
        var layers: [Int: (layer: FloatPQLayer, columns: Matrix<Double>)] = [:]
        var refitFloatLayers: [Int: Network.Weighted] = [:]
    }

    /// The float PQ layers learned in order from the calibration, then the
    /// float layers after them refit when `options.floatRefitLambda` is set,
    /// then all of them fine-tuned when `options.fineTuneEpochs` is.
    static func learn(_ network: Network, calibration: Activations<Double>, options: ConversionOptions) throws -> Learned {
        var floatInputs: [Int: Activations<Double>] = [:]
        _ = try network.run(calibration) { index, _, input in
            floatInputs[index] = input.real
            return nil
        }
        let lastPQ = network.pqLayerIndices.last ?? network.layers.count
        var learned = Learned()
        _ = try network.run(calibration) { index, w, input in
            let name = network.layers[index].name
            guard w.pq else {
                guard index > lastPQ, let lambda = options.floatRefitLambda, let floatInput = floatInputs[index] else { return nil }
                let refit = try named(name) { try refitFloatLayer(w, input: input.real, floatInput: floatInput, lambda: lambda) }
                learned.refitFloatLayers[index] = refit
                return .real(try refit.apply(input.real))
            }
            let columns = try w.columns(of: input.real)
            let layer = try named(name) { try learn(w, columns: columns, floatInput: floatInputs[index], relu: network.hasFusedReLU(index), options: options) }
            learned.layers[index] = (layer, columns)
            return .real(try w.fold(layer.outputs(columns: columns)))
        }
        if let epochs = options.fineTuneEpochs, epochs > 0 {
            try NetworkFineTuning.run(network, learned: &learned, calibration: calibration, epochs: epochs,
                                      learningRate: options.fineTuneLearningRate ?? 0.003, prototypes: options.fineTunePrototypes ?? false,
                                      shift: options.fineTuneShift ?? 0, seed: options.seed)
        }
        return learned
    }

    /// `w` refit by ridge regression (lambda on weights and bias alike) so
    /// that its outputs on `input` approach its float outputs on
    /// `floatInput`; weights rounded to float32, as the folder stores them.
    static func refitFloatLayer(_ w: Network.Weighted, input: Activations<Double>, floatInput: Activations<Double>,
                                lambda: Double) throws -> Network.Weighted {
        let x = try w.columns(of: input), y = try w.columns(of: floatInput).multipliedTransposed(w.weights)
        let (n, d, cout) = (x.rows, x.columns, w.weights.rows)
        let unknowns = d + 1
        var normal = [Double](repeating: 0, count: unknowns * unknowns), rhs = [Double](repeating: 0, count: unknowns * cout)
        var row = [Double](repeating: 1, count: unknowns)
        for r in 0..<n {
            for j in 0..<d { row[j] = x.values[r * d + j] }
            for i in 0..<unknowns where row[i] != 0 {
                for j in 0..<unknowns { normal[i * unknowns + j] += row[i] * row[j] }
                for c in 0..<cout { rhs[i * cout + c] += row[i] * (y.values[r * cout + c] + w.bias[c]) }
            }
        }
        for i in 0..<unknowns { normal[i * unknowns + i] += lambda }
        let solution = try Cholesky.solve(Matrix(unchecked: unknowns, unknowns, normal), Matrix(unchecked: unknowns, cout, rhs))
        let f32 = { (v: Double) in Double(Float(v)) }
        var weights = [Double](repeating: 0, count: cout * d)
        for c in 0..<cout { for j in 0..<d { weights[c * d + j] = f32(solution.values[j * cout + c]) } }
        return Network.Weighted(conv: w.conv, weights: Matrix(unchecked: cout, d, weights),
                                bias: (0..<cout).map { f32(solution.values[d * cout + $0]) }, pq: false)
    }

    /// The integer layers of the learned float PQ layers at `options.bits`,
    /// then fine-tuned quantization-aware on `calibration` when
    /// `options.quantizationAwareEpochs` is set.
    static func quantize(_ network: Network, learned: Learned, calibration: Activations<Double>,
                         options: ConversionOptions) throws -> ConvertedNetwork {
        let pqIndices = network.pqLayerIndices
        let formats = try sharedFormats(network, options: options)
        // Integer outputs pass on as integer inputs only when every output
        // value is also an activation and a prototype value.
        let chainable = [formats.activation, formats.prototype].allSatisfy {
            $0.minValue <= formats.output.minValue && formats.output.maxValue <= $0.maxValue
        }
        // `first`: the layers of a first pass, whose input and output scales later passes reuse (choosing them
        // is the slow part), times `factors[index]` (input, output) when given.
        func quantizeAll(bias: IntegerFormat?, first: [Layer] = [], factors: [Int: [Double]] = [:]) throws -> [Layer] {
            var result: [Layer] = []
            for index in pqIndices {
                guard let (layer, columns) = learned.layers[index] else { continue }
                let chained = chainable ? network.chainedSource(of: index) : nil
                var quantization = QuantizationOptions(
                    activation: formats.activation, prototype: formats.prototype, entry: formats.entry, output: formats.output,
                    bias: bias, multiplierBits: options.multiplierBits, maxShift: options.maxShift)
                quantization.scaleChoice = options.scaleChoice
                let previous = first.first { $0.index == index }?.integer.scales, factor = factors[index] ?? [1, 1]
                quantization.inputScale = chained.flatMap { source in result.first { $0.index == source }?.integer.scales?.output }
                    ?? previous?.input.first.map { $0 * factor[0] }
                quantization.outputScale = previous.map { $0.output * factor[1] }
                let name = network.layers[index].name
                let integer = try named(name) { try layer.quantized(calibration: columns, options: quantization) }
                result.append(Layer(index: index, name: name, float: layer, integer: integer, chainedFrom: chained))
            }
            return result
        }
        let first = try quantizeAll(bias: nil)
        let widest = first.map(\.integer.formats.bias).max { $0.bits < $1.bits }
        var layers = try quantizeAll(bias: widest, first: first)
        if options.scaleSearch == true {
            // Coordinate descent, in network order, over each layer's input scale (unless chained) and output scale.
            let teacher = try network.run(calibration).rowSoftmax()
            func loss(_ layers: [Layer]) throws -> Double {
                let converted = try ConvertedNetwork(network: network, options: options, calibrationImages: calibration.count,
                                                     layers: layers, refitFloatLayers: learned.refitFloatLayers)
                return try converted.run(calibration, path: .integer).crossEntropy(against: teacher)
            }
            var factors: [Int: [Double]] = [:], best = try loss(layers)
            for layer in layers {
                for scale in (layer.chainedFrom == nil ? [0, 1] : [1]) {
                    for factor in scaleSearchFactors where factor != 1 {
                        var trial = factors
                        trial[layer.index, default: [1, 1]][scale] = factor
                        let candidate = try quantizeAll(bias: widest, first: first, factors: trial)
                        let candidateLoss = try loss(candidate)
                        if candidateLoss < best { (best, factors, layers) = (candidateLoss, trial, candidate) }
                    }
                }
            }
        }
        let converted = try ConvertedNetwork(network: network, options: options, calibrationImages: calibration.count,
                                             layers: layers, refitFloatLayers: learned.refitFloatLayers)
        guard let epochs = options.quantizationAwareEpochs, epochs > 0 else { return converted }
        return try NetworkFineTuning.runQuantizationAware(converted, calibration: calibration, epochs: epochs,
                                                          learningRate: options.quantizationAwareLearningRate ?? 0.001,
                                                          shift: options.fineTuneShift ?? 0, seed: options.seed)
    }

    /// The multiples of a calibrated scale that ``ConversionOptions/scaleSearch`` tries.
    static let scaleSearchFactors = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5]

    /// The float PQ layer of weighted layer `w` learned on `columns`.
    static func learn(_ w: Network.Weighted, columns: Matrix<Double>, floatInput: Activations<Double>?, relu: Bool,
                      options: ConversionOptions) throws -> FloatPQLayer {
        let learnOptions = LearnOptions(ls: options.ls, np: options.np, metric: options.metric, encoder: options.encoder, seed: options.seed,
                                        iterations: options.iterations, relu: relu)
        let layer = try FloatPQLayer.learn(weights: w.weights, bias: w.bias, activations: columns, options: learnOptions, conv: w.conv)
        guard let lambda = options.refitLambda, let floatInput else { return layer }
        let targets = try w.columns(of: floatInput).multipliedTransposed(w.weights)
        let table = try LookupTable.ridgeRefit(codes: layer.encode(columns: columns), np: options.np, targets: targets, lambda: lambda)
        return try FloatPQLayer(shape: layer.shape, metric: layer.metric, prototypes: layer.prototypes, table: table, bias: layer.bias,
                                relu: relu, conv: w.conv, trees: layer.trees)
    }

    /// The formats of `options.bits`, unsigned where the network allows it.
    static func sharedFormats(_ network: Network, options: ConversionOptions) throws -> LayerFormats {
        let pq = network.pqLayerIndices
        let unsignedInputs = pq.allSatisfy { network.isNonNegative(outputOf: $0 == 0 ? nil : $0 - 1) }
        let unsignedOutputs = pq.allSatisfy { network.hasFusedReLU($0) }
        let b = options.bits
        return LayerFormats(
            activation: try IntegerFormat(bits: b[0], signed: !unsignedInputs), prototype: try IntegerFormat(bits: b[1], signed: !unsignedInputs),
            entry: try .signed(b[2]), bias: try .signed(32), output: try IntegerFormat(bits: b[3], signed: !unsignedOutputs))
    }

    /// Runs `body`, naming `layer` in any ``PQError`` it throws.
    static func named<T>(_ layer: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PQError {
            throw NetworkError.invalidField(layer: layer, field: "conversion", value: error.description, fix: "change the conversion options")
        }
    }
}
