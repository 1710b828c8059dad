import Foundation
import PQA

/// One measured point of a design-space exploration.
public struct ExplorationResult: Codable, Sendable, Hashable {
    public let id: String
    public let configuration: PQAConfiguration
    public let target: SynthesisTarget
    /// Synthesis resource counts and the area in LUT-equivalents.
    public let resources: [Resource: Int]
    public let area: Double
    /// Fmax from place and route when the space names a device.
    public let fmaxMHz: Double?
    /// Cycles of one inference of the network (loads overlapped) and its compute part.
    public let cycles: Int
    public let computeCycles: Int
}

/// A sweep of PQA configurations for one network: each point is generated,
/// synthesized (and placed and routed when asked), and its network cycles
/// computed. Points are stored one file each in `directory/points`, so a
/// sweep resumes where it stopped and points can run as separate processes
/// (`pqa explore --point ID`), for example as a Slurm job array.
public struct Exploration: Sendable {
    public let network: String
    public let layers: [NetworkLayer]
    public let space: ExplorationSpace
    public let directory: URL
    public let cache: MeasurementCache

    /// A sweep of `space` for `layers` of `network`, written to `directory`.
    public init(network: String, layers: [NetworkLayer], space: ExplorationSpace, directory: URL,
                yosys: String = SynthesisTool.preferredYosys, nextpnr: String? = nil) {
        self.network = network
        self.layers = layers
        self.space = space
        self.directory = directory
        cache = MeasurementCache(directory: directory.appendingPathComponent("cache"), yosys: yosys, nextpnr: nextpnr)
    }

    /// Every point: its ID and configuration, in a stable order.
    public func points() throws -> [(id: String, configuration: PQAConfiguration)] {
        try space.configurations(for: layers).map { (try space.pointID($0, network: network, layers: layers), $0) }
    }

    private func file(_ id: String) -> URL { directory.appendingPathComponent("points/\(id).json") }

    /// The stored result of point `id`, if it has finished.
    public func finished(_ id: String) -> ExplorationResult? {
        (try? Data(contentsOf: file(id))).flatMap { try? JSONDecoder().decode(ExplorationResult.self, from: $0) }
    }

    /// Measures point `id` (or returns its stored result) and stores it.
    @discardableResult
    public func run(point id: String) throws -> ExplorationResult {
        if let done = finished(id) { return done }
        guard let configuration = try points().first(where: { $0.id == id })?.configuration else {
            throw PQAConfigurationError.invalid(field: "point", value: id, rule: "is not a point of this space; list them with --emit-jobs")
        }
        let measurement = try cache.measure(PQACore(configuration), target: space.target, device: space.device)
        let cycles = NetworkCycleModel.pqa(layers, parameters: try PQAParameters(configuration))
        let result = ExplorationResult(
            id: id, configuration: configuration, target: space.target, resources: measurement.synthesis.resources,
            area: measurement.synthesis.area, fmaxMHz: measurement.fmaxMHz, cycles: cycles.totalCycles, computeCycles: cycles.computeCycles)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: file(id).deletingLastPathComponent(), withIntermediateDirectories: true)
        try writeAtomically(encoder.encode(result), to: file(id))
        return result
    }

    /// Runs every unfinished point, `jobs` at a time, calling `progress` with
    /// the points done, the total and the point just finished. Returns every
    /// result; throws the first failure after the others have finished.
    public func runAll(jobs: Int, progress: @escaping @Sendable (Int, Int, String) -> Void) throws -> [ExplorationResult] {
        let all = try points()
        let pending = all.filter { finished($0.id) == nil }.map(\.id)
        let done = Locked(all.count - pending.count)
        try runConcurrently(pending, jobs: jobs, name: { "point \($0)" }) { id in
            try run(point: id)
            progress(done.withLock { count in
                count += 1
                return count
            }, all.count, id)
        }
        return all.compactMap { finished($0.id) }
    }
}
