import Foundation

/// Fine-tuning of a network being converted: the tables of its PQ layers
/// and the float conv and linear layers after the last PQ layer (the
/// classifier) are trained by gradient descent so that the PQ network's
/// outputs match the float network's on the calibration images
/// (distillation: cross-entropy against the float network's softmax; no
/// labels needed). Two forward passes can be trained:
///
/// - **PQ-aware** (``run(_:learned:calibration:epochs:learningRate:prototypes:shift:seed:)``):
///   the float PQ layers, before quantization;
/// - **quantization-aware**
///   (``runQuantizationAware(_:calibration:epochs:learningRate:shift:seed:)``):
///   the integer PQ layers exactly as the integer golden model runs them
///   (integer inputs, codes from the integer prototypes, table entries
///   rounded and saturated to their format, the requantization's rounding,
///   saturation and ReLU), the tables kept as real shadows that the forward
///   pass rounds (fake quantization), so what is trained is what is deployed.
///
/// The codes do not move with a gradient: in the forward pass every PQ
/// layer encodes its input with hard codes (argmin, or the leaf a tree
/// layer's tree reaches) and adds table rows. The prototypes stay fixed,
/// unless the PQ-aware pass learns them too, from LUT-NN's soft assignment
/// in the backward pass
/// (``Model/prototypeGradient(_:columns:codebooks:table:shape:temperature:into:)``).
/// A tree layer (``EncoderKind/tree``) trains its table only: its trees,
/// not its prototypes, choose the codes, so a soft assignment to the
/// prototypes would train something the forward pass never reads; its
/// trees and prototypes stay as learned, whatever `prototypes` asks.
/// In the backward pass a table row's gradient is the sum of the output
/// gradients of the columns that chose it (through the rounding straight
/// through, and not where an output saturated or a ReLU cut it), and the
/// gradient reaching a PQ layer's input is the float layer's (`∂y/∂x ≈ W`,
/// the straight-through estimator of PECAN and LUT-NN), so tables of earlier
/// PQ layers learn what later ones need. The layers before the first PQ
/// layer are not trained. Adam, batches of ``batchSize`` images in an order
/// (and, with a shift, offsets) drawn from the conversion's seed:
/// deterministic.
enum NetworkFineTuning {
    /// Images per gradient step.
    static let batchSize = 64

    /// Trains `learned` in place for `epochs` passes over `calibration`
    /// with Adam at `learningRate`, the prototypes too when `prototypes`
    /// (l2 layers only; tree layers keep theirs and their trees); then each
    /// PQ layer's columns are those of the fine-tuned float PQ network.
    static func run(_ network: Network, learned: inout ConvertedNetwork.Learned, calibration: Activations<Double>,
                    epochs: Int, learningRate: Double, prototypes: Bool = false, shift: Int = 0, seed: UInt64) throws {
        let pq = network.pqLayerIndices
        guard let firstPQ = pq.first, let lastPQ = pq.last, epochs > 0, calibration.count > 0 else { return }
        try checkTrainable(network, firstPQ: firstPQ)
        var temperatures: [Int: Double] = [:]
        for (index, entry) in learned.layers where prototypes && entry.layer.encoder == .distance {
            guard entry.layer.metric == .l2 else {
                throw NetworkError.invalidField(layer: network.layers[index].name, field: "metric", value: entry.layer.metric.rawValue,
                                                fix: "prototypes fine-tune under the l2 metric only; convert without fine-tuning the prototypes")
            }
            temperatures[index] = try Model.temperature(entry.layer, columns: entry.columns)
        }
        var model = Model(network: network, pqLayers: learned.layers.mapValues(\.layer), integerLayers: [:],
                          floatLayers: learned.refitFloatLayers, temperatures: temperatures, firstPQ: firstPQ, lastPQ: lastPQ)
        try train(&model, calibration: calibration, epochs: epochs, learningRate: learningRate, shift: shift,
                  generator: SeededGenerator(seed: seed, stream: 0xF1AE))
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

    /// `converted` with its integer tables and its float layers after the
    /// PQ layers trained for `epochs` passes over `calibration` through the
    /// integer forward pass (Adam at `learningRate`). Formats, scales,
    /// prototypes, biases and requantizations stay as they are; each float
    /// PQ layer's table becomes its trained real shadow, so the pqFloat path
    /// runs the shadows the integer tables were rounded from.
    static func runQuantizationAware(_ converted: ConvertedNetwork, calibration: Activations<Double>, epochs: Int,
                                     learningRate: Double, shift: Int = 0, seed: UInt64) throws -> ConvertedNetwork {
        let network = converted.network
        guard var model = Model(quantizationAware: converted), epochs > 0, calibration.count > 0 else { return converted }
        try checkTrainable(network, firstPQ: model.firstPQ)
        try train(&model, calibration: calibration, epochs: epochs, learningRate: learningRate, shift: shift,
                  generator: SeededGenerator(seed: seed, stream: 0x0A7E))
        return try model.quantizationAware(converted)
    }

    /// The inputs of `network`'s first PQ layer (index `firstPQ`) on every
    /// image of `images`: what the layers before it, never trained, give it.
    static func firstLayerInputs(_ network: Network, firstPQ: Int, images: Activations<Double>) throws -> Activations<Double> {
        var inputs: Activations<Double>?
        _ = try network.run(images) { index, _, input in
            if index == firstPQ { inputs = input.real }
            return nil
        }
        return inputs ?? images
    }

    /// Throws when a layer from the first PQ layer on is one the backward
    /// pass does not handle (a residual add).
    static func checkTrainable(_ network: Network, firstPQ: Int) throws {
        if let add = network.layers.indices.first(where: { $0 >= firstPQ && network.layers[$0].kind == .add }) {
            throw NetworkError.invalidField(layer: network.layers[add].name, field: "kind", value: "add",
                                            fix: "fine-tuning handles conv, linear, relu, pooling and flatten after the first PQ layer; convert without fine-tuning")
        }
    }

    /// `epochs` passes of Adam at `learningRate` over `calibration` in
    /// batches of ``batchSize``, in orders drawn from `generator`, towards
    /// the float network's softmax. With `shift`, each image of each batch
    /// is first moved by a random offset in `-shift...shift` pixels down and
    /// across (zeros shifted in), drawn from `generator` too, and the float
    /// network's outputs on the moved image are its target.
    static func train(_ model: inout Model, calibration: Activations<Double>, epochs: Int, learningRate: Double,
                      shift: Int = 0, generator: SeededGenerator) throws {
        let (network, firstPQ) = (model.network, model.firstPQ)
        let size = calibration.shape.count
        var generator = generator
        var adam = Adam(sizes: model.parameterSizes, learningRate: learningRate)
        var order = Array(0..<calibration.count)
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.nextInt(below: i + 1)) }
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = order[start..<min(start + batchSize, order.count)]
                var values = [Double]()
                values.reserveCapacity(batch.count * size)
                for image in batch {
                    let pixels = calibration.values[(image * size)..<((image + 1) * size)]
                    guard shift > 0 else { values += pixels; continue }
                    let dy = generator.nextInt(below: 2 * shift + 1) - shift, dx = generator.nextInt(below: 2 * shift + 1) - shift
                    values += shifted(pixels, shape: calibration.shape, dy: dy, dx: dx)
                }
                let images = Activations(unchecked: batch.count, calibration.shape, values)
                var inputs: Activations<Double>?
                let teacher = try network.run(images) { index, _, input in
                    if index == firstPQ { inputs = input.real }
                    return nil
                }.rowSoftmax()
                let gradients = try model.gradients(input: inputs ?? images, teacher: teacher)
                adam.step(&model.parameters, gradients.gradients)
            }
        }
    }

    /// One image (NCHW, flat) moved `dy` pixels down and `dx` across, zeros shifted in.
    static func shifted(_ pixels: ArraySlice<Double>, shape: TensorShape, dy: Int, dx: Int) -> [Double] {
        var out = [Double](repeating: 0, count: pixels.count)
        let (h, w) = (shape.height, shape.width)
        for c in 0..<shape.channels {
            for y in max(0, dy)..<min(h, h + dy) {
                for x in max(0, dx)..<min(w, w + dx) {
                    out[(c * h + y) * w + x] = pixels[pixels.startIndex + (c * h + y - dy) * w + x - dx]
                }
            }
        }
        return out
    }
}
