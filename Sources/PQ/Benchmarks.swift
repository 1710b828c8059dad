import Foundation

/// Throughput and accuracy figures of the reference model, as lines of text.
///
/// - Encode throughput for `D = 576, Ls = 9, Np = 16` (float and integer).
/// - Whole-layer throughput of the PQ layer against the straightforward float
///   matrix product of the same shape (`Matrix.multipliedTransposed`),
///   measured in the same run and reported as a ratio.
/// - Accuracy over the distinct ResNet-20 layer shapes of `workloads.json`
///   with Gaussian weights and inputs at each `table3_points` entry: the
///   relative Frobenius error against the exact product, float (k-means
///   table), float refit (ridge, λ = 1, when `Ns*Np <= 1024`) and integer.
///   Gaussian data has no structure for prototypes to exploit, so these
///   errors are an upper reference, not what trained networks see. With
///   independent Gaussian inputs the k-means table is already close to the
///   conditional mean of the outputs given the codes, so the refit can only
///   fit noise: its calibration error falls while its test error rises
///   (both are printed).
public enum PQBenchmarks {
    /// Sizes of the benchmark runs.
    public struct Options: Sendable {
        /// Rows encoded in the throughput runs.
        public var rows: Int = 8192
        /// Output channels of the whole-layer comparison.
        public var cout: Int = 64
        /// Calibration rows per accuracy case (whole images, at least this many im2col rows).
        public var calibrationRows: Int = 2048
        /// Test rows per accuracy case.
        public var testRows: Int = 1024
        /// Lloyd iterations of k-means.
        public var iterations: Int = 15
        /// Seed of all generated data.
        public var seed: UInt64 = 1
        /// Network of `workloads.json` to report on.
        public var network: String = "resnet20"

        /// The default sizes (well under a minute in a release build).
        public init() {}
    }

    /// Runs everything and returns the report.
    public static func run(workloads url: URL, options: Options = Options()) throws -> [String] {
        var lines = ["# PQ reference model benchmark (seed \(options.seed), single thread)"]
        lines += try throughput(options: options)
        lines += try accuracy(workloads: Workloads.read(from: url), options: options)
        return lines
    }

    /// Encode and whole-layer throughput.
    public static func throughput(options: Options) throws -> [String] {
        let (d, ls, np, n) = (576, 9, 16, max(1, options.rows))
        var generator = SeededGenerator(seed: options.seed)
        let x = try Matrix(rows: n, columns: d, values: (0..<(n * d)).map { _ in generator.nextGaussian() })
        let w = try Matrix(rows: options.cout, columns: d, values: (0..<(options.cout * d)).map { _ in generator.nextGaussian() / 24 })
        let calibrationRows = min(512, n)
        let calibration = try Matrix(rows: calibrationRows, columns: d, values: Array(x.values[0..<(calibrationRows * d)]))
        let layer = try FloatPQLayer.learn(
            weights: w, activations: calibration, options: LearnOptions(ls: ls, np: np, seed: options.seed, iterations: 5))
        let integer = try layer.quantized(calibration: calibration, options: QuantizationOptions(
            activationBits: 8, prototypeBits: 8, entryBits: 8, outputBits: 8))
        let xq = try integer.quantizeInputs(x)

        let encodeFloat = try best { _ = try layer.encode(columns: x) }
        let encodeInteger = try best { _ = try integer.encode(columns: xq) }
        let layerFloat = try best { _ = try layer.outputs(columns: x) }
        let layerInteger = try best { _ = try integer.outputs(columns: xq) }
        let matmul = try best { _ = try x.multipliedTransposed(w) }
        func rate(_ seconds: Double) -> String { String(format: "%.0f rows/s", Double(n) / seconds) }
        return [
            "## throughput: D=\(d) Ls=\(ls) Np=\(np) Ns=\(d / ls), \(n) rows, best of 3",
            "encode float (L2):          \(rate(encodeFloat))",
            "encode integer (8-bit, L2): \(rate(encodeInteger))",
            "layer Cout=\(options.cout) float PQ:     \(rate(layerFloat))",
            "layer Cout=\(options.cout) integer PQ:   \(rate(layerInteger))",
            "float matmul [N,\(d)]x[\(d),\(options.cout)]: \(rate(matmul))",
            String(format: "ratio PQ/matmul: float %.2fx, integer %.2fx (above 1 means PQ is faster)",
                   matmul / layerFloat, matmul / layerInteger),
        ]
    }

    /// Relative Frobenius errors over the network's distinct layer shapes.
    public static func accuracy(workloads: Workloads, options: Options) throws -> [String] {
        guard let layers = workloads.networks[options.network], let points = workloads.table3Points[options.network] else {
            throw PQError.parameterOutOfRange(
                field: "benchmark network", value: options.network,
                allowed: "a network with layers and table3_points: \(workloads.networks.keys.sorted())")
        }
        var distinct: [Workloads.ConvLayer] = []
        for layer in layers where !distinct.contains(layer) { distinct.append(layer) }
        var lines = [
            "## accuracy: \(options.network), \(distinct.count) distinct layer shapes, Gaussian data, relative Frobenius error",
            "layer | Ls Np | float | float refit (test, calibration) | integer (bits a/p/t/o)",
        ]
        for (index, spec) in distinct.enumerated() {
            let geometry = try spec.geometry()
            let pixels = geometry.outHeight * geometry.outWidth
            var generator = SeededGenerator(seed: options.seed, stream: UInt64(index))
            let d = geometry.columnLength
            let weights = try Matrix(rows: spec.outChannels, columns: d, values: (0..<(spec.outChannels * d)).map { _ in
                generator.nextGaussian() / Double(d).squareRoot()
            })
            func columns(rows: Int) throws -> Matrix<Double> {
                let images = (rows + pixels - 1) / pixels
                let values = (0..<(images * geometry.imageSize)).map { _ in generator.nextGaussian() }
                return try geometry.im2col(images: values, count: images)
            }
            let calibration = try columns(rows: options.calibrationRows)
            let test = try columns(rows: options.testRows)
            let exact = try test.multipliedTransposed(weights)
            let name = "\(spec.inChannels)x\(spec.inHeight)x\(spec.inWidth)->\(spec.outChannels) s\(spec.stride)"
            for point in points {
                let learnOptions = LearnOptions(ls: point.ls, np: point.np, seed: options.seed, iterations: options.iterations)
                let layer = try FloatPQLayer.learn(weights: weights, activations: calibration, options: learnOptions, conv: geometry)
                let floatError = try layer.outputs(columns: test).relativeError(to: exact)
                var refitText = "-"
                if layer.shape.ns * layer.shape.np <= 1024 {
                    var refitOptions = learnOptions
                    refitOptions.refitLambda = 1
                    let refit = try FloatPQLayer.learn(weights: weights, activations: calibration, options: refitOptions)
                    let testError = try refit.outputs(columns: test).relativeError(to: exact)
                    let calibrationError = try refit.outputs(columns: calibration).relativeError(to: calibration.multipliedTransposed(weights))
                    refitText = String(format: "%.4f (calib %.4f)", testError, calibrationError)
                }
                let (a, t, o) = (point.prototypeBits ?? 8, point.tableBits ?? 8, 8)
                let integer = try layer.quantized(calibration: calibration, options: QuantizationOptions(
                    activationBits: a, prototypeBits: a, entryBits: t, outputBits: o))
                let integerOutputs = integer.dequantizeOutputs(try integer.outputs(columns: integer.quantizeInputs(test)))
                let integerError = try integerOutputs.relativeError(to: exact)
                let f = String(format: "%.4f", floatError), i = String(format: "%.4f", integerError)
                lines.append("\(name) | Ls=\(point.ls) Np=\(point.np) | \(f) | \(refitText) | \(i) (\(a)/\(a)/\(t)/\(o))")
            }
        }
        return lines
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The best wall-clock time of three runs of `body`, in seconds.
    static func best(_ body: () throws -> Void) throws -> Double {
        var result = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            try body()
            result = min(result, seconds(ContinuousClock.now - start))
        }
        return result
    }
}
