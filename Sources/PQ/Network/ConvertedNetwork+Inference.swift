/// The three ways a converted network runs in software.
public enum NetworkPath: String, CaseIterable, Codable, Sendable {
    /// Every layer in float: the network as trained.
    case float
    /// PQ layers as float PQ layers (prototypes and tables in float).
    case pqFloat
    /// PQ layers as integer layers, bit-exact with the accelerator.
    case integer
}

extension ConvertedNetwork {
    /// Runs the integer layer `layer` on integer columns `[N * pixels, D]`
    /// and returns its outputs `[N * pixels, Cout]`: the golden model by
    /// default, or the accelerator.
    public typealias IntegerRunner = (_ layer: Layer, _ columns: Matrix<Int>) throws -> Matrix<Int>

    /// The outputs `[N, outputs]` of a batch of images (values as stored)
    /// on `path`; on the integer path, `integer` runs the PQ layers.
    public func run(_ images: Activations<Double>, path: NetworkPath,
                    integer: IntegerRunner = { layer, columns in try layer.integer.outputs(columns: columns) }) throws -> Matrix<Double> {
        try network.run(images) { index, w, input in
            if path != .float, let refit = refitFloatLayers[index] { return .real(try refit.apply(input.real)) }
            guard w.pq, let layer = layer(at: index) else { return nil }
            switch path {
            case .float:
                return nil
            case .pqFloat:
                return .real(try w.fold(layer.float.outputs(columns: w.columns(of: input.real))))
            case .integer:
                let columns = try w.columns(of: layer.integerInput(from: input))
                let outputs = try integer(layer, columns)
                guard outputs.rows == columns.rows, outputs.columns == layer.integer.shape.cout else {
                    throw NetworkError.badData(file: "outputs of layer '\(layer.name)'", reason:
                        "[\(outputs.rows), \(outputs.columns)] for \(columns.rows) columns; expected [\(columns.rows), \(layer.integer.shape.cout)]")
                }
                return .quantized(try w.fold(outputs), scale: layer.integer.scales?.output ?? 1)
            }
        }
    }

    /// The class of each image on `path`.
    public func predictions(_ images: Activations<Double>, path: NetworkPath,
                            integer: IntegerRunner = { layer, columns in try layer.integer.outputs(columns: columns) }) throws -> [Int] {
        try run(images, path: path, integer: integer).rowArgmax
    }
}

extension ConvertedNetwork.Layer {
    /// The integer input of this PQ layer: the previous PQ layer's
    /// integers as they are when the layer is chained to it (saturated to
    /// the activation format, a no-op when the output format fits in it),
    /// otherwise the real values quantized with the layer's input scale.
    func integerInput(from input: NetworkTensor) throws -> Activations<Int> {
        let format = integer.formats.activation
        let scale = integer.scales?.input.first ?? 1
        if case let .quantized(values, inputScale) = input, chainedFrom != nil, inputScale == scale {
            return values.map { format.saturate($0) }
        }
        return input.real.map { Quantizer.quantize($0, scale: scale, format: format) }
    }
}
