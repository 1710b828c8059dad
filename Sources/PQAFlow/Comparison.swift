import Foundation
import PQ
import PQA

/// One design of a comparison, measured.
public struct ComparedDesign: Codable, Sendable {
    /// `pqa_core` or `mac_array_core`, and its parallelism in words.
    public let design: String
    public let parallelism: String
    public let resources: [Resource: Int]
    public let area: Double
    /// Fmax from place and route, when a device was given.
    public let fmaxMHz: Double?
    /// Cycles of one inference (loads overlapped) and its compute part.
    public let cycles: Int
    public let computeCycles: Int
    /// Why there is no Fmax although a device was given (the design does not fit it).
    public let fmaxProblem: String?

    /// Inferences per second per 1000 LUT-equivalents at `clockMHz`.
    public func performancePerArea(at clockMHz: Double) -> Double { clockMHz * 1e6 / Double(cycles) / (area / 1000) }
}

/// PQA against the baseline at one table-3 point.
public struct ComparisonRow: Codable, Sendable {
    public let ls, np: Int
    /// Activation and prototype bits, and table-entry (and baseline weight) bits.
    public let activationBits, entryBits: Int
    public let pqa, baseline: ComparedDesign
    /// The clocks the two run at: each its Fmax when every candidate design of
    /// the point was placed and routed, otherwise both the nominal clock, so
    /// the ratio compares like with like.
    public let pqaClockMHz, baselineClockMHz: Double
    public var pqaPerformancePerArea: Double { pqa.performancePerArea(at: pqaClockMHz) }
    public var baselinePerformancePerArea: Double { baseline.performancePerArea(at: baselineClockMHz) }
    /// PQA's performance per area over the baseline's.
    public var ratio: Double { pqaPerformancePerArea / baselinePerformancePerArea }
}

/// How `pqa compare` builds and measures its designs.
public struct ComparisonOptions: Sendable {
    public var target: SynthesisTarget = .xilinx7
    /// A Lattice device for Fmax; without one both designs run at `nominalMHz`.
    public var device: PlaceAndRouteDevice?
    public var nominalMHz = 100.0
    public var metric: DistanceMetric = .l2
    /// PQA subspace groups per cycle to try; `LsVec = Ls`, `NpVec = min(Np, 16)`, `OutVec = 16`.
    public var pqaSubspaceParallelism = [1, 2]
    /// Baseline input lanes to try, with `OutVec = 16`, each with LUT and with DSP multipliers.
    public var baselineInputParallelism = [9, 18]
    /// How layers and their loads follow each other.
    public var schedule = NetworkSchedule.overlapped
    public var jobs = 2

    public init() {}
}

/// PQA against the MAC-array baseline for each table-3 point of a network:
/// both designs are generated for the network's largest layer, synthesized
/// (and placed and routed when a device is given), and run the whole network
/// per the network cycle model. Each side tries its parallelism candidates
/// and keeps the one with the best performance per area (a tuned design).
public enum Comparison {
    /// The rows of `network` in `workloads`.
    public static func run(network: String, workloads: Workloads, options: ComparisonOptions, cache: MeasurementCache) throws -> [ComparisonRow] {
        guard let points = workloads.table3Points[network], !points.isEmpty else {
            throw PQAInterfaceError.invalidArgument(field: "network", value: network,
                                                    allowed: "one with table3 points: \(workloads.table3Points.keys.sorted().joined(separator: ", "))")
        }
        let convolutions = try NetworkLayer.layers(of: network, in: workloads)
        // Every design of every point, measured concurrently (the cache keeps them).
        var candidates: [Candidate] = []
        for point in points {
            let layers = try convolutions.map { layer in
                NetworkLayer(shape: try PQShape(inputLength: layer.shape.inputLength, ls: point.ls, np: point.np, cout: layer.shape.cout),
                             columns: layer.columns)
            }
            let bits = (activation: point.prototypeBits ?? 8, entry: point.tableBits ?? 8)
            for ns in options.pqaSubspaceParallelism {
                candidates.append(.pqa(try pqaConfiguration(layers, parallelism: .init(lsVec: point.ls, npVec: min(point.np, 16), nsVec: ns, outVec: 16),
                                                            bits: bits, metric: options.metric), layers))
            }
            for inVec in options.baselineInputParallelism {
                for multipliers in MACArrayConfiguration.Multipliers.allCases {
                    candidates.append(.baseline(try baselineConfiguration(layers, parallelism: .init(inVec: inVec, outVec: 16), bits: bits,
                                                                          multipliers: multipliers), layers))
                }
            }
        }
        var seen = Set<String>()
        let distinct = candidates.filter { seen.insert($0.name).inserted }
        let results = Locked<[String: ComparedDesign]>([:])
        try runConcurrently(distinct, jobs: options.jobs, name: \.name) { candidate in
            let design = try candidate.measure(options, cache)
            results.withLock { $0[candidate.name] = design }
        }
        return try points.map { point in
            let bits = (activation: point.prototypeBits ?? 8, entry: point.tableBits ?? 8)
            let mine = candidates.filter { $0.matches(point, bits) }
            // Each side keeps its best candidate at the nominal clock, or at
            // Fmax when every candidate of the point was placed and routed.
            let designs = results.withLock { $0 }
            let measured = try mine.map { candidate -> (Bool, ComparedDesign) in
                guard let design = designs[candidate.name] else {
                    throw PQAInterfaceError.invalidArgument(field: "candidate", value: candidate.name, allowed: "a measured design")
                }
                return (candidate.isPQA, design)
            }
            let allPlaced = measured.allSatisfy { $0.1.fmaxMHz != nil }
            func clock(_ design: ComparedDesign) -> Double { allPlaced ? design.fmaxMHz ?? options.nominalMHz : options.nominalMHz }
            func best(_ pqa: Bool) throws -> ComparedDesign {
                guard let top = measured.filter({ $0.0 == pqa }).map(\.1)
                    .max(by: { $0.performancePerArea(at: clock($0)) < $1.performancePerArea(at: clock($1)) }) else {
                    throw PQAInterfaceError.invalidArgument(field: "candidates", value: "none", allowed: "at least one parallelism per design")
                }
                return top
            }
            let pqa = try best(true), baseline = try best(false)
            return ComparisonRow(ls: point.ls, np: point.np, activationBits: bits.activation, entryBits: bits.entry, pqa: pqa, baseline: baseline,
                                 pqaClockMHz: clock(pqa), baselineClockMHz: clock(baseline))
        }
    }

    /// The PQA design for `layers`: their largest sizes, the given parallelism
    /// (clipped), unsigned activations and prototypes, signed entries.
    static func pqaConfiguration(_ layers: [NetworkLayer], parallelism p: PQAConfiguration.Parallelism, bits: (activation: Int, entry: Int),
                                 metric: DistanceMetric) throws -> PQAConfiguration {
        let maxima = PQAConfiguration.Maxima(ls: layers.map(\.shape.ls).max() ?? 1, np: layers.map(\.shape.np).max() ?? 1,
                                             ns: layers.map(\.shape.ns).max() ?? 1, cout: layers.map(\.shape.cout).max() ?? 1,
                                             columns: layers.map(\.columns).max() ?? 1)
        let configuration = PQAConfiguration(
            maxima: maxima,
            parallelism: .init(lsVec: min(p.lsVec, maxima.ls), npVec: min(p.npVec, maxima.np), nsVec: min(p.nsVec, maxima.ns),
                               outVec: min(p.outVec, maxima.cout)),
            formats: LayerFormats(activation: try .unsigned(bits.activation), prototype: try .unsigned(bits.activation),
                                  entry: try .signed(bits.entry), bias: try .signed(16), output: try .signed(8)),
            multiplierBits: 8, maxShift: 24, metric: metric, pipelining: .init(argminLevelsPerStage: 2, adderLevelsPerStage: 2))
        try configuration.validate()
        return configuration
    }

    /// The baseline at equal widths: the same activations, weights as wide as the table entries.
    static func baselineConfiguration(_ layers: [NetworkLayer], parallelism: MACArrayConfiguration.Parallelism,
                                      bits: (activation: Int, entry: Int), multipliers: MACArrayConfiguration.Multipliers) throws -> MACArrayConfiguration {
        let d = layers.map(\.shape.inputLength).max() ?? 1, cout = layers.map(\.shape.cout).max() ?? 1
        let configuration = MACArrayConfiguration(
            maxima: .init(d: d, cout: cout, columns: layers.map(\.columns).max() ?? 1),
            parallelism: .init(inVec: min(parallelism.inVec, d), outVec: min(parallelism.outVec, cout)),
            formats: LinearFormats(activation: try .unsigned(bits.activation), weight: try .signed(bits.entry), bias: try .signed(16),
                                   output: try .signed(8)),
            multiplierBits: 8, maxShift: 24, multipliers: multipliers)
        try configuration.validate()
        return configuration
    }
}

/// A design to measure for a comparison.
private enum Candidate: Sendable {
    case pqa(PQAConfiguration, [NetworkLayer])
    case baseline(MACArrayConfiguration, [NetworkLayer])

    var isPQA: Bool { if case .pqa = self { true } else { false } }

    var name: String {
        switch self {
        case .pqa(let c, _):
            "PQA Ls \(c.maxima.ls) Np \(c.maxima.np) \(c.formats.activation.bits)/\(c.formats.entry.bits) bits NsVec \(c.parallelism.nsVec)"
        case .baseline(let c, _):
            "baseline \(c.formats.activation.bits)/\(c.formats.weight.bits) bits InVec \(c.parallelism.inVec) \(c.multipliers.rawValue)"
        }
    }

    func matches(_ point: Workloads.Point, _ bits: (activation: Int, entry: Int)) -> Bool {
        switch self {
        case .pqa(let c, _):
            c.maxima.ls == point.ls && c.maxima.np == point.np && c.formats.activation.bits == bits.activation && c.formats.entry.bits == bits.entry
        case .baseline(let c, let layers):
            layers.first?.shape.ls == point.ls && layers.first?.shape.np == point.np
                && c.formats.activation.bits == bits.activation && c.formats.weight.bits == bits.entry
        }
    }

    func measure(_ options: ComparisonOptions, _ cache: MeasurementCache) throws -> ComparedDesign {
        let measurement: Measurement, cycles: NetworkCycles, parallelism: String, design: String
        switch self {
        case .pqa(let c, let layers):
            measurement = try cache.measure(PQACore(c), target: options.target, device: options.device)
            cycles = NetworkCycleModel.pqa(layers, parameters: try PQAParameters(c), schedule: options.schedule)
            let p = c.parallelism
            parallelism = "LsVec \(p.lsVec) NpVec \(p.npVec) NsVec \(p.nsVec) OutVec \(p.outVec)"
            design = "pqa_core"
        case .baseline(let c, let layers):
            measurement = try cache.measure(MACArrayCore(c), target: options.target, device: options.device)
            cycles = NetworkCycleModel.macArray(layers, parameters: try MACArrayParameters(c), schedule: options.schedule)
            parallelism = "InVec \(c.parallelism.inVec) OutVec \(c.parallelism.outVec), \(c.multipliers == .luts ? "LUT" : "DSP") multipliers"
            design = "mac_array_core"
        }
        return ComparedDesign(design: design, parallelism: parallelism, resources: measurement.synthesis.resources,
                              area: measurement.synthesis.area, fmaxMHz: measurement.fmaxMHz, cycles: cycles.totalCycles,
                              computeCycles: cycles.computeCycles, fmaxProblem: measurement.placeAndRouteProblem)
    }
}
