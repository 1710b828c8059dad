import ArgumentParser
import Foundation
import PQ

/// `pqa pq`: build PQ layers.
public struct PQCommand: ParsableCommand {
    /// The command\'s name, help text and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "pq",
        abstract: "Build product-quantized layers.",
        subcommands: [Learn.self])

    /// Creates the command with default option values (the parser fills them in).

    public init() {}
}

extension PQCommand {
    /// `pqa pq learn`: learn a layer folder from weights and calibration activations.
    public struct Learn: ParsableCommand {
        /// The command\'s name, help text and subcommands.
        public static let configuration = CommandConfiguration(
            abstract: "Learn a PQ layer folder from a weight matrix and calibration activations.",
            discussion: """
                Weights are [Cout, D] with activations [N, D], or a conv weight [Cout, Cin, kH, kW] with \
                NCHW activation images [N, Cin, H, W] (im2col, stride and padding from the options). \
                With --bits the folder holds an integer layer, otherwise a float layer. \
                --encoder tree learns a decision tree per subspace instead of k-means prototypes. \
                --bits takes one width for all four quantities or activation,prototype,entry,output.
                """)

        @Option(help: "Weights .npy: [Cout, D], or [Cout, Cin, kH, kW] for a convolution.")
        var weights: String

        @Option(help: "Calibration activations .npy: [N, D], or NCHW images [N, Cin, H, W] for a convolution.")
        var activations: String

        @Option(help: "Optional bias .npy [Cout].")
        var bias: String?

        @Option(help: "Subvector length Ls.")
        var ls: Int

        @Option(help: "Prototypes per codebook Np.")
        var np: Int

        @Option(help: "Distance metric: l2, l1 or chebyshev.")
        var metric: MetricArgument = .l2

        @Option(help: "Encoder: distance (nearest prototype, k-means) or tree (a MADDNESS decision tree per subspace; Np a power of two).")
        var encoder: EncoderArgument = .distance

        @Option(help: "Integer bits: one width, or activation,prototype,entry,output (2...16 each).")
        var bits: String?

        @Option(help: "Bias bits for an integer layer (default: wide enough for the table sum and the bias).")
        var biasBits: Int?

        @Option(help: "Requantization multiplier bits (1...32).")
        var multiplierBits: Int = 16

        @Flag(help: "One input scale per subspace instead of one per tensor.")
        var perSubspaceScales = false

        @Option(help: "Ridge refit of the table with this lambda (> 0).")
        var refit: Double?

        @Option(help: "k-means seed.")
        var seed: UInt64 = 0

        @Option(help: "Lloyd iterations of k-means.")
        var iterations: Int = 25

        @Flag(help: "Apply ReLU to the outputs.")
        var relu = false

        @Flag(help: "The weights are a convolution (implied by 4-D weights).")
        var conv = false

        @Option(help: "Convolution kernel size (checked against the weights).")
        var kernel: Int?

        @Option(help: "Convolution stride.")
        var stride: Int = 1

        @Option(help: "Convolution zero padding.")
        var padding: Int = 0

        @Option(help: "Convolution input height (taken from NCHW activations when given).")
        var inputHeight: Int?

        @Option(help: "Convolution input width (taken from NCHW activations when given).")
        var inputWidth: Int?

        @Option(help: "Output layer folder (written atomically).")
        var out: String

        /// Creates the command with default option values (the parser fills them in).

        public init() {}

        /// Runs the command; throws an error whose message names the file or option at fault.

        public func run() throws {
            let weightArray = try CommandIO.read(weights)
            let activationArray = try CommandIO.read(activations)
            let (w, x, geometry) = try prepare(weightArray, activationArray)
            var biasValues: [Double]?
            if let bias {
                let array = try CommandIO.read(bias)
                guard array.shape == [w.rows] else {
                    throw CommandError.wrongShape(file: bias, expected: "[Cout] = [\(w.rows)]", found: array.shape)
                }
                biasValues = array.doubles
            }
            let options = LearnOptions(
                ls: ls, np: np, metric: metric.metric, encoder: encoder.encoder, seed: seed, iterations: iterations, refitLambda: refit, relu: relu)
            let floatLayer = try FloatPQLayer.learn(weights: w, bias: biasValues, activations: x, options: options, conv: geometry)
            let layer: PQLayer
            if let bits {
                let widths = try Self.parseBits(bits)
                var quantization = try QuantizationOptions(
                    activationBits: widths[0], prototypeBits: widths[1], entryBits: widths[2], outputBits: widths[3],
                    signedActivations: x.values.contains { $0 < 0 }, signedOutput: !relu)
                quantization.perSubspaceInputScales = perSubspaceScales
                quantization.multiplierBits = multiplierBits
                if let biasBits { quantization.bias = try .signed(biasBits) }
                layer = .integer(try floatLayer.quantized(calibration: x, options: quantization))
            } else {
                layer = .float(floatLayer)
            }
            try LayerFolder.write(layer, to: URL(fileURLWithPath: out))
            print("wrote \(out): \(layer.shape)\(geometry.map { ", \($0)" } ?? "")")
            if case let .integer(l) = layer {
                l.widths.lines.forEach { print("  \($0)") }
            }
        }

        /// The weight matrix [Cout, D], calibration columns [N, D] and conv geometry.
        func prepare(_ weightArray: NPYArray, _ activationArray: NPYArray) throws -> (Matrix<Double>, Matrix<Double>, ConvGeometry?) {
            switch weightArray.shape.count {
            case 2 where !conv:
                let w = try CommandIO.doubleMatrix(weightArray, file: weights, "[Cout, D]")
                let x = try CommandIO.doubleMatrix(activationArray, file: activations, "[N, D] with D = \(w.columns)")
                return (w, x, nil)
            case 4:
                let s = weightArray.shape
                if let kernel, kernel != s[2] || kernel != s[3] {
                    throw CommandError.invalidOption(option: "--kernel", value: "\(kernel)", allowed: "the weights' kernel is \(s[2])x\(s[3])")
                }
                let w = try Matrix(rows: s[0], columns: s[1] * s[2] * s[3], values: weightArray.doubles)
                var height = inputHeight, width = inputWidth
                if activationArray.shape.count == 4 {
                    let a = activationArray.shape
                    guard a[1] == s[1], height == nil || height == a[2], width == nil || width == a[3] else {
                        throw CommandError.wrongShape(
                            file: activations, expected: "[N, Cin=\(s[1]), H\(height.map { "=\($0)" } ?? ""), W\(width.map { "=\($0)" } ?? "")]",
                            found: a)
                    }
                    (height, width) = (a[2], a[3])
                }
                guard let height, let width else {
                    throw CommandError.invalidOption(
                        option: "--input-height/--input-width", value: "missing",
                        allowed: "give them, or pass NCHW activation images [N, Cin, H, W]")
                }
                let geometry = try ConvGeometry(
                    inChannels: s[1], inHeight: height, inWidth: width, kernelHeight: s[2], kernelWidth: s[3],
                    stride: stride, padding: padding)
                let x = activationArray.shape.count == 4
                    ? try geometry.im2col(images: activationArray.doubles, count: activationArray.shape[0])
                    : try CommandIO.doubleMatrix(activationArray, file: activations, "im2col columns [N, \(w.columns)] or NCHW images")
                return (w, x, geometry)
            default:
                throw CommandError.wrongShape(
                    file: weights, expected: conv ? "[Cout, Cin, kH, kW] for --conv" : "[Cout, D] or [Cout, Cin, kH, kW]",
                    found: weightArray.shape)
            }
        }

        /// `8` or `8,8,8,8` (activation, prototype, entry, output).
        static func parseBits(_ text: String) throws -> [Int] {
            let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            let allowed = "one width or four (activation,prototype,entry,output), each in 2...16"
            guard parts.count == 1 || parts.count == 4, parts.allSatisfy({ $0.map { (2...16).contains($0) } ?? false }) else {
                throw CommandError.invalidOption(option: "--bits", value: text, allowed: allowed)
            }
            let widths = parts.compactMap { $0 }
            return widths.count == 1 ? Array(repeating: widths[0], count: 4) : widths
        }
    }
}
