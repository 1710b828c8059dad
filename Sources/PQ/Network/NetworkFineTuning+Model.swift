import Foundation

extension NetworkFineTuning {
    /// The trainable part of the network from the first PQ layer on, with
    /// its parameters flat: every PQ layer's table (real values), then
    /// weights and bias of every float conv or linear layer after the last
    /// PQ layer. With integer layers, the PQ layers run as the integer
    /// golden model runs them, their tables rounded from the real ones.
    struct Model {
        let network: Network
        let firstPQ: Int
        let lastPQ: Int
        /// The float PQ layers, as they start.
        let pqLayers: [Int: FloatPQLayer]
        /// The integer layers the forward pass runs in place of the float PQ
        /// layers (quantization-aware), or none (PQ-aware).
        let integerLayers: [Int: ConvertedNetwork.Layer]
        /// The float layers after the last PQ layer, as they start.
        let floatLayers: [Int: Network.Weighted]
        /// Per PQ layer whose prototypes learn, the temperature of the soft
        /// assignment their gradient comes from (empty: prototypes fixed;
        /// never a tree layer, whose trees choose the codes).
        let temperatures: [Int: Double]
        /// Parameter arrays: per trained layer (in network order) the table
        /// (then the prototypes when they learn), or the weights then the bias.
        var parameters: [[Double]] = []
        /// For each trained layer index, its first slot in ``parameters``.
        private(set) var slots: [Int: Int] = [:]

        /// The model of `network` whose PQ layers start as `pqLayers` (and
        /// run as `integerLayers` when given) and whose float layers after
        /// the last PQ layer start as `floatLayers` or as the network's own;
        /// the prototypes of the float PQ layers in `temperatures` learn,
        /// unless the layer is a tree layer (its trees encode, so its
        /// prototypes stay as they are).
        init(network: Network, pqLayers: [Int: FloatPQLayer], integerLayers: [Int: ConvertedNetwork.Layer],
             floatLayers: [Int: Network.Weighted], temperatures: [Int: Double] = [:], firstPQ: Int, lastPQ: Int) {
            self.network = network
            self.firstPQ = firstPQ
            self.lastPQ = lastPQ
            self.pqLayers = pqLayers
            self.integerLayers = integerLayers
            self.temperatures = integerLayers.isEmpty ? temperatures.filter { pqLayers[$0.key]?.encoder == .distance } : [:]
            var starts: [Int: Network.Weighted] = [:]
            for index in firstPQ..<network.layers.count {
                guard let w = network.layers[index].weighted else { continue }
                if w.pq, let layer = pqLayers[index] {
                    slots[index] = parameters.count
                    parameters.append(layer.table.values)
                    if self.temperatures[index] != nil { parameters.append(layer.prototypes.values) }
                } else if index > lastPQ {
                    let start = floatLayers[index] ?? w
                    starts[index] = start
                    slots[index] = parameters.count
                    parameters += [start.weights.values, start.bias]
                }
            }
            self.floatLayers = starts
        }

        /// The quantization-aware model of `converted`: its integer PQ
        /// layers, their tables starting from the float PQ layers' (from
        /// which they were rounded), and its float layers after them; nil
        /// without PQ layers.
        init?(quantizationAware converted: ConvertedNetwork) {
            guard let first = converted.layers.first, let last = converted.layers.last else { return nil }
            self.init(network: converted.network, pqLayers: Dictionary(uniqueKeysWithValues: converted.layers.map { ($0.index, $0.float) }),
                      integerLayers: Dictionary(uniqueKeysWithValues: converted.layers.map { ($0.index, $0) }),
                      floatLayers: converted.refitFloatLayers, firstPQ: first.index, lastPQ: last.index)
        }

        var parameterSizes: [Int] { parameters.map(\.count) }

        /// What the backward pass needs of one layer's forward pass.
        enum Saved {
            /// A PQ layer: its codes, per output whether a gradient passes
            /// it (false where a ReLU cut it or the output saturated), and
            /// its input columns when its prototypes learn.
            case pq(codes: Matrix<Int>, passes: [Bool], columns: Matrix<Double>?, input: TensorShape, images: Int)
            case float(columns: Matrix<Double>, input: TensorShape, images: Int, trained: Bool)
            case relu(output: [Double])
            case maxPool(argmax: [Int], inputCount: Int)
            case avgPool(size: Int, stride: Int, input: TensorShape, images: Int)
            case reshape(TensorShape)
        }

        /// The network's outputs `[images, outputs]` of a batch whose first
        /// PQ layer inputs are `input`, and what the backward pass needs.
        func forward(input: Activations<Double>) throws -> (outputs: Matrix<Double>, saved: [(Int, Saved)]) {
            let images = input.count
            var saved: [(Int, Saved)] = []
            var current = NetworkTensor.real(input)
            for index in firstPQ..<network.layers.count {
                let layer = network.layers[index]
                switch layer.operation {
                case let .weighted(w):
                    if w.pq, let slot = slots[index] {
                        let (output, step) = try pqForward(index, w, input: current, slot: slot)
                        saved.append((index, .pq(codes: step.codes, passes: step.passes, columns: step.columns, input: layer.inputShape, images: images)))
                        current = output
                    } else {
                        let trained = slots[index] != nil
                        let weights = trained ? Matrix(unchecked: w.weights.rows, w.weights.columns, parameters[slots[index]!]) : w.weights
                        let bias = trained ? parameters[slots[index]! + 1] : w.bias
                        let columns = try w.columns(of: current.real)
                        var out = try columns.multipliedTransposed(weights)
                        for r in 0..<out.rows { for c in 0..<out.columns { out[r, c] += bias[c] } }
                        saved.append((index, .float(columns: columns, input: layer.inputShape, images: images, trained: trained)))
                        current = .real(try w.fold(out))
                    }
                case .relu:
                    current = current.relu()
                    saved.append((index, .relu(output: current.real.values)))
                case let .maxPool(size, stride):
                    let real = current.real
                    saved.append((index, .maxPool(argmax: Self.maxPoolArgmax(real, size: size, stride: stride), inputCount: real.values.count)))
                    current = current.maxPooled(size: size, stride: stride)
                case let .avgPool(size, stride):
                    saved.append((index, .avgPool(size: size, stride: stride, input: layer.inputShape, images: images)))
                    current = current.averagePooled(size: size, stride: stride)
                case .flatten:
                    saved.append((index, .reshape(layer.inputShape)))
                    current = current.reshaped(layer.outputShape)
                case .add:
                    throw NetworkError.invalidField(layer: layer.name, field: "kind", value: "add", fix: "convert without fine-tuning")
                }
            }
            let logits = current.real
            return (Matrix(unchecked: images, logits.shape.count, logits.values), saved)
        }

        /// PQ layer `index` on `input` with the parameters from `slot`: its
        /// output, codes, gradient mask and (when its prototypes learn) input columns.
        private func pqForward(_ index: Int, _ w: Network.Weighted, input: NetworkTensor,
                               slot: Int) throws -> (NetworkTensor, (codes: Matrix<Int>, passes: [Bool], columns: Matrix<Double>?)) {
            let table = parameters[slot]
            if let q = integerLayers[index] {
                let integer = q.integer
                let codes = try integer.encode(columns: w.columns(of: q.integerInput(from: input)))
                let tableScale = integer.scales?.table ?? 1
                let entries = table.map { Quantizer.quantize($0, scale: tableScale, format: integer.formats.entry) }
                let sums = Self.tableSums(codes: codes, table: entries, bias: integer.bias, np: integer.shape.np)
                let requantization = integer.requantization, format = integer.formats.output
                let outputs = sums.map { requantization.apply($0, output: format) }
                let passes = sums.values.map { sum in
                    let shifted = Requantization.roundingShift(sum * requantization.multiplier, by: requantization.shift)
                    return format.contains(shifted) && (!requantization.relu || shifted > 0)
                }
                return (.quantized(try w.fold(outputs), scale: integer.scales?.output ?? 1), (codes, passes, nil))
            }
            guard let layer = pqLayers[index] else { throw NetworkError.invalidField(layer: network.layers[index].name, field: "pq", value: "true", fix: "convert the layer first") }
            let columns = try w.columns(of: input.real)
            let learns = temperatures[index] != nil
            let codes = learns ? try Codebooks(ns: layer.shape.ns, np: layer.shape.np, ls: layer.shape.ls, values: parameters[slot + 1])
                .encode(columns: columns, metric: layer.metric) : try layer.encode(columns: columns)
            let sums = Self.tableSums(codes: codes, table: table, bias: layer.bias, np: layer.shape.np)
            let outputs = layer.relu ? sums.map { max($0, 0) } : sums
            return (.real(try w.fold(outputs)), (codes, sums.values.map { !layer.relu || $0 > 0 }, learns ? columns : nil))
        }

        /// The mean distillation loss over a batch whose first PQ layer
        /// inputs are `input`, and its gradients, one array per parameter array.
        func gradients(input: Activations<Double>, teacher: Matrix<Double>) throws -> (loss: Double, gradients: [[Double]]) {
            let images = input.count
            let (logits, saved) = try forward(input: input)
            // d(mean cross-entropy against the teacher)/d logits = (softmax - teacher) / images.
            let probabilities = logits.rowSoftmax()
            let loss = logits.crossEntropy(against: teacher)
            var gradient = zip(probabilities.values, teacher.values).map { ($0 - $1) / Double(images) }
            var result = parameters.map { [Double](repeating: 0, count: $0.count) }
            for (index, step) in saved.reversed() {
                let needInput = index > firstPQ
                switch step {
                case let .pq(codes, passes, columns, input, count):
                    guard let layer = pqLayers[index], let w = network.layers[index].weighted, let slot = slots[index] else { continue }
                    var rows = try w.unfold(gradient, images: count).values
                    for i in rows.indices where !passes[i] { rows[i] = 0 }
                    let g = Matrix(unchecked: codes.rows, layer.shape.cout, rows)
                    let (np, cout, ns) = (layer.shape.np, layer.shape.cout, layer.shape.ns)
                    for r in 0..<codes.rows {
                        for s in 0..<ns {
                            let base = (s * np + codes.values[r * ns + s]) * cout
                            for c in 0..<cout { result[slot][base + c] += g.values[r * cout + c] }
                        }
                    }
                    if let columns, let temperature = temperatures[index] {
                        Self.prototypeGradient(g, columns: columns, codebooks: parameters[slot + 1], table: parameters[slot], shape: layer.shape,
                                               temperature: temperature, into: &result[slot + 1])
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

        /// The trained float layers after the last PQ layer, by network
        /// index, their weights rounded to float32 as folders store them.
        private var trainedFloatLayers: [Int: Network.Weighted] {
            var result: [Int: Network.Weighted] = [:]
            for (index, start) in floatLayers {
                guard let slot = slots[index] else { continue }
                let f32 = { (v: Double) in Double(Float(v)) }
                result[index] = Network.Weighted(
                    conv: start.conv, weights: Matrix(unchecked: start.weights.rows, start.weights.columns, parameters[slot].map(f32)),
                    bias: parameters[slot + 1].map(f32), pq: false)
            }
            return result
        }

        /// The float PQ layer `index` with its trained table (and prototypes).
        private func trainedPQLayer(_ index: Int) throws -> FloatPQLayer? {
            guard let layer = pqLayers[index], let slot = slots[index] else { return nil }
            let table = LookupTable(unchecked: layer.shape.ns, layer.shape.np, layer.shape.cout, parameters[slot])
            let prototypes = temperatures[index] == nil ? layer.prototypes
                : Codebooks(unchecked: layer.shape.ns, layer.shape.np, layer.shape.ls, parameters[slot + 1])
            return try FloatPQLayer(shape: layer.shape, metric: layer.metric, prototypes: prototypes, table: table,
                                    bias: layer.bias, relu: layer.relu, conv: layer.conv, trees: layer.trees)
        }

        /// Writes the trained tables and float layers into `learned`.
        func store(into learned: inout ConvertedNetwork.Learned) throws {
            for index in pqLayers.keys { if let tuned = try trainedPQLayer(index) { learned.layers[index]?.layer = tuned } }
            learned.refitFloatLayers.merge(trainedFloatLayers) { $1 }
        }

        /// `converted` with the trained tables, rounded into its integer
        /// layers as the forward pass rounds them, and float layers.
        func quantizationAware(_ converted: ConvertedNetwork) throws -> ConvertedNetwork {
            let layers = try converted.layers.map { layer -> ConvertedNetwork.Layer in
                guard let float = try trainedPQLayer(layer.index) else { return layer }
                let integer = layer.integer, tableScale = integer.scales?.table ?? 1
                let entries = float.table.values.map { Quantizer.quantize($0, scale: tableScale, format: integer.formats.entry) }
                let tuned = try IntegerPQLayer(
                    configuration: integer.configuration, prototypes: integer.prototypes,
                    table: LookupTable(ns: integer.shape.ns, np: integer.shape.np, cout: integer.shape.cout, values: entries),
                    bias: integer.bias, requantization: integer.requantization, scales: integer.scales, conv: integer.conv,
                    trees: integer.trees)
                return ConvertedNetwork.Layer(index: layer.index, name: layer.name, float: float, integer: tuned, chainedFrom: layer.chainedFrom)
            }
            return try ConvertedNetwork(network: converted.network, options: converted.options, calibrationImages: converted.calibrationImages,
                                        layers: layers, refitFloatLayers: converted.refitFloatLayers.merging(trainedFloatLayers) { $1 })
        }

        /// Table sums plus bias `[N, Cout]` of `codes`, before any ReLU.
        static func tableSums<S: Numeric & Sendable>(codes: Matrix<Int>, table: [S], bias: [S], np: Int) -> Matrix<S> {
            let (ns, cout) = (codes.columns, bias.count)
            var out = [S](repeating: 0, count: codes.rows * cout)
            for r in 0..<codes.rows {
                for c in 0..<cout { out[r * cout + c] = bias[c] }
                for s in 0..<ns {
                    let base = (s * np + codes.values[r * ns + s]) * cout
                    for c in 0..<cout { out[r * cout + c] += table[base + c] }
                }
            }
            return Matrix(unchecked: codes.rows, cout, out)
        }
    }
}
