import Foundation
import PQ

/// The conventional accelerator pqa compares PQ against: an array of
/// `InVec x OutVec` multiply-accumulate units computing an exact integer
/// matrix product, behind the same streams as the PQA core. Stored as JSON.
public struct MACArrayConfiguration: Codable, Sendable, Hashable {
    /// The largest layer the hardware runs; smaller ones are set at run time.
    public struct Maxima: Codable, Sendable, Hashable {
        /// Largest input length `D` (an im2col column).
        public var d: Int
        /// Largest number of output channels `Cout`.
        public var cout: Int
        /// Largest number of input columns in one layer.
        public var columns: Int

        /// Maxima as given.
        public init(d: Int, cout: Int, columns: Int) {
            self.d = d
            self.cout = cout
            self.columns = columns
        }
    }

    /// Work done per clock cycle: `inVec x outVec` multiplications.
    public struct Parallelism: Codable, Sendable, Hashable {
        /// Input values consumed per cycle.
        public var inVec: Int
        /// Output channels accumulated per cycle.
        public var outVec: Int

        /// Parallelism as given.
        public init(inVec: Int, outVec: Int) {
            self.inVec = inVec
            self.outVec = outVec
        }
    }

    /// How the array's multipliers are built.
    public enum Multipliers: String, Codable, Sendable, CaseIterable {
        /// From LUTs (shifts and adds) when an operand has at most 8 bits,
        /// as in LUT-based low-precision accelerators; DSP blocks otherwise.
        case luts
        /// Always the `*` operator, which synthesis maps to DSP blocks.
        case dsp
    }

    public var maxima: Maxima
    public var parallelism: Parallelism
    /// Integer formats of activations, weights, bias and outputs.
    public var formats: LinearFormats
    /// Bits of the requantization multiplier (an unsigned integer).
    public var multiplierBits: Int
    /// Largest requantization right shift.
    public var maxShift: Int
    /// Adder levels of each output's adder tree between registers (0: none).
    public var adderLevelsPerStage: Int
    /// LUT or DSP multipliers (LUTs when the field is absent).
    public var multipliers: Multipliers

    private enum CodingKeys: String, CodingKey {
        case maxima, parallelism, formats, multiplierBits, maxShift, adderLevelsPerStage, multipliers
    }

    /// Decodes a configuration; files without `multipliers` read as LUT multipliers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxima = try container.decode(Maxima.self, forKey: .maxima)
        parallelism = try container.decode(Parallelism.self, forKey: .parallelism)
        formats = try container.decode(LinearFormats.self, forKey: .formats)
        multiplierBits = try container.decode(Int.self, forKey: .multiplierBits)
        maxShift = try container.decode(Int.self, forKey: .maxShift)
        adderLevelsPerStage = try container.decode(Int.self, forKey: .adderLevelsPerStage)
        multipliers = try container.decodeIfPresent(Multipliers.self, forKey: .multipliers) ?? .luts
    }

    /// A configuration as given; `validate()` checks it.
    public init(maxima: Maxima, parallelism: Parallelism, formats: LinearFormats, multiplierBits: Int, maxShift: Int,
                adderLevelsPerStage: Int = 2, multipliers: Multipliers = .luts) {
        self.multipliers = multipliers
        self.maxima = maxima
        self.parallelism = parallelism
        self.formats = formats
        self.multiplierBits = multiplierBits
        self.maxShift = maxShift
        self.adderLevelsPerStage = adderLevelsPerStage
    }

    /// The baseline of a PQA design: the same largest layer (`D = Ns x Ls`,
    /// `Cout`, columns), the same activation, bias and output formats and
    /// requantization, weights in `weight` (the PQA table entries' format by
    /// default), and `parallelism` multipliers.
    public static func matching(_ pqa: PQAConfiguration, parallelism: Parallelism, weight: IntegerFormat? = nil) -> MACArrayConfiguration {
        let f = pqa.formats
        return MACArrayConfiguration(
            maxima: Maxima(d: pqa.maxima.ns * pqa.maxima.ls, cout: pqa.maxima.cout, columns: pqa.maxima.columns),
            parallelism: parallelism,
            formats: LinearFormats(activation: f.activation, weight: weight ?? f.entry, bias: f.bias, output: f.output),
            multiplierBits: pqa.multiplierBits, maxShift: pqa.maxShift,
            adderLevelsPerStage: pqa.pipelining.adderLevelsPerStage)
    }

    /// The baseline of the default PQA design: 36 x 16 = 576 multipliers,
    /// as many as the default PQA design has distance lanes.
    public static var `default`: MACArrayConfiguration {
        matching(.default, parallelism: Parallelism(inVec: 36, outVec: 16))
    }

    /// Largest values accepted, so memories stay within an FPGA and counters within 32 bits.
    public static let limits = (d: 1 << 16, cout: 4096, columns: 1 << 24, multipliers: 65536)

    /// Checks every field; the error names the first field at fault, its
    /// value and the rule it breaks.
    public func validate() throws {
        func check(_ field: String, _ value: Int, _ range: ClosedRange<Int>) throws {
            guard range.contains(value) else {
                throw PQAConfigurationError.invalid(field: field, value: "\(value)", rule: "must be \(range.lowerBound)...\(range.upperBound)")
            }
        }
        try check("maxima.d", maxima.d, 1...Self.limits.d)
        try check("maxima.cout", maxima.cout, 1...Self.limits.cout)
        try check("maxima.columns", maxima.columns, 1...Self.limits.columns)
        try check("parallelism.inVec", parallelism.inVec, 1...maxima.d)
        try check("parallelism.outVec", parallelism.outVec, 1...maxima.cout)
        try check("adderLevelsPerStage", adderLevelsPerStage, 0...64)
        try check("multiplierBits", multiplierBits, PQConfiguration.multiplierBitsRange)
        try check("maxShift", maxShift, PQConfiguration.shiftRange)
        let multipliers = parallelism.inVec * parallelism.outVec
        guard multipliers <= Self.limits.multipliers else {
            throw PQAConfigurationError.invalid(field: "parallelism", value: "inVec x outVec = \(multipliers)",
                                                rule: "at most \(Self.limits.multipliers) multipliers; lower inVec or outVec")
        }
        do {
            try formats.validate()
        } catch {
            throw PQAConfigurationError.invalid(field: "formats", value: "as given", rule: "\(error)")
        }
        let accumulator: WidthBound
        do {
            accumulator = try formats.accumulatorBound(d: maxima.d)
        } catch {
            throw PQAConfigurationError.invalid(field: "maxima.d", value: "\(maxima.d)", rule: "with these formats: \(error)")
        }
        let largest = max(-accumulator.minValue, accumulator.maxValue)
        guard largest <= (1 << 62) >> multiplierBits else {
            throw PQAConfigurationError.invalid(
                field: "multiplierBits", value: "\(multiplierBits)",
                rule: "the accumulator reaches \(largest), and its product with the multiplier must stay below 2^62; use fewer bits, a shorter column or narrower formats")
        }
        let storageBits = try MACArrayParameters(self).storageBits
        guard storageBits <= 1 << 30 else {
            throw PQAConfigurationError.invalid(field: "maxima", value: "\(storageBits) bits of on-chip storage",
                                                rule: "must fit in 1 Gbit; lower maxima.d or maxima.cout")
        }
    }

    /// Reads a configuration from JSON, naming the file and the field at fault.
    public static func read(from url: URL) throws -> MACArrayConfiguration {
        let configuration = try decodeConfiguration(MACArrayConfiguration.self, from: url)
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
