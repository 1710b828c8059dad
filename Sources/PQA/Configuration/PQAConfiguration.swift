import Foundation
import PQ

/// Everything that shapes a generated PQA accelerator: the largest layer it
/// runs, how much it does per cycle, its number formats, its distance metric
/// and its pipelining. Stored as JSON; `PQAConfiguration.default` is the
/// built-in design.
public struct PQAConfiguration: Codable, Sendable, Hashable {
    /// The largest layer the hardware runs; smaller ones are set at run time.
    public struct Maxima: Codable, Sendable, Hashable {
        /// Largest subvector length `Ls`.
        public var ls: Int
        /// Largest number of prototypes per codebook `Np`.
        public var np: Int
        /// Largest number of subspaces `Ns`.
        public var ns: Int
        /// Largest number of output channels `Cout`.
        public var cout: Int
        /// Largest number of input columns in one layer.
        public var columns: Int

        /// Maxima as given.
        public init(ls: Int, np: Int, ns: Int, cout: Int, columns: Int) {
            self.ls = ls
            self.np = np
            self.ns = ns
            self.cout = cout
            self.columns = columns
        }
    }

    /// Work done per clock cycle.
    public struct Parallelism: Codable, Sendable, Hashable {
        /// Elements of a subvector compared per cycle.
        public var lsVec: Int
        /// Prototypes compared per cycle.
        public var npVec: Int
        /// Subspaces handled per cycle.
        public var nsVec: Int
        /// Output channels produced per cycle.
        public var outVec: Int

        /// Parallelism as given.
        public init(lsVec: Int, npVec: Int, nsVec: Int, outVec: Int) {
            self.lsVec = lsVec
            self.npVec = npVec
            self.nsVec = nsVec
            self.outVec = outVec
        }
    }

    /// Where pipeline registers go in the reduction trees.
    public struct Pipelining: Codable, Sendable, Hashable {
        /// Comparator levels of the argmin tree between registers (0: none).
        public var argminLevelsPerStage: Int
        /// Adder levels of the subspace adder tree between registers (0: none).
        public var adderLevelsPerStage: Int
        /// Adder levels of a distance unit's lane tree between registers
        /// (0: none); 2 when a configuration file leaves it out.
        public var laneLevelsPerStage: Int

        /// Register spacing as given.
        public init(argminLevelsPerStage: Int, adderLevelsPerStage: Int, laneLevelsPerStage: Int = 2) {
            self.argminLevelsPerStage = argminLevelsPerStage
            self.adderLevelsPerStage = adderLevelsPerStage
            self.laneLevelsPerStage = laneLevelsPerStage
        }

        /// The spacing the built-in designs, comparisons and explorations use:
        /// one comparator level of the argmin tree and two adder levels of the
        /// subspace and lane trees between registers, what lets each stage
        /// close above 200 MHz on an ECP5 at speed grade -6 (docs/timing.md).
        public static let standard = Pipelining(argminLevelsPerStage: 1, adderLevelsPerStage: 2, laneLevelsPerStage: 2)

        /// The spacing comparisons use: as `standard`, but a register after
        /// every level of the subspace adder tree, whose trees at ResNet-20
        /// scale (16 subspaces a cycle) otherwise put two carry chains and
        /// the long routes between lanes in one cycle (docs/timing.md). The
        /// MAC-array baseline takes the same adder spacing.
        public static let comparison = Pipelining(argminLevelsPerStage: 1, adderLevelsPerStage: 1, laneLevelsPerStage: 2)

        private enum CodingKeys: String, CodingKey { case argminLevelsPerStage, adderLevelsPerStage, laneLevelsPerStage }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            argminLevelsPerStage = try container.decode(Int.self, forKey: .argminLevelsPerStage)
            adderLevelsPerStage = try container.decode(Int.self, forKey: .adderLevelsPerStage)
            laneLevelsPerStage = try container.decodeIfPresent(Int.self, forKey: .laneLevelsPerStage) ?? 2
        }
    }

    /// How the layer's prototypes, tables and bias get into the hardware.
    public enum TableMode: String, Codable, Sendable, CaseIterable {
        /// Written through the load stream, double-buffered: the next layer
        /// loads while the current one runs.
        case loadable
        /// Baked from one layer into ROM images; no load stream, and the
        /// core encodes every column that arrives.
        case fixed
    }

    /// The largest layer the hardware runs.
    public var maxima: Maxima
    /// Work per cycle.
    public var parallelism: Parallelism
    /// Integer formats of activations, prototypes, table entries, bias and outputs.
    public var formats: LayerFormats
    /// Bits of the requantization multiplier (an unsigned integer).
    public var multiplierBits: Int
    /// Largest requantization right shift.
    public var maxShift: Int
    /// The encoder's distance metric (a distance encoder's).
    public var metric: DistanceMetric
    /// Distance encoder (the default when the field is absent) or tree encoder.
    public var encoder: EncoderKind
    /// Register placement in the reduction trees.
    public var pipelining: Pipelining
    /// Loadable (the default when the field is absent) or fixed tables.
    public var tableMode: TableMode

    private enum CodingKeys: String, CodingKey {
        case maxima, parallelism, formats, multiplierBits, maxShift, metric, encoder, pipelining, tableMode
    }

    /// Decodes a configuration; files written before `tableMode` or
    /// `encoder` existed read as loadable distance encoders.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxima = try container.decode(Maxima.self, forKey: .maxima)
        parallelism = try container.decode(Parallelism.self, forKey: .parallelism)
        formats = try container.decode(LayerFormats.self, forKey: .formats)
        multiplierBits = try container.decode(Int.self, forKey: .multiplierBits)
        maxShift = try container.decode(Int.self, forKey: .maxShift)
        metric = try container.decode(DistanceMetric.self, forKey: .metric)
        encoder = try container.decodeIfPresent(EncoderKind.self, forKey: .encoder) ?? .distance
        pipelining = try container.decode(Pipelining.self, forKey: .pipelining)
        tableMode = try container.decodeIfPresent(TableMode.self, forKey: .tableMode) ?? .loadable
    }

    /// A configuration as given; `validate()` checks it.
    public init(maxima: Maxima, parallelism: Parallelism, formats: LayerFormats, multiplierBits: Int, maxShift: Int,
                metric: DistanceMetric, encoder: EncoderKind = .distance, pipelining: Pipelining, tableMode: TableMode = .loadable) {
        self.tableMode = tableMode
        self.encoder = encoder
        self.maxima = maxima
        self.parallelism = parallelism
        self.formats = formats
        self.multiplierBits = multiplierBits
        self.maxShift = maxShift
        self.metric = metric
        self.pipelining = pipelining
    }

    /// The built-in design: the ResNet-20 PQ setting of the paper (Ls = 9,
    /// Np = 16) for layers up to 64 subspaces and 64 channels, 8-bit
    /// activations, prototypes, entries and outputs, L2 distance.
    public static var `default`: PQAConfiguration {
        let formats = LayerFormats(
            activation: builtIn(8, signed: false), prototype: builtIn(8, signed: false),
            entry: builtIn(8, signed: true), bias: builtIn(16, signed: true), output: builtIn(8, signed: true))
        return PQAConfiguration(
            maxima: Maxima(ls: 9, np: 16, ns: 64, cout: 64, columns: 4096),
            parallelism: Parallelism(lsVec: 9, npVec: 16, nsVec: 4, outVec: 16),
            formats: formats, multiplierBits: 16, maxShift: 31, metric: .l2,
            pipelining: .standard)
    }

    /// A format of a supported width, for the built-in designs.
    static func builtIn(_ bits: Int, signed: Bool) -> IntegerFormat {
        guard let format = try? IntegerFormat(bits: bits, signed: signed) else {
            preconditionFailure("built-in formats use supported widths, not \(bits)")
        }
        return format
    }

    /// A fixed-table design for `layer`: its shape as the maxima, its formats,
    /// metric and requantization limits, and `parallelism` clipped to the shape.
    public static func fixed(for layer: IntegerPQLayer, parallelism: Parallelism) -> PQAConfiguration {
        let shape = layer.shape
        return PQAConfiguration(
            maxima: Maxima(ls: shape.ls, np: shape.np, ns: shape.ns, cout: shape.cout, columns: 1),
            parallelism: Parallelism(lsVec: min(parallelism.lsVec, shape.ls), npVec: min(parallelism.npVec, shape.np),
                                     nsVec: min(parallelism.nsVec, shape.ns), outVec: min(parallelism.outVec, shape.cout)),
            formats: layer.formats, multiplierBits: layer.configuration.multiplierBits, maxShift: layer.configuration.maxShift,
            metric: layer.metric, pipelining: PQAConfiguration.default.pipelining, tableMode: .fixed)
    }

    /// The PQ configuration of the largest layer: the golden model derives
    /// every hardware width from it.
    public var largestLayer: PQConfiguration {
        get throws {
            try PQConfiguration(
                shape: PQShape(ls: maxima.ls, np: maxima.np, ns: maxima.ns, cout: maxima.cout),
                metric: metric, encoder: encoder, formats: formats, multiplierBits: multiplierBits, maxShift: maxShift)
        }
    }

    /// Reads a configuration from JSON, naming the file and the field at fault.
    public static func read(from url: URL) throws -> PQAConfiguration {
        let configuration = try decodeConfiguration(PQAConfiguration.self, from: url)
        try configuration.validate()
        return configuration
    }

    /// Pretty, sorted JSON, byte-identical for equal configurations.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
