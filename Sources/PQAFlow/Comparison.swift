import Foundation
import PQ
import PQA

/// How `pqa compare` builds, measures and ranks its designs.
public struct ComparisonOptions: Sendable {
    /// The family whose synthesis counts the area (every design at full parallelism).
    public var target: SynthesisTarget = .xilinx7
    /// How designs are placed and routed for their clocks; nil: every design
    /// runs at `nominalMHz`.
    public var placement: PlaceAndRouteOptions? = PlaceAndRouteOptions(device: .ecp5_85k, maxUtilization: 0.8)
    public var nominalMHz = 100.0
    public var metric: DistanceMetric = .l2
    /// The PQA encoder: nearest prototype under `metric`, or a decision tree per subspace.
    public var encoder: EncoderKind = .distance
    public var candidates = ComparisonCandidates.paperSweep
    /// The table-3 points to compare, numbered from 1; nil: all of them.
    public var points: [Int]?
    /// How layers and their loads follow each other.
    public var schedule = NetworkSchedule.overlapped
    /// The weighting each side's best candidate is chosen by.
    public var rankBy = AreaWeighting.lutEquivalents
    /// Every design is timed from `1/minimumScale` of its lanes (a power of
    /// two): above 1, designs known not to fit the device are not placed
    /// whole first.
    public var minimumScale = 1

    public init() {}
}

/// One unit of work of a comparison, runnable alone (`pqa compare --job ID`,
/// for example as a task of a Slurm array): a design synthesized for area
/// and clocked from `1/scale` of its lanes down, `scale` being the
/// comparison's `minimumScale` (its own smallest replica that fits) or the
/// scale of the design it is compared with.
public struct ComparisonJob: Sendable, Hashable {
    public let hardware: ComparisonHardware
    public let scale: Int

    /// `3f2a9c01b7de` or `3f2a9c01b7de@4`.
    public var id: String {
        get throws { try hardware.id + (scale == 1 ? "" : "@\(scale)") }
    }
}

/// PQA against the MAC-array baseline at each table-3 point of a network.
/// Every candidate of both sides (`ComparisonCandidates`) is generated for
/// the network's largest layer, synthesized for area, placed and routed for
/// its clock (a replica with fewer lanes when it does not fit the device),
/// and runs the whole network per the network cycle model; each side keeps
/// the candidate with the best performance per area, and when the two kept
/// were timed at different scales, the one timed larger is timed again at
/// the other's scale, so both are compared at the same one.
///
/// Measurements live in a `MeasurementCache`: `pendingJobs()` lists what is
/// missing, `run(_:)` measures one job, and `rows()` reads the rows once
/// nothing is missing, wherever the jobs ran.
public struct Comparison: Sendable {
    public let network: String
    public let points: [ComparisonPoint]
    public let options: ComparisonOptions
    let clocking: ComparisonClocking
    let cache: MeasurementCache

    /// The comparison of `network` in `workloads`.
    public init(network: String, workloads: Workloads, options: ComparisonOptions, cache: MeasurementCache) throws {
        try options.candidates.validate()
        guard options.minimumScale >= 1, options.minimumScale & (options.minimumScale - 1) == 0 else {
            throw PQAInterfaceError.invalidArgument(field: "minimumScale", value: "\(options.minimumScale)", allowed: "a power of two: 1, 2, 4, 8, ...")
        }
        let all = try ComparisonPoint.all(of: network, in: workloads)
        if let chosen = options.points, chosen.isEmpty || chosen.contains(where: { !(1...all.count).contains($0) }) {
            throw PQAInterfaceError.invalidArgument(field: "points", value: "\(chosen)",
                                                    allowed: "numbers in 1...\(all.count) (\(network) has \(all.count) table-3 points)")
        }
        self.network = network
        points = options.points.map { chosen in all.filter { chosen.contains($0.number) } } ?? all
        self.options = options
        self.cache = cache
        clocking = ComparisonClocking(placement: options.placement, nominalMHz: options.nominalMHz, cache: cache)
    }

    /// The candidates of `point`: PQA's, then the baseline's.
    public func candidates(_ point: ComparisonPoint) throws -> [ComparisonHardware] {
        try options.candidates.pqa(point, metric: options.metric, encoder: options.encoder) + options.candidates.baseline(point)
    }

    /// Every distinct design of every point, in a stable order.
    public func designs() throws -> [ComparisonHardware] {
        var seen = Set<ComparisonHardware>()
        return try points.flatMap { try candidates($0) }.filter { seen.insert($0).inserted }
    }

    /// What is still to measure: first every design's synthesis and own
    /// clock, then, once those are all there, the clocks that put each
    /// point's two kept designs at one scale. Empty when `rows()` can run.
    public func pendingJobs() throws -> [ComparisonJob] {
        var pending: [ComparisonJob] = []
        for hardware in try designs() {
            let synthesized = try cache.cachedSynthesis(try hardware.core(), target: options.target) != nil
            let clocked = try !clocking.clock(hardware, from: options.minimumScale, run: false).isMissing
            if !synthesized || !clocked { pending.append(ComparisonJob(hardware: hardware, scale: options.minimumScale)) }
        }
        guard pending.isEmpty else { return pending }
        var seen = Set<ComparisonJob>()
        for point in points {
            let (pqa, baseline) = try kept(point)
            let scale = max(pqa.clock?.scale ?? 1, baseline.clock?.scale ?? 1)
            for design in [pqa, baseline] where (design.clock?.scale ?? scale) < scale {
                if case .missing = try clocking.clock(design.hardware, from: scale, run: false) {
                    let job = ComparisonJob(hardware: design.hardware, scale: scale)
                    if seen.insert(job).inserted { pending.append(job) }
                }
            }
        }
        return pending
    }

    /// The job named `id` (from `pendingJobs()`), to run alone.
    public func job(_ id: String) throws -> ComparisonJob {
        let parts = id.split(separator: "@", maxSplits: 1).map(String.init)
        let scale = parts.count == 2 ? Int(parts[1]) : 1
        guard let scale, scale >= 1, let hardware = try designs().first(where: { (try $0.id) == parts[0] }) else {
            throw PQAInterfaceError.invalidArgument(field: "job", value: id,
                                                    allowed: "an ID written by --emit-jobs for the same network, points, candidates and options")
        }
        return ComparisonJob(hardware: hardware, scale: scale)
    }

    /// Measures `job`: the whole design's synthesis and its clock.
    public func run(_ job: ComparisonJob) throws {
        let core = try job.hardware.core()
        _ = try cache.synthesis(core, target: options.target)
        _ = try clocking.clock(job.hardware, from: job.scale, run: true)
    }

    /// Runs every pending job, `jobs` at a time, until none is left, calling
    /// `progress` with the jobs done and the total of the current wave; then
    /// returns the rows.
    public func runAll(jobs: Int, progress: @escaping @Sendable (Int, Int, String) -> Void = { _, _, _ in }) throws -> [ComparisonRow] {
        while true {
            let pending = try pendingJobs()
            if pending.isEmpty { break }
            let done = Locked(0)
            try runConcurrently(pending, jobs: jobs, name: { (try? $0.id) ?? "job" }) { job in
                try run(job)
                let count = done.withLock { count in
                    count += 1
                    return count
                }
                progress(count, pending.count, (try? job.id) ?? "job")
            }
        }
        return try rows()
    }

    /// The rows, from measurements already made; throws when one is missing.
    public func rows() throws -> [ComparisonRow] {
        try points.map { point in
            let (pqa, baseline) = try kept(point)
            let scale = max(pqa.clock?.scale ?? 1, baseline.clock?.scale ?? 1)
            func atScale(_ design: ComparedDesign, beside other: String) throws -> ComparedDesign {
                guard let clock = design.clock, clock.scale < scale else { return design }
                switch try clocking.clock(design.hardware, from: scale, run: false) {
                case .found(let matched): return design.clocked(matched.because("timed at 1/\(scale) of its lanes, as the \(other) design it is compared with"))
                case .missing: throw missing(design.hardware)
                case .impossible(let reason): return design.clocked(clock.because("could not be timed at 1/\(scale) like the \(other) design: \(reason)"))
                }
            }
            return ComparisonRow(number: point.number, ls: point.ls, np: point.np, activationBits: point.activationBits, entryBits: point.entryBits,
                                 rankedBy: options.rankBy, pqa: try atScale(pqa, beside: "baseline"), baseline: try atScale(baseline, beside: "PQA"),
                                 candidates: try measured(point))
        }
    }

    /// Every candidate of `point`, measured, each at its own clock.
    func measured(_ point: ComparisonPoint) throws -> [ComparedDesign] {
        try candidates(point).map { hardware in
            guard let synthesis = try cache.cachedSynthesis(try hardware.core(), target: options.target) else { throw missing(hardware) }
            let cycles = try hardware.cycles(point.layers, schedule: options.schedule)
            var clock: DesignClock?, problem: String?
            switch try clocking.clock(hardware, from: options.minimumScale, run: false) {
            case .found(let found): clock = found
            case .missing: throw missing(hardware)
            case .impossible(let reason): problem = reason
            }
            return ComparedDesign(hardware: hardware, target: options.target, resources: synthesis.resources, synthesisTool: synthesis.tool,
                                  synthesisSeconds: synthesis.seconds, cycles: cycles.totalCycles, computeCycles: cycles.computeCycles,
                                  clock: clock, clockProblem: problem)
        }
    }

    /// Each side's candidate with the best performance per area at its own clock.
    func kept(_ point: ComparisonPoint) throws -> (pqa: ComparedDesign, baseline: ComparedDesign) {
        let all = try measured(point)
        func best(_ pqa: Bool) throws -> ComparedDesign {
            let side = all.filter { $0.hardware.isPQA == pqa }
            guard let top = side.filter({ $0.clock != nil }).max(by: {
                ($0.performancePerArea(options.rankBy) ?? 0) < ($1.performancePerArea(options.rankBy) ?? 0)
            }) else {
                throw PQAInterfaceError.invalidArgument(
                    field: "candidates", value: "\(pqa ? "PQA" : "baseline") at \(point.name)",
                    allowed: "at least one that can be timed; none could: " + side.compactMap(\.clockProblem).joined(separator: "; "))
            }
            return top
        }
        return (try best(true), try best(false))
    }

    private func missing(_ hardware: ComparisonHardware) -> Error {
        PQAInterfaceError.invalidArgument(field: "measurement", value: "\(hardware.moduleName) \(hardware.parallelism)",
                                          allowed: "measured first: run the comparison without --job, or its --emit-jobs jobs, to completion")
    }

    /// The PQA design for `layers`: their largest sizes, the given parallelism
    /// (clipped), unsigned activations and prototypes, signed entries, the comparison pipelining (`Pipelining.comparison`).
    static func pqaConfiguration(_ layers: [NetworkLayer], parallelism p: PQAConfiguration.Parallelism, bits: (activation: Int, entry: Int),
                                 metric: DistanceMetric, encoder: EncoderKind = .distance) throws -> PQAConfiguration {
        let maxima = PQAConfiguration.Maxima(ls: layers.map(\.shape.ls).max() ?? 1, np: layers.map(\.shape.np).max() ?? 1,
                                             ns: layers.map(\.shape.ns).max() ?? 1, cout: layers.map(\.shape.cout).max() ?? 1,
                                             columns: layers.map(\.columns).max() ?? 1)
        let configuration = PQAConfiguration(
            maxima: maxima,
            parallelism: .init(lsVec: min(p.lsVec, maxima.ls), npVec: min(p.npVec, maxima.np), nsVec: min(p.nsVec, maxima.ns),
                               outVec: min(p.outVec, maxima.cout)),
            formats: LayerFormats(activation: try .unsigned(bits.activation), prototype: try .unsigned(bits.activation),
                                  entry: try .signed(bits.entry), bias: try .signed(16), output: try .signed(8)),
            multiplierBits: 8, maxShift: 24, metric: metric, encoder: encoder, pipelining: .comparison)
        try configuration.validate()
        return configuration
    }

    /// The baseline at equal widths: the same activations, weights as wide as the table entries, the same adder spacing.
    static func baselineConfiguration(_ layers: [NetworkLayer], parallelism: MACArrayConfiguration.Parallelism,
                                      bits: (activation: Int, entry: Int), multipliers: MACArrayConfiguration.Multipliers) throws -> MACArrayConfiguration {
        let d = layers.map(\.shape.inputLength).max() ?? 1, cout = layers.map(\.shape.cout).max() ?? 1
        let configuration = MACArrayConfiguration(
            maxima: .init(d: d, cout: cout, columns: layers.map(\.columns).max() ?? 1),
            parallelism: .init(inVec: min(parallelism.inVec, d), outVec: min(parallelism.outVec, cout)),
            formats: LinearFormats(activation: try .unsigned(bits.activation), weight: try .signed(bits.entry), bias: try .signed(16),
                                   output: try .signed(8)),
            multiplierBits: 8, maxShift: 24, adderLevelsPerStage: PQAConfiguration.Pipelining.comparison.adderLevelsPerStage,
            multipliers: multipliers)
        try configuration.validate()
        return configuration
    }
}

extension ClockSearch {
    var isMissing: Bool { if case .missing = self { true } else { false } }
}
