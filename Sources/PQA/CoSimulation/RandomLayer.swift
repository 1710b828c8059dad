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

    /// A random shape within the hardware's maxima.
    public mutating func shape(within maxima: PQAConfiguration.Maxima) throws -> PQShape {
        try PQShape(ls: random.nextInt(in: 1...maxima.ls), np: random.nextInt(in: 1...maxima.np),
                    ns: random.nextInt(in: 1...maxima.ns), cout: random.nextInt(in: 1...maxima.cout))
    }

    /// A layer of `shape` for hardware `configuration`: random prototypes,
    /// table, bias and requantization (multiplier and shift anywhere in range).
    /// With `fewPrototypeValues`, prototypes repeat so that distance ties occur.
    public mutating func layer(_ shape: PQShape, for configuration: PQAConfiguration, fewPrototypeValues: Bool = false) throws -> IntegerPQLayer {
        let formats = configuration.formats
        let layerConfiguration = try PQConfiguration(shape: shape, metric: configuration.metric, formats: formats,
                                                     multiplierBits: configuration.multiplierBits, maxShift: configuration.maxShift)
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
            requantization: Requantization(multiplier: multiplier, shift: shift, relu: random.nextInt(below: 2) == 0))
    }

    /// `count` columns of `shape.ns * shape.ls` activations.
    public mutating func columns(_ count: Int, shape: PQShape, format: IntegerFormat) -> [[Int]] {
        (0..<count).map { _ in (0..<(shape.ns * shape.ls)).map { _ in value(format) } }
    }
}
