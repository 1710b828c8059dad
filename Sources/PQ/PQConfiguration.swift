/// The integer formats of the five quantized quantities of a PQ layer.
///
/// Activations and prototypes are compared directly in the distance units,
/// so they share a scale (``QuantizationScales/input``) but may differ in
/// width and signedness. Table entries and the bias share the accumulator's
/// scale. Activations, prototypes, entries and outputs take 2 to 16 bits;
/// the bias up to 32.
public struct LayerFormats: Codable, Sendable, Hashable {
    /// Input activations (the column values).
    public var activation: IntegerFormat
    /// Prototype values.
    public var prototype: IntegerFormat
    /// Table entries.
    public var entry: IntegerFormat
    /// Bias values (added to the accumulator before requantization).
    public var bias: IntegerFormat
    /// Requantized outputs.
    public var output: IntegerFormat

    /// Widths allowed for activations, prototypes, entries and outputs.
    public static let dataBits = 2...16
    /// Widths allowed for the bias.
    public static let biasBits = 2...32

    /// Formats as given; call ``validate()`` (or build a ``PQConfiguration``) to check them.
    public init(
        activation: IntegerFormat, prototype: IntegerFormat, entry: IntegerFormat,
        bias: IntegerFormat, output: IntegerFormat
    ) {
        self.activation = activation
        self.prototype = prototype
        self.entry = entry
        self.bias = bias
        self.output = output
    }

    /// Checks each width against its field's range.
    public func validate() throws {
        for (field, format) in [
            ("formats.activation", activation), ("formats.prototype", prototype),
            ("formats.entry", entry), ("formats.output", output),
        ] {
            try PQShape.check("\(field).bits", format.bits, LayerFormats.dataBits)
        }
        try PQShape.check("formats.bias.bits", bias.bits, LayerFormats.biasBits)
    }
}

/// Everything the hardware's widths depend on: shape (for a programmable
/// design, the largest shape it must run), metric, formats, and the largest
/// requantization multiplier and shift.
///
/// ``HardwareWidths/init(for:)`` derives every width from this alone.
public struct PQConfiguration: Codable, Sendable, Hashable {
    /// Layer sizes (or their maxima).
    public var shape: PQShape
    /// Distance metric of the encoder (a distance encoder's; a tree encoder has none).
    public var metric: DistanceMetric
    /// How codes are found: nearest prototype, or a decision tree per subspace.
    public var encoder: EncoderKind
    /// Integer formats of activations, prototypes, entries, bias and outputs.
    public var formats: LayerFormats
    /// Width of the unsigned requantization multiplier (1...32): multipliers
    /// lie in `1..<2^multiplierBits`.
    public var multiplierBits: Int
    /// The largest requantization shift (0...62).
    public var maxShift: Int

    /// Widths allowed for the multiplier.
    public static let multiplierBitsRange = 1...32
    /// Shifts allowed.
    public static let shiftRange = 0...62

    /// A configuration; throws if any part is out of range.
    public init(
        shape: PQShape, metric: DistanceMetric, encoder: EncoderKind = .distance, formats: LayerFormats, multiplierBits: Int,
        maxShift: Int
    ) throws {
        self.shape = shape
        self.metric = metric
        self.encoder = encoder
        self.formats = formats
        self.multiplierBits = multiplierBits
        self.maxShift = maxShift
        try validate()
    }

    private enum CodingKeys: String, CodingKey { case shape, metric, encoder, formats, multiplierBits, maxShift }

    /// Decodes a configuration; one written before `encoder` existed is a distance encoder's.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shape = try container.decode(PQShape.self, forKey: .shape)
        metric = try container.decode(DistanceMetric.self, forKey: .metric)
        encoder = try container.decodeIfPresent(EncoderKind.self, forKey: .encoder) ?? .distance
        formats = try container.decode(LayerFormats.self, forKey: .formats)
        multiplierBits = try container.decode(Int.self, forKey: .multiplierBits)
        maxShift = try container.decode(Int.self, forKey: .maxShift)
    }

    /// Checks shape, formats, multiplier width and shift range, and that a
    /// tree encoder's `Np` is a power of two. (Bounds of the arithmetic are
    /// checked by ``HardwareWidths/init(for:)``.)
    public func validate() throws {
        try shape.validate()
        if encoder == .tree, shape.np & (shape.np - 1) != 0 {
            throw PQError.parameterOutOfRange(field: "Np", value: "\(shape.np)",
                                              allowed: "2, 4, 8, 16, ... (a tree encoder's leaves are a power of two)")
        }
        try formats.validate()
        try PQShape.check("multiplierBits", multiplierBits, PQConfiguration.multiplierBitsRange)
        try PQShape.check("maxShift", maxShift, PQConfiguration.shiftRange)
    }
}
