/// One derived hardware width and the bound it rests on.
///
/// `bits` and `signed` give the narrowest register that holds every value in
/// `minValue...maxValue`; `reason` says where the bound comes from, so a
/// manifest or a design document can print it.
public struct WidthBound: Codable, Sendable, Hashable, CustomStringConvertible {
    /// What the width is for (`distance`, `accumulator`, ...).
    public let name: String
    /// Width in bits.
    public let bits: Int
    /// Whether the register is two's complement.
    public let signed: Bool
    /// The smallest value the quantity can take.
    public let minValue: Int
    /// The largest value the quantity can take.
    public let maxValue: Int
    /// How the bound was derived.
    public let reason: String

    /// The narrowest width holding `lower...upper`, or `bits` when given and wider.
    init(_ name: String, lower: Int, upper: Int, atLeast bits: Int = 1, reason: String) {
        let needed = IntegerFormat.requiredBits(lower: lower, upper: upper)
        self.name = name
        self.bits = max(needed.bits, bits)
        self.signed = needed.signed
        self.minValue = lower
        self.maxValue = upper
        self.reason = reason
    }

    /// Whether `value` lies within the bound.
    public func contains(_ value: Int) -> Bool { value >= minValue && value <= maxValue }

    /// `name: s13 [-4096, 4095] (reason)`.
    public var description: String {
        "\(name): \(signed ? "s" : "u")\(bits) [\(minValue), \(maxValue)] (\(reason))"
    }
}

/// Every hardware width of a PQ layer, derived from a ``PQConfiguration`` by
/// one function, ``init(for:)``, which the generator, the docs and the
/// golden model all use.
///
/// Every bound is exact (the extreme value is reachable) and is computed
/// with overflow-checked 64-bit arithmetic; a configuration whose bound would
/// pass 2^62 is rejected, so the reference model's `Int` arithmetic (64-bit)
/// cannot overflow for any accepted configuration.
public struct HardwareWidths: Codable, Sendable, Hashable {
    /// `activation − prototype`, one element of a distance unit.
    public let difference: WidthBound
    /// One element's distance term: `(a − p)²` for L2, `|a − p|` otherwise.
    public let elementDistance: WidthBound
    /// A whole subvector distance: `Ls` terms summed (L2, L1) or their maximum (Chebyshev).
    public let distance: WidthBound
    /// The argmin index (code): `ceil(log2(Np))` bits, at least 1.
    public let index: WidthBound
    /// The sum of `Ns` table entries: `entryBits + ceil(log2(Ns))` bits.
    public let tableSum: WidthBound
    /// The accumulator: the table sum plus the bias, exact range.
    public let accumulator: WidthBound
    /// `accumulator * multiplier` before rounding.
    public let product: WidthBound
    /// `product + 2^(shift−1)`, the value the arithmetic right shift reads.
    public let rounded: WidthBound
    /// The requantized, saturated output.
    public let output: WidthBound

    private static let limit = 1 << 62

    /// Derives every width from `configuration`; throws when the
    /// configuration is invalid or a bound would pass 2^62.
    public init(for configuration: PQConfiguration) throws {
        try configuration.validate()
        let shape = configuration.shape, f = configuration.formats
        let a = f.activation, p = f.prototype, e = f.entry, b = f.bias
        let diffLow = a.minValue - p.maxValue, diffHigh = a.maxValue - p.minValue
        let maxDiff = max(-diffLow, diffHigh)
        difference = WidthBound(
            "difference", lower: diffLow, upper: diffHigh,
            reason: "activation \(a) minus prototype \(p)")
        let fixDistance = "use fewer bits for activations or prototypes, or a smaller Ls"
        switch configuration.metric {
        case .l2:
            let square = try HardwareWidths.product(maxDiff, maxDiff, "squared difference", fixDistance)
            elementDistance = WidthBound("elementDistance", lower: 0, upper: square, reason: "(max |a − p| = \(maxDiff))²")
            let total = try HardwareWidths.product(shape.ls, square, "L2 distance", fixDistance)
            distance = WidthBound("distance", lower: 0, upper: total, reason: "Ls = \(shape.ls) squared differences of at most \(square)")
        case .l1:
            elementDistance = WidthBound("elementDistance", lower: 0, upper: maxDiff, reason: "max |a − p| = \(maxDiff)")
            let total = try HardwareWidths.product(shape.ls, maxDiff, "L1 distance", fixDistance)
            distance = WidthBound("distance", lower: 0, upper: total, reason: "Ls = \(shape.ls) absolute differences of at most \(maxDiff)")
        case .chebyshev:
            elementDistance = WidthBound("elementDistance", lower: 0, upper: maxDiff, reason: "max |a − p| = \(maxDiff)")
            distance = WidthBound("distance", lower: 0, upper: maxDiff, reason: "the largest of Ls absolute differences, at most \(maxDiff)")
        }
        let indexBits = max(1, IntegerFormat.bitLength(UInt(shape.np - 1)))
        index = WidthBound("index", lower: 0, upper: shape.np - 1, atLeast: indexBits, reason: "ceil(log2(Np = \(shape.np))), at least 1")

        let fixSum = "use fewer entry or bias bits, or fewer subspaces"
        let sumLow = try HardwareWidths.product(shape.ns, e.minValue, "table sum", fixSum)
        let sumHigh = try HardwareWidths.product(shape.ns, e.maxValue, "table sum", fixSum)
        let logNs = IntegerFormat.bitLength(UInt(shape.ns - 1))  // ceil(log2(Ns))
        tableSum = WidthBound(
            "tableSum", lower: sumLow, upper: sumHigh, atLeast: e.bits + logNs,
            reason: "Ns = \(shape.ns) entries \(e): entryBits \(e.bits) + ceil(log2(Ns)) \(logNs)")
        let accLow = try HardwareWidths.sum(sumLow, b.minValue, "accumulator", fixSum)
        let accHigh = try HardwareWidths.sum(sumHigh, b.maxValue, "accumulator", fixSum)
        accumulator = WidthBound(
            "accumulator", lower: accLow, upper: accHigh,
            reason: "table sum [\(sumLow), \(sumHigh)] plus bias \(b) [\(b.minValue), \(b.maxValue)]")

        let fixProduct = "use a narrower multiplier (multiplierBits) or fewer accumulator bits"
        let maxMultiplier = (1 << configuration.multiplierBits) - 1
        let productLow = try min(0, HardwareWidths.product(accLow, maxMultiplier, "requantization product", fixProduct))
        let productHigh = try max(0, HardwareWidths.product(accHigh, maxMultiplier, "requantization product", fixProduct))
        product = WidthBound(
            "product", lower: productLow, upper: productHigh,
            reason: "accumulator times a multiplier of at most \(maxMultiplier) (\(configuration.multiplierBits) bits)")
        let roundingConstant = configuration.maxShift > 0 ? 1 << (configuration.maxShift - 1) : 0
        let roundedHigh = try HardwareWidths.sum(productHigh, roundingConstant, "rounded product", fixProduct + ", or a smaller shift")
        rounded = WidthBound(
            "rounded", lower: productLow, upper: roundedHigh,
            reason: "product plus the rounding constant 2^(shift−1) <= \(roundingConstant) (shift <= \(configuration.maxShift))")
        output = WidthBound(
            "output", lower: f.output.minValue, upper: f.output.maxValue,
            reason: "saturated to \(f.output)")
    }

    /// All widths in pipeline order.
    public var all: [WidthBound] {
        [difference, elementDistance, distance, index, tableSum, accumulator, product, rounded, output]
    }

    /// One line per width, for reports and manifests.
    public var lines: [String] { all.map(\.description) }

    static func product(_ x: Int, _ y: Int, _ quantity: String, _ fix: String) throws -> Int {
        let (value, overflow) = x.multipliedReportingOverflow(by: y)
        guard !overflow, value.magnitude <= UInt(limit) else {
            throw PQError.boundTooLarge(quantity: "the \(quantity)", bound: "\(x) * \(y)", fix: fix)
        }
        return value
    }

    static func sum(_ x: Int, _ y: Int, _ quantity: String, _ fix: String) throws -> Int {
        let (value, overflow) = x.addingReportingOverflow(y)
        guard !overflow, value.magnitude <= UInt(limit) else {
            throw PQError.boundTooLarge(quantity: "the \(quantity)", bound: "\(x) + \(y)", fix: fix)
        }
        return value
    }
}
