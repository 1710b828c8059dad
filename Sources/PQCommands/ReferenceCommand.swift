import ArgumentParser
import Foundation
import PQ

/// `pqa reference`: run the golden model on arrays.
public struct ReferenceCommand: ParsableCommand {
    /// The command\'s name, help text and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Run the PQ golden reference model on NumPy arrays.",
        subcommands: [Encode.self, Layer.self])

    /// Creates the command with default option values (the parser fills them in).

    public init() {}
}

extension ReferenceCommand {
    /// `pqa reference encode`: nearest-prototype codes of input columns.
    public struct Encode: ParsableCommand {
        /// The command\'s name, help text and subcommands.
        public static let configuration = CommandConfiguration(
            abstract: "Encode input columns [N, D] by nearest prototype, or with a layer folder's encoder; writes int32 codes [N, Ns].",
            discussion: """
                Prototypes are [Ns, Np, Ls]; inputs [N, D] with D <= Ns*Ls (zero-padded). When both \
                arrays hold integers the distances are exact integer arithmetic (values up to 16 bits), \
                otherwise float64. Ties go to the lowest prototype index. With --layer instead of \
                --prototypes the layer's own encoder runs (distance or tree; an integer layer takes \
                integer inputs in its activation format).
                """)

        @Option(help: "Prototypes .npy [Ns, Np, Ls].")
        var prototypes: String?

        @Option(help: "A layer folder whose encoder (distance or tree) encodes the inputs, instead of --prototypes.")
        var layer: String?

        @Option(help: "Input columns .npy [N, D].")
        var inputs: String

        @Option(help: "Distance metric: l2 (squared Euclidean), l1 or chebyshev.")
        var metric: MetricArgument = .l2

        @Option(help: "Output codes .npy (int32 [N, Ns]).")
        var out: String

        /// Creates the command with default option values (the parser fills them in).

        public init() {}

        /// Runs the command; throws an error whose message names the file or option at fault.

        public func run() throws {
            switch (prototypes, layer) {
            case let (prototypes?, nil):
                try encode(prototypes: prototypes)
            case let (nil, layer?):
                try encode(layer: layer)
            default:
                throw CommandError.invalidOption(option: "--prototypes / --layer", value: prototypes == nil ? "(neither)" : "(both)",
                                                 allowed: "give exactly one: --prototypes FILE.npy or --layer DIR")
            }
        }

        /// Codes by the layer folder's own encoder.
        func encode(layer folder: String) throws {
            let inputArray = try CommandIO.read(inputs)
            let codes: Matrix<Int>
            switch try LayerFolder.read(from: URL(fileURLWithPath: folder)) {
            case let .integer(l):
                _ = try Layer.integers(inputArray, file: inputs)
                codes = try l.encode(columns: CommandIO.integerMatrix(inputArray, file: inputs, "[N, D]"))
            case let .float(l):
                codes = try l.encode(columns: CommandIO.doubleMatrix(inputArray, file: inputs, "[N, D]"))
            }
            try CommandIO.writeInt32(codes.values, shape: [codes.rows, codes.columns], to: out)
        }

        /// Nearest-prototype codes.
        func encode(prototypes: String) throws {
            let protoArray = try CommandIO.read(prototypes)
            try CommandIO.require(protoArray, file: prototypes, rank: 3, "[Ns, Np, Ls]")
            let (ns, np, ls) = (protoArray.shape[0], protoArray.shape[1], protoArray.shape[2])
            let inputArray = try CommandIO.read(inputs)
            try CommandIO.require(inputArray, file: inputs, rank: 2, "[N, D]")
            let d = inputArray.shape[1]
            guard d > (ns - 1) * ls, d <= ns * ls else {
                throw CommandError.wrongShape(
                    file: inputs, expected: "[N, D] with D in \((ns - 1) * ls + 1)...\(ns * ls) for prototypes [\(ns), \(np), \(ls)]",
                    found: inputArray.shape)
            }
            let codes: Matrix<Int>
            if protoArray.dtype.isInteger && inputArray.dtype.isInteger {
                let books = try Codebooks(ns: ns, np: np, ls: ls, values: protoArray.integers(file: prototypes))
                let x = try CommandIO.integerMatrix(inputArray, file: inputs, "[N, D]")
                try Self.checkSixteenBits(books.values, file: prototypes)
                try Self.checkSixteenBits(x.values, file: inputs)
                codes = try books.encode(columns: x, metric: metric.metric)
            } else {
                let books = try Codebooks(ns: ns, np: np, ls: ls, values: protoArray.doubles)
                codes = try books.encode(columns: CommandIO.doubleMatrix(inputArray, file: inputs, "[N, D]"), metric: metric.metric)
            }
            try CommandIO.writeInt32(codes.values, shape: [codes.rows, ns], to: out)
        }

        /// Integer encoding is exact for values of up to 16 bits (signed or unsigned).
        static func checkSixteenBits(_ values: [Int], file: String) throws {
            if let bad = values.first(where: { $0 < -32768 || $0 > 65535 }) {
                throw CommandError.invalidOption(
                    option: file, value: "holds \(bad)",
                    allowed: "integer inputs and prototypes must fit 16 bits (-32768...65535); save them as floats instead")
            }
        }
    }

    /// `pqa reference layer`: run a whole layer folder.
    public struct Layer: ParsableCommand {
        /// The command\'s name, help text and subcommands.
        public static let configuration = CommandConfiguration(
            abstract: "Run a layer folder on inputs; integer layers bit-exact, float layers in float64.",
            discussion: """
                Inputs are columns [N, D], or NCHW images [N, Cin, H, W] when the layer records a \
                convolution (outputs are then [N, Cout, outH, outW]). Integer layers need integer inputs \
                in their activation format (or float inputs with --quantize) and write int32 outputs; \
                float layers write float64.
                """)

        @Option(help: "Layer folder (layer.json, prototypes.npy, table.npy, bias.npy).")
        var layer: String

        @Option(help: "Inputs .npy: columns [N, D] or NCHW images.")
        var inputs: String

        @Option(help: "Output .npy.")
        var out: String

        @Flag(help: "Quantize float inputs with an integer layer's input scales (round half to even, saturate) first.")
        var quantize = false

        /// Creates the command with default option values (the parser fills them in).

        public init() {}

        /// Runs the command; throws an error whose message names the file or option at fault.

        public func run() throws {
            let model = try LayerFolder.read(from: URL(fileURLWithPath: layer))
            if quantize, case let .integer(l) = model {
                try runQuantized(l, CommandIO.read(inputs))
                return
            }
            let array = try CommandIO.read(inputs)
            let shape = model.shape
            if array.shape.count == 4 {
                guard let conv = model.conv else {
                    throw CommandError.wrongShape(file: inputs, expected: "[N, D] (the layer is not a convolution)", found: array.shape)
                }
                let expected = [conv.inChannels, conv.inHeight, conv.inWidth]
                guard Array(array.shape[1...]) == expected else {
                    throw CommandError.wrongShape(file: inputs, expected: "[N, \(expected.map(String.init).joined(separator: ", "))]", found: array.shape)
                }
                let n = array.shape[0], outShape = [n, shape.cout, conv.outHeight, conv.outWidth]
                switch model {
                case let .integer(l):
                    let values = try Self.integers(array, file: inputs)
                    try CommandIO.writeInt32(l.outputs(images: values, count: n), shape: outShape, to: out)
                case let .float(l):
                    try CommandIO.writeFloat64(l.outputs(images: array.doubles, count: n), shape: outShape, to: out)
                }
                return
            }
            try CommandIO.require(array, file: inputs, rank: 2, "[N, D] with D = \(shape.inputLength), or NCHW images")
            switch model {
            case let .integer(l):
                let x = try Matrix(rows: array.shape[0], columns: array.shape[1], values: Self.integers(array, file: inputs))
                let y = try l.outputs(columns: x)
                try CommandIO.writeInt32(y.values, shape: [y.rows, y.columns], to: out)
            case let .float(l):
                let y = try l.outputs(columns: CommandIO.doubleMatrix(array, file: inputs, "[N, D]"))
                try CommandIO.writeFloat64(y.values, shape: [y.rows, y.columns], to: out)
            }
        }

        /// Quantizes float columns or images with the layer's scales, then runs it.
        func runQuantized(_ l: IntegerPQLayer, _ array: NPYArray) throws {
            if array.shape.count == 4, let conv = l.conv {
                guard Array(array.shape[1...]) == [conv.inChannels, conv.inHeight, conv.inWidth] else {
                    throw CommandError.wrongShape(file: inputs, expected: "[N, \(conv.inChannels), \(conv.inHeight), \(conv.inWidth)]", found: array.shape)
                }
                let columns = try l.quantizeInputs(conv.im2col(images: array.doubles, count: array.shape[0]))
                let y = try conv.foldOutputs(l.outputs(columns: columns))
                try CommandIO.writeInt32(y, shape: [array.shape[0], l.shape.cout, conv.outHeight, conv.outWidth], to: out)
                return
            }
            let x = try l.quantizeInputs(CommandIO.doubleMatrix(array, file: inputs, "[N, D] with D = \(l.shape.inputLength), or NCHW images"))
            let y = try l.outputs(columns: x)
            try CommandIO.writeInt32(y.values, shape: [y.rows, y.columns], to: out)
        }

        static func integers(_ array: NPYArray, file: String) throws -> [Int] {
            guard array.dtype.isInteger else {
                throw CommandError.wrongKind(
                    file: file, expected: "integers for an integer layer (quantize them first, or pass --quantize to use the layer's input scales)",
                    found: array.dtype.rawValue)
            }
            return try array.integers(file: file)
        }
    }
}
