extension ConvertedNetwork {
    /// Product-quantizes the PQ layers of `network`, one after the other,
    /// from the activations the network itself produces on `calibration`
    /// images (values as stored), then quantizes them to `options.bits`.
    ///
    /// - Each PQ layer learns from the outputs of the already converted
    ///   layers before it: k-means per subspace on its im2col columns, the
    ///   table of prototype-weight products, and with `refitLambda` a ridge
    ///   refit of the table whose targets are the *float network's* outputs
    ///   of that layer (less the bias) on the same images, so the refit also
    ///   takes back error that earlier PQ layers left.
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
                            calibrationImages: calibration.count, options: options)
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
            return try quantize(network, learned: learned, calibrationImages: calibration.count, options: quantization)
        }
    }

    /// The float PQ layers (by network index), learned in order from the
    /// calibration, each with the im2col columns it learned from.
    static func learn(_ network: Network, calibration: Activations<Double>,
                      options: ConversionOptions) throws -> [Int: (layer: FloatPQLayer, columns: Matrix<Double>)] {
        var floatInputs: [Int: Activations<Double>] = [:]
        _ = try network.run(calibration) { index, w, input in
            if w.pq { floatInputs[index] = input.real }
            return nil
        }
        var learned: [Int: (layer: FloatPQLayer, columns: Matrix<Double>)] = [:]
        _ = try network.run(calibration) { index, w, input in
            guard w.pq else { return nil }
            let name = network.layers[index].name
            let columns = try w.columns(of: input.real)
            let layer = try named(name) { try learn(w, columns: columns, floatInput: floatInputs[index], relu: network.hasFusedReLU(index), options: options) }
            learned[index] = (layer, columns)
            return .real(try w.fold(layer.outputs(columns: columns)))
        }
        return learned
    }

    /// The integer layers of the learned float PQ layers at `options.bits`.
    static func quantize(_ network: Network, learned: [Int: (layer: FloatPQLayer, columns: Matrix<Double>)],
                         calibrationImages: Int, options: ConversionOptions) throws -> ConvertedNetwork {
        let pqIndices = network.pqLayerIndices
        let formats = try sharedFormats(network, options: options)
        // Integer outputs pass on as integer inputs only when every output
        // value is also an activation and a prototype value.
        let chainable = [formats.activation, formats.prototype].allSatisfy {
            $0.minValue <= formats.output.minValue && formats.output.maxValue <= $0.maxValue
        }
        func quantizeAll(bias: IntegerFormat?) throws -> [Layer] {
            var result: [Layer] = []
            for index in pqIndices {
                guard let (layer, columns) = learned[index] else { continue }
                let chained = chainable ? network.chainedSource(of: index) : nil
                var quantization = QuantizationOptions(
                    activation: formats.activation, prototype: formats.prototype, entry: formats.entry, output: formats.output,
                    bias: bias, multiplierBits: options.multiplierBits, maxShift: options.maxShift)
                quantization.scaleChoice = options.scaleChoice
                quantization.inputScale = chained.flatMap { source in result.first { $0.index == source }?.integer.scales?.output }
                let name = network.layers[index].name
                let integer = try named(name) { try layer.quantized(calibration: columns, options: quantization) }
                result.append(Layer(index: index, name: name, float: layer, integer: integer, chainedFrom: chained))
            }
            return result
        }
        let widest = try quantizeAll(bias: nil).map(\.integer.formats.bias).max { $0.bits < $1.bits }
        return try ConvertedNetwork(network: network, options: options, calibrationImages: calibrationImages,
                                    layers: quantizeAll(bias: widest))
    }

    /// The float PQ layer of weighted layer `w` learned on `columns`.
    static func learn(_ w: Network.Weighted, columns: Matrix<Double>, floatInput: Activations<Double>?, relu: Bool,
                      options: ConversionOptions) throws -> FloatPQLayer {
        let learnOptions = LearnOptions(ls: options.ls, np: options.np, metric: options.metric, seed: options.seed,
                                        iterations: options.iterations, relu: relu)
        let layer = try FloatPQLayer.learn(weights: w.weights, bias: w.bias, activations: columns, options: learnOptions, conv: w.conv)
        guard let lambda = options.refitLambda, let floatInput else { return layer }
        let targets = try w.columns(of: floatInput).multipliedTransposed(w.weights)
        let table = try LookupTable.ridgeRefit(codes: layer.encode(columns: columns), np: options.np, targets: targets, lambda: lambda)
        return try FloatPQLayer(shape: layer.shape, metric: layer.metric, prototypes: layer.prototypes, table: table, bias: layer.bias,
                                relu: relu, conv: w.conv)
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
