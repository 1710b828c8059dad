import Foundation
import HDLSim
import PQ
import PQA

/// Accuracy of a converted network on labelled images: the float network,
/// the float PQ network, the integer (golden) PQ network and the generated
/// accelerator. Encodes to the `--json` document of `pqa network evaluate`.
public struct NetworkEvaluation: Codable, Sendable {
    /// Test-set accuracies, fractions in 0...1.
    public struct Accuracy: Codable, Sendable {
        /// The float network.
        public var float: Double
        /// The network with float PQ layers.
        public var pqFloat: Double
        /// The network with integer PQ layers (the golden model).
        public var integer: Double
        /// The network with its PQ layers run by the accelerator; nil when not run.
        public var rtl: Double?

        private enum CodingKeys: String, CodingKey { case float, pqFloat, integer, rtl }

        /// Encodes `rtl` as null when it was not run.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(float, forKey: .float)
            try container.encode(pqFloat, forKey: .pqFloat)
            try container.encode(integer, forKey: .integer)
            try container.encode(rtl, forKey: .rtl)
        }
    }

    /// The four accuracies.
    public var accuracy: Accuracy
    /// Whether every output of every PQ layer the accelerator computed equals
    /// the integer golden model's for the same input; nil when not run.
    public var rtlMatchesInteger: Bool?
    /// Images evaluated.
    public var images: Int
    /// Activation, prototype, entry and output bits.
    public var bits: [Int]

    private enum CodingKeys: String, CodingKey { case accuracy, rtlMatchesInteger, images, bits }

    /// Encodes `rtlMatchesInteger` as null when the accelerator was not run.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(rtlMatchesInteger, forKey: .rtlMatchesInteger)
        try container.encode(images, forKey: .images)
        try container.encode(bits, forKey: .bits)
    }
}

/// What running the images through the accelerator took.
public struct RTLRun: Sendable {
    /// Class per image from the accelerator's outputs.
    public let predictions: [Int]
    /// PQ layer runs (one per layer per image) whose outputs differed from the golden model's.
    public let mismatchedLayerRuns: Int
    /// PQ layer runs in all.
    public let layerRuns: Int
    /// Simulated clock cycles, loads included.
    public let cycles: Int
    /// Wall-clock seconds of the runs (model build excluded).
    public let seconds: Double
    /// Wall-clock seconds of building or loading the simulation model.
    public let buildSeconds: Double
    /// The accelerator's configuration.
    public let configuration: PQAConfiguration
}

/// Evaluates converted networks in software and on the generated accelerator.
public enum NetworkEvaluator {
    /// The four accuracies of `network` on `data`; with `engine`, the
    /// accelerator of `configuration` (default: sized for the network) runs
    /// every PQ layer of every image. `progress` is called after each
    /// image on the accelerator.
    public static func evaluate(_ network: ConvertedNetwork, data: LabeledImages, engine: Engine?,
                                configuration: PQAConfiguration? = nil,
                                progress: (Int, Int) -> Void = { _, _ in }) throws -> (NetworkEvaluation, RTLRun?) {
        let images = data.images
        let integer = try network.predictions(images, path: .integer)
        var evaluation = NetworkEvaluation(
            accuracy: .init(float: data.accuracy(of: try network.predictions(images, path: .float)),
                            pqFloat: data.accuracy(of: try network.predictions(images, path: .pqFloat)),
                            integer: data.accuracy(of: integer), rtl: nil),
            rtlMatchesInteger: nil, images: data.count, bits: network.options.bits)
        guard let engine else { return (evaluation, nil) }
        let run = try runOnAccelerator(network, images: images, engine: engine,
                                       configuration: configuration ?? NetworkAccelerator.configuration(for: network), progress: progress)
        evaluation.accuracy.rtl = data.accuracy(of: run.predictions)
        evaluation.rtlMatchesInteger = run.mismatchedLayerRuns == 0 && run.predictions == integer
        return (evaluation, run)
    }

    /// Runs `images` one at a time through `network`, its PQ layers on one
    /// accelerator kept alive across layers and images (the host does
    /// im2col, pooling and the float layers), each layer's program loading
    /// while the layer before it runs. Every PQ layer's outputs are compared
    /// with the golden model's for the same input columns.
    public static func runOnAccelerator(_ network: ConvertedNetwork, images: Activations<Double>, engine: Engine,
                                        configuration: PQAConfiguration, progress: (Int, Int) -> Void = { _, _ in }) throws -> RTLRun {
        try NetworkAccelerator.check(network, fits: configuration)
        let buildStart = Date()
        let session = try AcceleratorSession(configuration, engine: engine)
        let buildSeconds = Date().timeIntervalSince(buildStart)
        let layers = network.layers
        var predictions: [Int] = [], mismatches = 0, runs = 0
        var queuedNext: Int?  // position in `layers` of the program already queued
        let start = Date()
        for image in 0..<images.count {
            let one = images.images(image..<(image + 1))
            let outputs = try network.run(one, path: .integer) { layer, columns in
                guard let position = layers.firstIndex(where: { $0.index == layer.index }) else { return try layer.integer.outputs(columns: columns) }
                if queuedNext != position { try session.load(layer.integer, columns: columns.rows) }
                let next = position + 1 < layers.count ? position + 1 : (image + 1 < images.count ? 0 : nil)
                if let next { try session.load(layers[next].integer, columns: layers[next].columnsPerImage) }
                queuedNext = next
                let observed = try Matrix(rowArrays: session.run(columns: columns.rowArrays))
                runs += 1
                if try observed != layer.integer.outputs(columns: columns) { mismatches += 1 }
                return observed
            }
            predictions += outputs.rowArgmax
            progress(image + 1, images.count)
        }
        return RTLRun(predictions: predictions, mismatchedLayerRuns: mismatches, layerRuns: runs, cycles: session.cycles,
                      seconds: Date().timeIntervalSince(start), buildSeconds: buildSeconds, configuration: configuration)
    }
}
