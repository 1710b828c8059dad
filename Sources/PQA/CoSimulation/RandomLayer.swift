import PQ
import Randomness

/// Seeded random integer PQ layers and columns that span the full range of
/// every format, with the extremes drawn far more often than chance: the
/// stimulus of co-simulation.
public struct RandomLayer {
    private var random: SeededGenerator

    /// Random layers from `seed`.
    public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// A uniformly drawn integer in `range`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int { random.nextInt(in: range) }

    /// A value of `format`, extremes boosted.
    public mutating func value(_ format: IntegerFormat) -> Int {
        switch random.nextInt(below: 6) {
        case 0: return format.minValue
        case 1: return format.maxValue
        case 2: return 0 < format.minValue ? format.minValue : (0 > format.maxValue ? format.maxValue : 0)
        default: return random.nextInt(in: format.minValue...format.maxValue)
        }
    }

    /// A random shape within the hardware's maxima; for a tree encoder `Np`
    /// is a power of two.
    public mutating func shape(within maxima: PQAConfiguration.Maxima, encoder: EncoderKind = .distance) throws -> PQShape {
        let ls = random.nextInt(in: 1...maxima.ls)
        let np = encoder == .tree ? 1 << random.nextInt(in: 0...maxima.np.trailingZeroBitCount) : random.nextInt(in: 1...maxima.np)
        return try PQShape(ls: ls, np: np, ns: random.nextInt(in: 1...maxima.ns), cout: random.nextInt(in: 1...maxima.cout))
    }

    /// A layer of `shape` for hardware `configuration`: random prototypes (or
    /// trees: splits anywhere in the subvector, thresholds over the activation
    /// format, its extremes boosted as the columns' are), table, bias and
    /// requantization (multiplier and shift anywhere in range). With
    /// `fewPrototypeValues`, prototypes or thresholds repeat so that distance
    /// ties, or inputs equal to thresholds, occur more often.
    public mutating func layer(_ shape: PQShape, for configuration: PQAConfiguration, fewPrototypeValues: Bool = false) throws -> IntegerPQLayer {
        let formats = configuration.formats
        let layerConfiguration = try PQConfiguration(shape: shape, metric: configuration.metric, encoder: configuration.encoder,
                                                     formats: formats, multiplierBits: configuration.multiplierBits,
                                                     maxShift: configuration.maxShift)
        let isTree = configuration.encoder == .tree
        let thresholdPalette = isTree ? (0..<3).map { _ in value(formats.activation) } : []
        let trees = isTree ? try EncodingTrees(
            ns: shape.ns, ls: shape.ls, depth: shape.np.trailingZeroBitCount,
            splits: (0..<(shape.ns * shape.np.trailingZeroBitCount)).map { _ in random.nextInt(below: shape.ls) },
            thresholds: (0..<(shape.ns * (shape.np - 1))).map { _ in
                fewPrototypeValues ? thresholdPalette[random.nextInt(below: thresholdPalette.count)] : value(formats.activation)
            }) : nil
        let palette = (0..<3).map { _ in value(formats.prototype) }
        let prototypes = (0..<(shape.ns * shape.np * shape.ls)).map { _ in
            fewPrototypeValues ? palette[random.nextInt(below: palette.count)] : value(formats.prototype)
        }
        let table = (0..<(shape.ns * shape.np * shape.cout)).map { _ in value(formats.entry) }
        let bias = (0..<shape.cout).map { _ in value(formats.bias) }
        let maxMultiplier = (1 << configuration.multiplierBits) - 1
        let multiplier = random.nextInt(below: 4) == 0 ? maxMultiplier : random.nextInt(in: 1...maxMultiplier)
        let shift = random.nextInt(below: 4) == 0 ? configuration.maxShift : random.nextInt(in: 0...configuration.maxShift)
        return try IntegerPQLayer(
            configuration: layerConfiguration,
            prototypes: Codebooks(ns: shape.ns, np: shape.np, ls: shape.ls, values: prototypes),
            table: LookupTable(ns: shape.ns, np: shape.np, cout: shape.cout, values: table),
            bias: bias,
            requantization: Requantization(multiplier: multiplier, shift: shift, relu: random.nextInt(below: 2) == 0), trees: trees)
    }

    /// `count` columns of `shape.ns * shape.ls` activations.
    public mutating func columns(_ count: Int, shape: PQShape, format: IntegerFormat) -> [[Int]] {
        (0..<count).map { _ in (0..<(shape.ns * shape.ls)).map { _ in value(format) } }
    }
}
