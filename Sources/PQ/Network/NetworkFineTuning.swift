import Foundation

/// PQ-aware fine-tuning of a network being converted: the tables of its PQ
/// layers and the float conv and linear layers after the last PQ layer (the
/// classifier) are trained by gradient descent so that the float PQ network's
/// outputs match the float network's on the calibration images (distillation:
/// cross-entropy against the float network's softmax; no labels needed).
///
/// The prototypes stay fixed, so the codes do not move with a gradient: in
/// the forward pass every PQ layer encodes its input with hard argmin codes
/// and adds table rows; in the backward pass a table row's gradient is the
/// sum of the output gradients of the columns that chose it, and the
/// gradient reaching a PQ layer's input is the float layer's (`∂y/∂x ≈ W`, the
/// straight-through estimator of PECAN and LUT-NN), so tables of earlier PQ
/// layers learn what later ones need. The layers before the first PQ layer
/// are not trained (the first PQ layer's codes are computed once). Adam,
/// batches of ``batchSize`` images in an order drawn from the conversion's
/// seed: deterministic.
enum NetworkFineTuning {
    /// Images per gradient step.
    static let batchSize = 64

    /// Trains `learned` in place for `epochs` passes over `calibration`
    /// with Adam at `learningRate`; then each PQ layer's columns are those
    /// of the fine-tuned float PQ network.
    static func run(_ network: Network, learned: inout ConvertedNetwork.Learned, calibration: Activations<Double>,
                    epochs: Int, learningRate: Double, seed: UInt64) throws {
        let pq = network.pqLayerIndices
        guard let firstPQ = pq.first, let lastPQ = pq.last, epochs > 0, calibration.count > 0 else { return }
        if let add = network.layers.indices.first(where: { $0 >= firstPQ && network.layers[$0].kind == .add }) {
            throw NetworkError.invalidField(layer: network.layers[add].name, field: "kind", value: "add",
                                            fix: "fine-tuning handles conv, linear, relu, pooling and flatten after the first PQ layer; convert without fine-tuning")
        }
        // Teacher probabilities and the fixed codes of the first PQ layer.
        let teacher = try network.run(calibration).rowSoftmax()
        var firstCodes: Matrix<Int>?
        _ = try network.run(calibration) { index, w, input in
            guard index == firstPQ, let layer = learned.layers[index]?.layer else { return nil }
            firstCodes = try layer.encode(columns: w.columns(of: input.real))
            return .real(try w.fold(layer.outputs(codes: firstCodes!)))
        }
        guard let firstCodes else { return }
        var model = Model(network: network, learned: learned, firstPQ: firstPQ, lastPQ: lastPQ)
        var adam = Adam(sizes: model.parameterSizes, learningRate: learningRate)
        var generator = SeededGenerator(seed: seed, stream: 0xF1AE)
        let columnsPerImage = network.layers[firstPQ].weighted?.columnsPerImage ?? 1
        let ns = firstCodes.columns
        var order = Array(0..<calibration.count)
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.nextInt(below: i + 1)) }
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = Array(order[start..<min(start + batchSize, order.count)])
                var codes = [Int]()
                codes.reserveCapacity(batch.count * columnsPerImage * ns)
                for image in batch {
                    codes += firstCodes.values[(image * columnsPerImage * ns)..<((image + 1) * columnsPerImage * ns)]
                }
                var target = [Double]()
                for image in batch { target += teacher.row(image) }
                let gradients = try model.gradients(firstCodes: Matrix(unchecked: batch.count * columnsPerImage, ns, codes),
                                                    images: batch.count, teacher: Matrix(unchecked: batch.count, teacher.columns, target))
                adam.step(&model.parameters, gradients.gradients)
            }
        }
        try model.store(into: &learned)
        // Quantization calibrates on the columns the fine-tuned network gives each PQ layer.
        _ = try network.run(calibration) { index, w, input in
            if let refit = learned.refitFloatLayers[index] { return .real(try refit.apply(input.real)) }
            guard w.pq, let entry = learned.layers[index] else { return nil }
            let columns = try w.columns(of: input.real)
            learned.layers[index] = (entry.layer, columns)
            return .real(try w.fold(entry.layer.outputs(columns: columns)))
        }
    }

    /// The trainable part of the network from the first PQ layer on, with
    /// its parameters flat: every PQ layer's table, then weights and bias of
    /// every float conv or linear layer after the last PQ layer.
    struct Model {
        let network: Network
        let firstPQ: Int
        let lastPQ: Int
        var pqLayers: [Int: FloatPQLayer]
        /// The float layers after the last PQ layer, as they start.
        var floatLayers: [Int: Network.Weighted]
        /// Parameter arrays: per trained layer (in network order) the table,
        /// or the weights then the bias.
        var parameters: [[Double]]
        /// For each trained layer index, its first slot in ``parameters``.
        var slots: [Int: Int] = [:]

        init(network: Network, learned: ConvertedNetwork.Learned, firstPQ: Int, lastPQ: Int) {
            self.network = network
            self.firstPQ = firstPQ
            self.lastPQ = lastPQ
            pqLayers = learned.layers.mapValues(\.layer)
            floatLayers = [:]
            parameters = []
            for index in firstPQ..<network.layers.count {
                guard let w = network.layers[index].weighted else { continue }
                if w.pq, let layer = pqLayers[index] {
                    slots[index] = parameters.count
                    parameters.append(layer.table.values)
                } else if index > lastPQ {
                    let start = learned.refitFloatLayers[index] ?? w
                    floatLayers[index] = start
                    slots[index] = parameters.count
                    parameters += [start.weights.values, start.bias]
                }
            }
        }

        var parameterSizes: [Int] { parameters.map(\.count) }

        /// What the backward pass needs of one layer's forward pass.
        enum Saved {
            case pq(codes: Matrix<Int>, pre: [Double], input: TensorShape, images: Int)
            case float(columns: Matrix<Double>, input: TensorShape, images: Int, trained: Bool)
            case relu(output: [Double])
            case maxPool(argmax: [Int], inputCount: Int)
            case avgPool(size: Int, stride: Int, input: TensorShape, images: Int)
            case reshape(TensorShape)
        }

        /// The mean distillation loss over a batch whose first PQ layer codes
        /// are `firstCodes`, and its gradients, one array per parameter array.
        func gradients(firstCodes: Matrix<Int>, images: Int, teacher: Matrix<Double>) throws -> (loss: Double, gradients: [[Double]]) {
            var saved: [(Int, Saved)] = []
            var current: Activations<Double>?
            for index in firstPQ..<network.layers.count {
                let layer = network.layers[index]
                switch layer.operation {
                case let .weighted(w):
                    if w.pq, let pqLayer = pqLayers[index], let slot = slots[index] {
                        let codes = try current.map { try pqLayer.encode(columns: w.columns(of: $0)) } ?? firstCodes
                        let pre = Self.tableSums(codes: codes, table: parameters[slot], bias: pqLayer.bias, np: pqLayer.shape.np)
                        saved.append((index, .pq(codes: codes, pre: pre.values, input: layer.inputShape, images: images)))
                        current = try w.fold(pqLayer.relu ? pre.map { max($0, 0) } : pre)
                    } else if let input = current {
                        let trained = slots[index] != nil
                        let weights = trained ? Matrix(unchecked: w.weights.rows, w.weights.columns, parameters[slots[index]!]) : w.weights
                        let bias = trained ? parameters[slots[index]! + 1] : w.bias
                        let columns = try w.columns(of: input)
                        var out = try columns.multipliedTransposed(weights)
                        for r in 0..<out.rows { for c in 0..<out.columns { out[r, c] += bias[c] } }
                        saved.append((index, .float(columns: columns, input: layer.inputShape, images: images, trained: trained)))
                        current = try w.fold(out)
                    }
                case .relu:
                    guard let input = current else { continue }
                    let output = input.relu()
                    saved.append((index, .relu(output: output.values)))
                    current = output
                case let .maxPool(size, stride):
                    guard let input = current else { continue }
                    let (output, argmax) = Self.maxPool(input, size: size, stride: stride)
                    saved.append((index, .maxPool(argmax: argmax, inputCount: input.values.count)))
                    current = output
                case let .avgPool(size, stride):
                    guard let input = current else { continue }
                    saved.append((index, .avgPool(size: size, stride: stride, input: input.shape, images: images)))
                    current = input.averagePooled(size: size, stride: stride)
                case .flatten:
                    guard let input = current else { continue }
                    saved.append((index, .reshape(input.shape)))
                    current = input.reshaped(layer.outputShape)
                case .add:
                    throw NetworkError.invalidField(layer: layer.name, field: "kind", value: "add", fix: "convert without fine-tuning")
                }
            }
            guard let logits = current else { return (0, parameters.map { [Double](repeating: 0, count: $0.count) }) }
            // d(mean cross-entropy against the teacher)/d logits = (softmax - teacher) / images.
            let probabilities = Matrix(unchecked: images, teacher.columns, logits.values).rowSoftmax()
            let loss = zip(probabilities.values, teacher.values).reduce(0) { $0 - $1.1 * Foundation.log(max($1.0, 1e-300)) } / Double(images)
            var gradient = zip(probabilities.values, teacher.values).map { ($0 - $1) / Double(images) }
            var result = parameters.map { [Double](repeating: 0, count: $0.count) }
            for (index, step) in saved.reversed() {
                let needInput = index > firstPQ
                switch step {
                case let .pq(codes, pre, input, count):
                    guard let layer = pqLayers[index], let w = network.layers[index].weighted, let slot = slots[index] else { continue }
                    var rows = try w.unfold(gradient, images: count).values
                    if layer.relu { for i in rows.indices where pre[i] <= 0 { rows[i] = 0 } }
                    let g = Matrix(unchecked: codes.rows, layer.shape.cout, rows)
                    let (np, cout, ns) = (layer.shape.np, layer.shape.cout, layer.shape.ns)
                    for r in 0..<codes.rows {
                        for s in 0..<ns {
                            let base = (s * np + codes.values[r * ns + s]) * cout
                            for c in 0..<cout { result[slot][base + c] += g.values[r * cout + c] }
                        }
                    }
                    // Straight through: the float layer's input gradient.
                    if needInput { gradient = try Self.inputGradient(g, weights: w.weights, conv: w.conv, input: input, images: count) }
                case let .float(columns, input, count, trained):
                    guard let w = network.layers[index].weighted else { continue }
                    let g = try w.unfold(gradient, images: count)
                    let weights = trained ? Matrix(unchecked: w.weights.rows, w.weights.columns, parameters[slots[index]!]) : w.weights
                    if trained, let slot = slots[index] {
                        let (d, cout) = (columns.columns, g.columns)
                        for r in 0..<g.rows {
                            for c in 0..<cout where g.values[r * cout + c] != 0 {
                                let gv = g.values[r * cout + c]
                                result[slot + 1][c] += gv
                                for j in 0..<d { result[slot][c * d + j] += gv * columns.values[r * d + j] }
                            }
                        }
                    }
                    if needInput { gradient = try Self.inputGradient(g, weights: weights, conv: w.conv, input: input, images: count) }
                case let .relu(output):
                    for i in gradient.indices where output[i] <= 0 { gradient[i] = 0 }
                case let .maxPool(argmax, inputCount):
                    var g = [Double](repeating: 0, count: inputCount)
                    for (o, i) in argmax.enumerated() { g[i] += gradient[o] }
                    gradient = g
                case let .avgPool(size, stride, input, count):
                    gradient = Self.averagePoolGradient(gradient, size: size, stride: stride, input: input, images: count)
                case .reshape:
                    break
                }
            }
            return (loss, result)
        }

        /// Writes the trained tables and float layers into `learned`.
        func store(into learned: inout ConvertedNetwork.Learned) throws {
            for (index, slot) in slots {
                if let layer = pqLayers[index] {
                    let table = LookupTable(unchecked: layer.shape.ns, layer.shape.np, layer.shape.cout, parameters[slot])
                    let tuned = try FloatPQLayer(shape: layer.shape, metric: layer.metric, prototypes: layer.prototypes, table: table,
                                                 bias: layer.bias, relu: layer.relu, conv: layer.conv)
                    learned.layers[index]?.layer = tuned
                } else if let start = floatLayers[index] {
                    let f32 = { (v: Double) in Double(Float(v)) }
                    learned.refitFloatLayers[index] = Network.Weighted(
                        conv: start.conv, weights: Matrix(unchecked: start.weights.rows, start.weights.columns, parameters[slot].map(f32)),
                        bias: parameters[slot + 1].map(f32), pq: false)
                }
            }
        }

        /// Table sums plus bias `[N, Cout]` of `codes`, before any ReLU.
        static func tableSums(codes: Matrix<Int>, table: [Double], bias: [Double], np: Int) -> Matrix<Double> {
            let (ns, cout) = (codes.columns, bias.count)
            var out = [Double](repeating: 0, count: codes.rows * cout)
            for r in 0..<codes.rows {
                for c in 0..<cout { out[r * cout + c] = bias[c] }
                for s in 0..<ns {
                    let base = (s * np + codes.values[r * ns + s]) * cout
                    for c in 0..<cout { out[r * cout + c] += table[base + c] }
                }
            }
            return Matrix(unchecked: codes.rows, cout, out)
        }

        /// The gradient of a conv or linear layer's input (NCHW, flat) from
        /// the gradient of its per-column outputs `[N * pixels, Cout]`.
        static func inputGradient(_ g: Matrix<Double>, weights: Matrix<Double>, conv: ConvGeometry?, input: TensorShape,
                                  images: Int) throws -> [Double] {
            let (d, cout) = (weights.columns, weights.rows)
            var columns = [Double](repeating: 0, count: g.rows * d)
            for r in 0..<g.rows {
                for c in 0..<cout where g.values[r * cout + c] != 0 {
                    let gv = g.values[r * cout + c]
                    for j in 0..<d { columns[r * d + j] += gv * weights.values[c * d + j] }
                }
            }
            guard let conv else { return columns }
            return conv.col2im(columns, count: images)
        }

        /// Max pooling that also returns, per output, the flat index of the
        /// input it took (the first largest of its window).
        static func maxPool(_ input: Activations<Double>, size: Int, stride: Int) -> (Activations<Double>, [Int]) {
            let shape = input.shape
            let out = Activations<Double>.pooledShape(shape, size: size, stride: stride)
            var values: [Double] = [], argmax: [Int] = []
            for plane in 0..<(input.count * shape.channels) {
                let base = plane * shape.height * shape.width
                for y in 0..<out.height {
                    for x in 0..<out.width {
                        var best = base + y * stride * shape.width + x * stride
                        for i in 0..<size {
                            for j in 0..<size {
                                let k = base + (y * stride + i) * shape.width + x * stride + j
                                if input.values[k] > input.values[best] { best = k }
                            }
                        }
                        values.append(input.values[best])
                        argmax.append(best)
                    }
                }
            }
            return (Activations(unchecked: input.count, out, values), argmax)
        }

        /// The input gradient of an average pooling.
        static func averagePoolGradient(_ g: [Double], size: Int, stride: Int, input: TensorShape, images: Int) -> [Double] {
            let out = Activations<Double>.pooledShape(input, size: size, stride: stride)
            var result = [Double](repeating: 0, count: images * input.count)
            let share = 1 / Double(size * size)
            let planeSize = input.height * input.width
            for plane in 0..<(images * input.channels) {
                for y in 0..<out.height {
                    for x in 0..<out.width {
                        let gv: Double = g[(plane * out.height + y) * out.width + x] * share
                        for i in 0..<size {
                            let rowStart: Int = plane * planeSize + (y * stride + i) * input.width + x * stride
                            for j in 0..<size { result[rowStart + j] += gv }
                        }
                    }
                }
            }
            return result
        }
    }
}
