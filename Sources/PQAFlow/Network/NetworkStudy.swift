import Foundation
import HDL
import HDLSim
import PQ
import PQA

/// Accuracy of a network against bits and prototypes per codebook, with and
/// without the table refit, beside the float network, and the synthesized
/// area of the accelerator at each point: the study of `pqa network study`.
public enum NetworkStudy {
    /// How the PQ layers of a point were learned, each variant building on
    /// the one before it.
    public enum Variant: String, Codable, Sendable, CaseIterable, Comparable {
        /// k-means tables as they are.
        case plain = "no refit"
        /// Tables (and the float layers after them) refit by ridge regression.
        case refit
        /// Refit, then fine-tuned PQ-aware (float PQ layers).
        case fineTuned = "fine-tuned"
        /// Fine-tuned, quantized, then fine-tuned quantization-aware (integer PQ layers).
        case quantizationAware = "quantization-aware"

        public static func < (a: Variant, b: Variant) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Accuracy at one point.
    public struct Point: Codable, Sendable, Equatable {
        /// Bits of activations, prototypes, entries and outputs (all equal).
        public let bits: Int
        /// Prototypes per codebook.
        public let np: Int
        /// How the PQ layers were learned.
        public let variant: Variant
        /// Test accuracy with float PQ layers.
        public let pqFloat: Double
        /// Test accuracy with integer PQ layers (the accelerator's, bit for bit).
        public let integer: Double
    }

    /// The accelerator at one (bits, Np) point, as Yosys synthesized it.
    public struct Area: Codable, Sendable {
        /// Bits of activations, prototypes, entries and outputs.
        public let bits: Int
        /// Prototypes per codebook.
        public let np: Int
        /// The configuration synthesized.
        public let configuration: PQAConfiguration
        /// Resource counts.
        public let resources: [Resource: Int]
        /// Area in LUT-equivalents (``AreaWeights/standard(for:)``).
        public let area: Double
        /// Yosys's version line.
        public let tool: String
    }

    /// The whole test set through the generated accelerator at one point.
    public struct RTLCheck: Codable, Sendable {
        /// Bits of the point.
        public let bits: Int
        /// Np of the point.
        public let np: Int
        /// How the point's PQ layers were learned.
        public let variant: Variant
        /// Test images run.
        public let images: Int
        /// Test accuracy from the accelerator's outputs.
        public let accuracy: Double
        /// Whether every PQ layer output equalled the integer golden model's.
        public let matchesInteger: Bool
        /// PQ layer runs (one per layer per image).
        public let layerRuns: Int
        /// Simulated clock cycles, loads included.
        public let cycles: Int
        /// Wall-clock seconds of the co-simulation (model build excluded).
        public let seconds: Double
        /// The engine and its version.
        public let engine: String
    }

    /// Everything the study measured.
    public struct Result: Codable, Sendable {
        /// The network's name.
        public let network: String
        /// Test images.
        public let testImages: Int
        /// Calibration images.
        public let calibrationImages: Int
        /// Test accuracy of the float network.
        public let float: Double
        /// The conversion options other than bits, Np and refit.
        public let options: ConversionOptions
        /// The refit's lambda.
        public let refitLambda: Double
        /// The lambda of the float layers' refit in the refit rows (nil: none).
        public let floatRefitLambda: Double?
        /// Epochs of fine-tuning of the fine-tuned rows (nil: no such rows).
        public let fineTuneEpochs: Int?
        /// Epochs of quantization-aware fine-tuning of the quantization-aware rows (nil: no such rows).
        public let quantizationAwareEpochs: Int?
        /// Accuracy per point.
        public let points: [Point]
        /// Area per (bits, Np); empty without synthesis.
        public let areas: [Area]
        /// Synthesis target, when synthesized.
        public let target: SynthesisTarget?
        /// The accelerator run on the whole test set, when asked for.
        public let rtl: RTLCheck?
    }

    /// `Verilator 5.006 2023-01-22` (the engine's name when it has no tool).
    static func engineVersion(_ engine: Engine) -> String {
        guard let tool = engine.tool,
              let version = try? ExternalTool.run(tool, ["--version"], in: FileManager.default.temporaryDirectory) else { return engine.rawValue }
        return version.split(separator: "\n").first.map(String.init) ?? engine.rawValue
    }

    /// Converts `network` at every bits x Np point in each variant: without
    /// a refit; with a refit (of the tables with `refitLambda`, and with
    /// `floatRefitLambda` of the float layers after the PQ layers); with
    /// `options.fineTuneEpochs`, refit then fine-tuned; with
    /// `options.quantizationAwareEpochs` as well, fine-tuned then
    /// fine-tuned quantization-aware at each bit width. Evaluates each on
    /// `test`, and with `cache` synthesizes the accelerator sized for each
    /// (bits, Np) for `target`. With `rtl`, the best point (highest integer
    /// accuracy; the smaller Np, then the earlier variant, on a tie) at
    /// `rtl.bits` bits, over every Np or at `rtl.np`, runs the whole test set
    /// on the generated accelerator, checked against the integer model.
    /// `log` receives one line per finished step.
    public static func run(_ network: Network, calibration: Activations<Double>, test: LabeledImages, options: ConversionOptions,
                           bits: [Int], nps: [Int], refitLambda: Double, floatRefitLambda: Double? = nil, cache: MeasurementCache?, target: SynthesisTarget = .xilinx7,
                           rtl: (bits: Int, np: Int?, engine: Engine)? = nil, log: (String) -> Void = { _ in }) throws -> Result {
        let float = test.accuracy(of: try network.predictions(test.images))
        var points: [Point] = [], areas: [Area] = []
        var rtlCandidates: [(point: Point, network: ConvertedNetwork)] = []
        let fineTune = (options.fineTuneEpochs ?? 0) > 0
        let quantizationAware = fineTune && (options.quantizationAwareEpochs ?? 0) > 0
        func variantOptions(np: Int, _ variant: Variant) -> ConversionOptions {
            var pointOptions = options
            pointOptions.np = np
            pointOptions.refitLambda = variant >= .refit ? refitLambda : nil
            pointOptions.floatRefitLambda = variant >= .refit ? floatRefitLambda : nil
            if variant < .fineTuned {
                (pointOptions.fineTuneEpochs, pointOptions.fineTuneLearningRate, pointOptions.fineTunePrototypes) = (nil, nil, nil)
                (pointOptions.fineTuneShift, pointOptions.scaleSearch) = (nil, nil)
            }
            if variant < .quantizationAware { (pointOptions.quantizationAwareEpochs, pointOptions.quantizationAwareLearningRate) = (nil, nil) }
            return pointOptions
        }
        let variants = Variant.allCases.filter { $0 < .fineTuned || ($0 == .fineTuned && fineTune) || ($0 == .quantizationAware && quantizationAware) }
        for np in nps {
            for variant in variants {
                let converted = try ConvertedNetwork.convert(network, calibration: calibration, options: variantOptions(np: np, variant), bits: bits.map { [$0] })
                for (b, net) in zip(bits, converted) {
                    let point = Point(bits: b, np: np, variant: variant,
                                      pqFloat: test.accuracy(of: try net.predictions(test.images, path: .pqFloat)),
                                      integer: test.accuracy(of: try net.predictions(test.images, path: .integer)))
                    points.append(point)
                    if let rtl, rtl.bits == b, rtl.np.map({ $0 == np }) ?? true { rtlCandidates.append((point, net)) }
                    log(String(format: "Np %d %@ %d bits: pqFloat %.2f%%, integer %.2f%%", np, variant.rawValue, b,
                               100 * point.pqFloat, 100 * point.integer))
                    guard variant == .plain, let cache else { continue }
                    let configuration = try NetworkAccelerator.configuration(for: net)
                    let measurement = try cache.measure(PQACore(configuration), target: target)
                    areas.append(Area(bits: b, np: np, configuration: configuration, resources: measurement.synthesis.resources,
                                      area: measurement.synthesis.area, tool: measurement.synthesis.tool))
                    log(String(format: "Np %d %d bits: %.0f LUT-equivalents (%.0f s)", np, b, measurement.synthesis.area, measurement.synthesis.seconds))
                }
            }
        }
        var check: RTLCheck?
        if let rtl {
            guard let (point, converted) = best(rtlCandidates.map(\.point)).map({ point in rtlCandidates.first { $0.point == point }! }) else {
                throw NetworkError.invalidField(layer: "study", field: "rtl", value: "\(rtl.bits):\(rtl.np.map(String.init) ?? "best")",
                                                fix: "choose bits (and an Np) among the study's --bits and --nps")
            }
            let run = try NetworkEvaluator.runOnAccelerator(converted, images: test.images, engine: rtl.engine,
                                                            configuration: NetworkAccelerator.configuration(for: converted))
            let integer = try converted.predictions(test.images, path: .integer)
            check = RTLCheck(bits: point.bits, np: point.np, variant: point.variant, images: test.count, accuracy: test.accuracy(of: run.predictions),
                             matchesInteger: run.mismatchedLayerRuns == 0 && run.predictions == integer, layerRuns: run.layerRuns,
                             cycles: run.cycles, seconds: run.seconds, engine: engineVersion(rtl.engine))
            log(String(format: "RTL, %d bits, Np %d, %@: %.2f%%, %@ the integer model, %.1f s", point.bits, point.np, point.variant.rawValue,
                       100 * (check?.accuracy ?? 0), check?.matchesInteger == true ? "equal to" : "DIFFERENT from", run.seconds))
        }
        return Result(network: network.source.name ?? "network", testImages: test.count, calibrationImages: calibration.count, float: float,
                      options: options, refitLambda: refitLambda, floatRefitLambda: floatRefitLambda,
                      fineTuneEpochs: fineTune ? options.fineTuneEpochs : nil, quantizationAwareEpochs: quantizationAware ? options.quantizationAwareEpochs : nil,
                      points: points, areas: areas, target: cache == nil ? nil : target, rtl: check)
    }

    /// The point of highest integer accuracy; on a tie the smaller Np (the
    /// smaller accelerator), then the earlier variant.
    public static func best(_ points: [Point]) -> Point? {
        points.min { a, b in (a.integer, b.np, b.variant) > (b.integer, a.np, a.variant) }
    }
}
