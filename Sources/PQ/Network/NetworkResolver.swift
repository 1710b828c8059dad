/// Checks the layers of a description one by one, following the tensor
/// shape through them, and loads the weights of conv and linear layers.
struct NetworkResolver {
    let description: NetworkDescription
    let inputShape: TensorShape
    let arrays: (String) throws -> NPYArray?

    func layers() throws -> [Network.Layer] {
        let entries = description.layers
        var names: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard !entry.name.isEmpty, entry.name != "input" else {
                throw NetworkError.invalidField(layer: entry.name.isEmpty ? "#\(index)" : entry.name, field: "name", value: "\"\(entry.name)\"",
                                                fix: "give every layer a non-empty name other than \"input\"")
            }
            guard names[entry.name] == nil else {
                throw NetworkError.invalidField(layer: entry.name, field: "name", value: "\"\(entry.name)\"", fix: "layer names must be unique")
            }
            names[entry.name] = index
            guard LayerKind(rawValue: entry.kind) != nil else { throw NetworkError.unsupportedKind(layer: entry.name, kind: entry.kind) }
        }
        let weightedIndices = entries.indices.filter { ["conv", "linear"].contains(entries[$0].kind) }
        let firstConv = weightedIndices.first { entries[$0].kind == "conv" }
        let classifier = weightedIndices.last
        var shape = inputShape
        var result: [Network.Layer] = []
        for (index, entry) in entries.enumerated() {
            let defaultPQ = index != firstConv && index != classifier
            let (operation, output) = try resolve(entry, kind: LayerKind(rawValue: entry.kind) ?? .relu, input: shape,
                                                  defaultPQ: defaultPQ, names: names, index: index, previous: result)
            result.append(Network.Layer(name: entry.name, kind: LayerKind(rawValue: entry.kind) ?? .relu, operation: operation,
                                        inputShape: shape, outputShape: output))
            shape = output
        }
        return result
    }

    private func resolve(_ entry: NetworkDescription.Layer, kind: LayerKind, input: TensorShape, defaultPQ: Bool,
                         names: [String: Int], index: Int, previous: [Network.Layer]) throws -> (Network.Operation, TensorShape) {
        let name = entry.name
        func field(_ field: String, _ value: Int?, default fallback: Int? = nil, in range: ClosedRange<Int>) throws -> Int {
            guard let value = value ?? fallback else {
                throw NetworkError.invalidField(layer: name, field: field, value: "missing", fix: "a \(kind.rawValue) layer needs '\(field)'")
            }
            guard range.contains(value) else {
                throw NetworkError.invalidField(layer: name, field: field, value: "\(value)", fix: "give a value in \(range)")
            }
            return value
        }
        switch kind {
        case .conv:
            let out = try field("outChannels", entry.outChannels, in: 1...PQShape.maxNsOrCout)
            let kernel = try field("kernel", entry.kernel, in: 1...min(input.height, input.width) + 2 * max(0, entry.padding ?? 0))
            let stride = try field("stride", entry.stride, default: 1, in: 1...65536)
            let padding = try field("padding", entry.padding, default: 0, in: 0...65536)
            let conv = try ConvGeometry(inChannels: input.channels, inHeight: input.height, inWidth: input.width,
                                        kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding)
            let weighted = try weights(name, conv: conv, rows: out, shape: [out, input.channels, kernel, kernel], pq: entry.pq ?? defaultPQ)
            return (.weighted(weighted), weighted.outputShape)
        case .linear:
            guard input.isFlat else {
                throw NetworkError.invalidField(layer: name, field: "kind", value: "linear on a \(input) tensor",
                                                fix: "add a flatten layer before it")
            }
            let out = try field("outFeatures", entry.outFeatures, in: 1...PQShape.maxNsOrCout)
            let weighted = try weights(name, conv: nil, rows: out, shape: [out, input.count], pq: entry.pq ?? defaultPQ)
            return (.weighted(weighted), weighted.outputShape)
        case .relu:
            return (.relu, input)
        case .maxpool, .avgpool:
            let size = try field("size", entry.size, in: 1...max(1, min(input.height, input.width)))
            let stride = try field("stride", entry.stride, default: size, in: 1...65536)
            let output = Activations<Double>.pooledShape(input, size: size, stride: stride)
            return (kind == .maxpool ? .maxPool(size: size, stride: stride) : .avgPool(size: size, stride: stride), output)
        case .flatten:
            return (.flatten, TensorShape(channels: input.count, height: 1, width: 1))
        case .add:
            guard let from = entry.from else {
                throw NetworkError.invalidField(layer: name, field: "from", value: "missing", fix: "name the earlier layer (or \"input\") to add")
            }
            let source: Int?
            if from == "input" {
                source = nil
            } else {
                guard let found = names[from], found < index else {
                    throw NetworkError.invalidField(layer: name, field: "from", value: "\"\(from)\"", fix: "name a layer before this one, or \"input\"")
                }
                source = found
            }
            let other = source.map { previous[$0].outputShape } ?? inputShape
            guard other == input else {
                throw NetworkError.invalidField(layer: name, field: "from", value: "\"\(from)\" of shape \(other)",
                                                fix: "add a tensor of this layer's input shape \(input)")
            }
            return (.add(from: source), input)
        }
    }

    private func weights(_ name: String, conv: ConvGeometry?, rows: Int, shape: [Int], pq: Bool) throws -> Network.Weighted {
        let weightFile = "\(name).weight.npy", biasFile = "\(name).bias.npy"
        guard let weightArray = try arrays(weightFile) else {
            throw NetworkError.missingFile(file: weightFile, needed: "layer '\(name)' needs its weights \(shape) beside network.json")
        }
        guard weightArray.shape == shape else { throw NetworkError.wrongShape(layer: name, file: weightFile, expected: shape, found: weightArray.shape) }
        var bias = [Double](repeating: 0, count: rows)
        if let biasArray = try arrays(biasFile) {
            guard biasArray.shape == [rows] else { throw NetworkError.wrongShape(layer: name, file: biasFile, expected: [rows], found: biasArray.shape) }
            bias = biasArray.doubles
        }
        let values = weightArray.doubles
        for (file, array) in [(weightFile, values), (biasFile, bias)] {
            if let bad = array.firstIndex(where: { !$0.isFinite }) {
                throw NetworkError.badData(file: file, reason: "value \(array[bad]) at flat index \(bad) of layer '\(name)' is not finite; retrain or fix the export")
            }
        }
        let d = values.count / rows
        return Network.Weighted(conv: conv, weights: Matrix(unchecked: rows, d, values), bias: bias, pq: pq)
    }
}
