import PQ
import PQA

/// The parallelism a comparison tries on each side at every point; each
/// side keeps its candidate with the best performance per area. The
/// defaults are the PQA paper's hardware sweep (`pqa_hardware_sweep` in
/// `reference/workloads.json`: `OutVec` 32 and 64, `NsVec` 16 to 64, `LsVec`
/// and `NpVec` up to 16), narrowed to `NsVec` 1 to 16 and widened to `OutVec`
/// 16, which hold the released analytical model's best points (ResNet-20:
/// LsVec 9, NpVec 8, NsVec 16, OutVec 32; EMNIST: LsVec 8, NpVec 8, NsVec 16,
/// OutVec 32); the baseline is as wide: up to 72 x 64 multipliers, from LUTs
/// or DSP blocks.
public struct ComparisonCandidates: Codable, Sendable, Hashable {
    /// PQA subspaces per cycle; `LsVec = min(16, Ls)` and `NpVec = min(16, Np)`.
    public var pqaNsVec: [Int]
    /// PQA output channels per cycle.
    public var pqaOutVec: [Int]
    /// Baseline inputs per cycle.
    public var baselineInVec: [Int]
    /// Baseline output channels per cycle.
    public var baselineOutVec: [Int]
    /// Baseline multipliers from LUTs, DSP blocks or both.
    public var baselineMultipliers: [MACArrayConfiguration.Multipliers]

    /// The paper's sweep (see the type).
    public static let paperSweep = ComparisonCandidates(pqaNsVec: [1, 2, 4, 8, 16], pqaOutVec: [16, 32, 64], baselineInVec: [9, 18, 36, 72],
                                                        baselineOutVec: [16, 32, 64], baselineMultipliers: [.luts, .dsp])

    /// Candidates as given; `validate()` checks them.
    public init(pqaNsVec: [Int], pqaOutVec: [Int], baselineInVec: [Int], baselineOutVec: [Int],
                baselineMultipliers: [MACArrayConfiguration.Multipliers]) {
        self.pqaNsVec = pqaNsVec
        self.pqaOutVec = pqaOutVec
        self.baselineInVec = baselineInVec
        self.baselineOutVec = baselineOutVec
        self.baselineMultipliers = baselineMultipliers
    }

    /// Checks that every list has at least one value and every value is at least 1.
    public func validate() throws {
        for (field, values) in [("pqaNsVec", pqaNsVec), ("pqaOutVec", pqaOutVec), ("baselineInVec", baselineInVec), ("baselineOutVec", baselineOutVec)] {
            guard !values.isEmpty, values.allSatisfy({ $0 >= 1 }) else {
                throw PQAConfigurationError.invalid(field: field, value: "\(values)", rule: "must list at least one value, each at least 1")
            }
        }
        guard !baselineMultipliers.isEmpty else {
            throw PQAConfigurationError.invalid(field: "baselineMultipliers", value: "[]", rule: "must list luts, dsp or both")
        }
    }

    /// Every PQA design of `point` for `layers` (parallelism clipped to the
    /// largest layer, duplicates dropped), in a stable order. A tree encoder
    /// decides among all `Np` at once (`NpVec = Np`).
    func pqa(_ point: ComparisonPoint, metric: DistanceMetric, encoder: EncoderKind = .distance) throws -> [ComparisonHardware] {
        var seen = Set<ComparisonHardware>()
        let npVec = encoder == .tree ? point.np : min(16, point.np)
        return try pqaNsVec.flatMap { ns in
            try pqaOutVec.map { out in
                ComparisonHardware.pqa(try Comparison.pqaConfiguration(
                    point.layers, parallelism: .init(lsVec: min(16, point.ls), npVec: npVec, nsVec: ns, outVec: out),
                    bits: point.bits, metric: metric, encoder: encoder))
            }
        }.filter { seen.insert($0).inserted }
    }

    /// Every baseline design of `point`, in a stable order.
    func baseline(_ point: ComparisonPoint) throws -> [ComparisonHardware] {
        var seen = Set<ComparisonHardware>()
        return try baselineInVec.flatMap { inVec in
            try baselineOutVec.flatMap { out in
                try baselineMultipliers.map { multipliers in
                    ComparisonHardware.baseline(try Comparison.baselineConfiguration(point.layers, parallelism: .init(inVec: inVec, outVec: out),
                                                                                     bits: point.bits, multipliers: multipliers))
                }
            }
        }.filter { seen.insert($0).inserted }
    }
}

/// One table-3 point of a network: Ls, Np and bit widths, and the network's
/// layers cut to that Ls and Np.
public struct ComparisonPoint: Sendable {
    /// Its place in the network's `table3_points`, from 1.
    public let number: Int
    public let ls, np: Int
    /// Activation and prototype bits.
    public let activationBits: Int
    /// Table-entry bits, and the baseline's weight bits.
    public let entryBits: Int
    public let layers: [NetworkLayer]

    var bits: (activation: Int, entry: Int) { (activationBits, entryBits) }

    /// `Ls 9 Np 8 6/5b`.
    public var name: String { "Ls \(ls) Np \(np) \(activationBits)/\(entryBits)b" }

    /// The table-3 points of `network` in `workloads` (8-bit where the point gives no widths).
    public static func all(of network: String, in workloads: Workloads) throws -> [ComparisonPoint] {
        guard let points = workloads.table3Points[network], !points.isEmpty else {
            throw PQAInterfaceError.invalidArgument(field: "network", value: network,
                                                    allowed: "one with table3 points: \(workloads.table3Points.keys.sorted().joined(separator: ", "))")
        }
        let convolutions = try NetworkLayer.layers(of: network, in: workloads)
        return try points.enumerated().map { index, point in
            let layers = try convolutions.map { layer in
                NetworkLayer(shape: try PQShape(inputLength: layer.shape.inputLength, ls: point.ls, np: point.np, cout: layer.shape.cout),
                             columns: layer.columns)
            }
            return ComparisonPoint(number: index + 1, ls: point.ls, np: point.np, activationBits: point.prototypeBits ?? 8,
                                   entryBits: point.tableBits ?? 8, layers: layers)
        }
    }
}
