/// How ``ConvertedNetwork/convert(_:calibration:options:)`` product-quantizes
/// a network.
public struct ConversionOptions: Codable, Sendable, Hashable {
    /// Subvector length `Ls` of every PQ layer.
    public var ls: Int
    /// Prototypes per codebook `Np` of every PQ layer.
    public var np: Int
    /// Distance metric of the encoders (prototypes are learned by k-means under L2 either way).
    public var metric: DistanceMetric
    /// How every PQ layer encodes: nearest prototype (``EncoderKind/distance``,
    /// k-means prototypes) or a decision tree per subspace
    /// (``EncoderKind/tree``, greedy MADDNESS trees; `np` must be a power of
    /// two). A folder written before this option existed reads as distance.
    public var encoder: EncoderKind
    /// Bits of activations, prototypes, table entries and outputs, in that order.
    public var bits: [Int]
    /// When set, the ridge parameter of the table refit: each PQ layer's
    /// table is refit to the float network's outputs of that layer.
    public var refitLambda: Double?
    /// When set, the ridge parameter of the refit of the float conv and
    /// linear layers after the last PQ layer (the classifier): their weights
    /// and bias are refit to the float network's outputs of that layer from
    /// the inputs the float PQ network gives it.
    public var floatRefitLambda: Double?
    /// When set and positive, epochs of PQ-aware fine-tuning after the
    /// refits: the tables and the float layers after the PQ layers learn by
    /// gradient descent to give the float network's outputs (see
    /// ``ConvertedNetwork/convert(_:calibration:options:)``).
    public var fineTuneEpochs: Int?
    /// Adam's learning rate of the fine-tuning (nil: 0.003).
    public var fineTuneLearningRate: Double?
    /// Whether the fine-tuning learns the prototypes too (l2 only), from a
    /// soft assignment in the backward pass as LUT-NN does (nil: no). It
    /// takes about three times as long. Tree layers keep their prototypes:
    /// their trees, not the prototypes, choose the codes.
    public var fineTunePrototypes: Bool?
    /// When positive, both fine-tunings train on shifted images: each image
    /// of each batch moved by a random offset of up to this many pixels down
    /// and across, the float network's outputs on it as the target (nil: 0).
    public var fineTuneShift: Int?
    /// Whether, after quantization, each PQ layer's input scale (unless it
    /// takes the previous layer's integer outputs) and output scale are
    /// chosen again by the integer network's distillation loss on the
    /// calibration images, among multiples of the calibrated ones (nil: no).
    public var scaleSearch: Bool?
    /// When set and positive, epochs of quantization-aware fine-tuning at
    /// each bit width, after quantization: the integer tables and the float
    /// layers after the PQ layers learn through the integer forward pass
    /// (see ``ConvertedNetwork/convert(_:calibration:options:)``).
    public var quantizationAwareEpochs: Int?
    /// Adam's learning rate of the quantization-aware fine-tuning (nil: 0.001).
    public var quantizationAwareLearningRate: Double?
    /// Seed of k-means (subspace `s` of every layer uses stream `s`).
    public var seed: UInt64
    /// Largest number of Lloyd iterations per subspace.
    public var iterations: Int
    /// Width of the requantization multipliers.
    public var multiplierBits: Int
    /// The largest requantization shift a layer may use.
    public var maxShift: Int
    /// How input, table and output scales are chosen from the calibration.
    public var scaleChoice: ScaleChoice

    /// Options; `bits` holds one width for all four quantities or four widths.
    public init(ls: Int = 9, np: Int = 16, metric: DistanceMetric = .l2, encoder: EncoderKind = .distance, bits: [Int] = [8, 8, 8, 8],
                refitLambda: Double? = nil, floatRefitLambda: Double? = nil, fineTuneEpochs: Int? = nil, fineTuneLearningRate: Double? = nil,
                fineTunePrototypes: Bool? = nil, fineTuneShift: Int? = nil, scaleSearch: Bool? = nil,
                quantizationAwareEpochs: Int? = nil, quantizationAwareLearningRate: Double? = nil, seed: UInt64 = 0, iterations: Int = 25,
                multiplierBits: Int = 16, maxShift: Int = 31, scaleChoice: ScaleChoice = .minimumError) throws {
        self.ls = ls
        self.np = np
        self.metric = metric
        self.encoder = encoder
        self.bits = bits.count == 1 ? Array(repeating: bits[0], count: 4) : bits
        self.refitLambda = refitLambda
        self.floatRefitLambda = floatRefitLambda
        self.fineTuneEpochs = fineTuneEpochs
        self.fineTuneLearningRate = fineTuneLearningRate
        self.fineTunePrototypes = fineTunePrototypes
        self.fineTuneShift = fineTuneShift
        self.scaleSearch = scaleSearch
        self.quantizationAwareEpochs = quantizationAwareEpochs
        self.quantizationAwareLearningRate = quantizationAwareLearningRate
        self.seed = seed
        self.iterations = iterations
        self.multiplierBits = multiplierBits
        self.maxShift = maxShift
        self.scaleChoice = scaleChoice
        try validate()
    }

    /// Checks every option, naming the one at fault.
    public func validate() throws {
        guard bits.count == 4 else {
            throw PQError.sizeMismatch(field: "bits", expected: "one width, or four: activation, prototype, entry, output", found: "\(bits.count) widths")
        }
        for (name, value) in zip(["activation", "prototype", "entry", "output"], bits) {
            try PQShape.check("bits.\(name)", value, LayerFormats.dataBits)
        }
        try PQShape.check("Ls", ls, 1...PQShape.maxLs)
        try PQShape.check("Np", np, 1...PQShape.maxNp)
        if encoder == .tree, np & (np - 1) != 0 {
            throw PQError.parameterOutOfRange(field: "Np", value: "\(np)", allowed: "2, 4, 8, 16, ... (a tree encoder's leaves are a power of two)")
        }
        try PQShape.check("k-means iterations", iterations, 0...100_000)
        try PQShape.check("multiplierBits", multiplierBits, PQConfiguration.multiplierBitsRange)
        try PQShape.check("maxShift", maxShift, PQConfiguration.shiftRange)
        if let epochs = fineTuneEpochs { try PQShape.check("fine-tuning epochs", epochs, 0...100_000) }
        if let epochs = quantizationAwareEpochs { try PQShape.check("quantization-aware epochs", epochs, 0...100_000) }
        if let shift = fineTuneShift { try PQShape.check("fine-tuning shift", shift, 0...16) }
        for (name, value) in [("refit lambda", refitLambda), ("float refit lambda", floatRefitLambda), ("fine-tuning learning rate", fineTuneLearningRate),
                              ("quantization-aware learning rate", quantizationAwareLearningRate)] {
            if let lambda = value, !(lambda > 0 && lambda.isFinite) {
                throw PQError.parameterOutOfRange(field: name, value: "\(lambda)", allowed: "a finite value > 0")
            }
        }
    }

    private enum CodingKeys: String, CodingKey {
        case ls, np, metric, encoder, bits, refitLambda, floatRefitLambda, fineTuneEpochs, fineTuneLearningRate, fineTunePrototypes,
             fineTuneShift, scaleSearch, quantizationAwareEpochs, quantizationAwareLearningRate, seed, iterations, multiplierBits,
             maxShift, scaleChoice
    }

    /// Decodes options as they were encoded; options written before
    /// `encoder` existed are a distance encoder's.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ls = try c.decode(Int.self, forKey: .ls)
        np = try c.decode(Int.self, forKey: .np)
        metric = try c.decode(DistanceMetric.self, forKey: .metric)
        encoder = try c.decodeIfPresent(EncoderKind.self, forKey: .encoder) ?? .distance
        bits = try c.decode([Int].self, forKey: .bits)
        refitLambda = try c.decodeIfPresent(Double.self, forKey: .refitLambda)
        floatRefitLambda = try c.decodeIfPresent(Double.self, forKey: .floatRefitLambda)
        fineTuneEpochs = try c.decodeIfPresent(Int.self, forKey: .fineTuneEpochs)
        fineTuneLearningRate = try c.decodeIfPresent(Double.self, forKey: .fineTuneLearningRate)
        fineTunePrototypes = try c.decodeIfPresent(Bool.self, forKey: .fineTunePrototypes)
        fineTuneShift = try c.decodeIfPresent(Int.self, forKey: .fineTuneShift)
        scaleSearch = try c.decodeIfPresent(Bool.self, forKey: .scaleSearch)
        quantizationAwareEpochs = try c.decodeIfPresent(Int.self, forKey: .quantizationAwareEpochs)
        quantizationAwareLearningRate = try c.decodeIfPresent(Double.self, forKey: .quantizationAwareLearningRate)
        seed = try c.decode(UInt64.self, forKey: .seed)
        iterations = try c.decode(Int.self, forKey: .iterations)
        multiplierBits = try c.decode(Int.self, forKey: .multiplierBits)
        maxShift = try c.decode(Int.self, forKey: .maxShift)
        scaleChoice = try c.decode(ScaleChoice.self, forKey: .scaleChoice)
    }
}
