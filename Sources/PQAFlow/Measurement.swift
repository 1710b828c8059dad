import Foundation
import HDL
import HDLSim

/// What synthesis (and, when asked, place and route) measured of one design.
public struct Measurement: Codable, Sendable {
    public let synthesis: SynthesisReport
    /// Place and route on a Lattice device, for Fmax; nil when not asked or
    /// when the design does not fit the device.
    public let placeAndRoute: PlaceAndRouteReport?
    /// Why place and route has no result: the design does not fit the device.
    public let placeAndRouteProblem: String?
    /// Fmax from place and route, in MHz.
    public var fmaxMHz: Double? { placeAndRoute?.fmaxMHz }
}

/// How a design is placed and routed for its Fmax.
public struct PlaceAndRouteOptions: Codable, Sendable, Hashable {
    public var device: PlaceAndRouteDevice
    /// ECP5 speed grade: 6 (nextpnr's default), 7 or 8.
    public var speedGrade: Int
    /// nextpnr's placement seed.
    public var seed: Int
    /// The clock nextpnr aims at, in MHz (Fmax is reported whatever it is).
    public var targetMHz: Double
    /// The largest share (0...1) of the device's logic, flip-flops or
    /// LUT-RAM a packed design may fill to be placed (block RAM and DSP
    /// blocks need only fit); nil: any design that fits.
    public var maxUtilization: Double?
    /// Seconds nextpnr may run before it is stopped (nil: no limit); not
    /// part of a result's cache key, and a stopped run is not stored.
    public var timeLimit: Double?

    /// Options as given; `PlaceAndRoute` checks them when it runs.
    public init(device: PlaceAndRouteDevice, speedGrade: Int = 6, seed: Int = 1, targetMHz: Double = 100, maxUtilization: Double? = nil,
                timeLimit: Double? = nil) {
        self.device = device
        self.speedGrade = speedGrade
        self.seed = seed
        self.targetMHz = targetMHz
        self.maxUtilization = maxUtilization
        self.timeLimit = timeLimit
    }
}

/// Place and route of one design: its report, or why there is none (it does
/// not fit the device, or fills more of it than the limit asked for).
public struct PlaceAndRouteOutcome: Codable, Sendable {
    public let report: PlaceAndRouteReport?
    public let problem: FlowError?
}

/// Measures designs once: synthesis results and place-and-route results are
/// stored in a folder under a hash of what they depend on (the design's
/// Verilog, the target or the device, speed grade, seed and target clock,
/// the synthesis script, the area weights and the tools' versions), so a run interrupted and
/// started again does not redo finished designs, two runs share what they
/// have in common, and jobs on other machines (a Slurm array) fill one
/// folder that a last run reads.
///
/// ```
/// directory/synthesis/<top>-<hash>.json   SynthesisReport
/// directory/pnr/<top>_pins-<hash>.json    PlaceAndRouteOutcome
/// ```
public struct MeasurementCache: Sendable {
    public let directory: URL
    public let yosys: String
    public let nextpnr: String?

    /// A cache in `directory` (created when first written).
    public init(directory: URL, yosys: String = SynthesisTool.preferredYosys, nextpnr: String? = nil) {
        self.directory = directory
        self.yosys = yosys
        self.nextpnr = nextpnr
    }

    /// The measurement of `core` synthesized for `target` and, with `device`,
    /// placed and routed for Fmax; from the cache when it is there.
    public func measure(_ core: some HardwareModule, target: SynthesisTarget, device: PlaceAndRouteDevice? = nil,
                        targetMHz: Double = 100) throws -> Measurement {
        let synthesis = try self.synthesis(core, target: target)
        guard let device else { return Measurement(synthesis: synthesis, placeAndRoute: nil, placeAndRouteProblem: nil) }
        let outcome = try placeAndRoute(core, PlaceAndRouteOptions(device: device, targetMHz: targetMHz))
        return Measurement(synthesis: synthesis, placeAndRoute: outcome.report, placeAndRouteProblem: outcome.problem.map { "\($0)" })
    }

    /// The synthesis of `core` for `target`, from the cache or run now.
    public func synthesis(_ core: some HardwareModule, target: SynthesisTarget) throws -> SynthesisReport {
        let (files, entry) = try synthesisEntry(core, target: target)
        if let cached = read(SynthesisReport.self, at: entry) { return cached }
        let report = try Synthesis.run(files, target: target, yosys: yosys)
        try write(report, to: entry)
        return report
    }

    /// The cached synthesis of `core` for `target`, without running anything.
    public func cachedSynthesis(_ core: some HardwareModule, target: SynthesisTarget) throws -> SynthesisReport? {
        read(SynthesisReport.self, at: try synthesisEntry(core, target: target).entry)
    }

    /// `core` placed and routed per `options`, from the cache or run now.
    /// A stored result is judged again against `options.maxUtilization`, so
    /// a limit changed between runs redoes only the designs it lets through.
    public func placeAndRoute(_ core: some HardwareModule, _ options: PlaceAndRouteOptions) throws -> PlaceAndRouteOutcome {
        let (files, entry) = try placeAndRouteEntry(core, options)
        if let cached = read(PlaceAndRouteOutcome.self, at: entry), let judged = Self.judge(cached, options) { return judged }
        let outcome: PlaceAndRouteOutcome
        do {
            let report = try PlaceAndRoute.run(files, device: options.device, targetMHz: options.targetMHz, speed: options.speedGrade,
                                               yosys: yosys, nextpnr: nextpnr, seed: options.seed, maxUtilization: options.maxUtilization,
                                               timeLimit: options.timeLimit)
            outcome = PlaceAndRouteOutcome(report: report, problem: nil)
        } catch let error as FlowError {
            switch error {
            case .doesNotFit, .placementFailed, .exceedsUtilizationLimit: outcome = PlaceAndRouteOutcome(report: nil, problem: error)
            case .unsupported, .placeAndRouteTimedOut: throw error
            }
        }
        try write(outcome, to: entry)
        return outcome
    }

    /// The cached place and route of `core` per `options`, judged against its
    /// limit, without running anything; nil when it would have to run.
    public func cachedPlaceAndRoute(_ core: some HardwareModule, _ options: PlaceAndRouteOptions) throws -> PlaceAndRouteOutcome? {
        read(PlaceAndRouteOutcome.self, at: try placeAndRouteEntry(core, options).entry).flatMap { Self.judge($0, options) }
    }

    /// A stored outcome as `options` see it, or nil when it must run again
    /// (it was held back by a lower utilization limit than `options` set).
    static func judge(_ outcome: PlaceAndRouteOutcome, _ options: PlaceAndRouteOptions) -> PlaceAndRouteOutcome? {
        if let report = outcome.report {
            guard let limit = options.maxUtilization,
                  let problem = PlaceAndRoute.utilizationProblem(report.utilization, device: options.device, limit: limit) else { return outcome }
            return PlaceAndRouteOutcome(report: nil, problem: problem)
        }
        guard case .exceedsUtilizationLimit(let device, let resource, let used, let available, _) = outcome.problem else { return outcome }
        guard let limit = options.maxUtilization, PlaceAndRoute.logicCells(options.device).contains(resource),
              Double(used) > limit * Double(available) else { return nil }
        return PlaceAndRouteOutcome(report: nil, problem: .exceedsUtilizationLimit(device: device, resource: resource, used: used,
                                                                                   available: available, limit: limit))
    }

    /// The design's files as synthesis reads them, and where its result is stored.
    func synthesisEntry(_ core: some HardwareModule, target: SynthesisTarget) throws -> (files: DesignFiles, entry: URL) {
        let files = DesignFiles(top: try core.elaborate(), options: VerilogOptions(sourceComments: false))
        var hash = Self.hash(files)
        hash.add(target.family.readVerilog)
        hash.add(target.command(top: files.topName))
        hash.add(AreaWeights.standard(for: target).summary)
        hash.add(try ToolVersions.yosys(yosys))
        return (files, directory.appendingPathComponent("synthesis/\(files.topName)-\(hash.hex).json"))
    }

    /// The wrapped design's files as place and route reads them, and where
    /// its outcome is stored; `maxUtilization` is not part of the key (a
    /// stored outcome is judged against it, see `judge(_:_:)`).
    func placeAndRouteEntry(_ core: some HardwareModule, _ options: PlaceAndRouteOptions) throws -> (files: DesignFiles, entry: URL) {
        let files = DesignFiles(top: try SmallPinWrapper(core).elaborate(), options: VerilogOptions(sourceComments: false))
        var hash = Self.hash(files)
        hash.add(options.device.target.family.readVerilog)
        hash.add(options.device.target.command(top: files.topName))
        hash.add(options.device.nextpnrArguments(speed: options.speedGrade).joined(separator: " "))
        hash.add("seed \(options.seed), target \(options.targetMHz) MHz")
        hash.add(try ToolVersions.yosys(yosys))
        hash.add(try ToolVersions.nextpnr(PlaceAndRoute.nextpnrTool(nextpnr, device: options.device)))
        return (files, directory.appendingPathComponent("pnr/\(files.topName)-\(hash.hex).json"))
    }

    private static func hash(_ files: DesignFiles) -> ContentHash {
        var hash = ContentHash()
        for (name, contents) in files.files {
            hash.add(name)
            hash.add(contents)
        }
        return hash
    }

    private func read<Value: Decodable>(_ type: Value.Type, at url: URL) -> Value? {
        (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(type, from: $0) }
    }

    private func write(_ value: some Encodable, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(value), to: url)
    }
}

/// The versions of the tools that ran, asked once per binary and process:
/// part of every cache key and named in every report.
public enum ToolVersions {
    private static let known = Locked<[String: String]>([:])

    /// `Yosys 0.70 (git sha1 28ba3cb92)` for the binary `yosys`.
    public static func yosys(_ yosys: String) throws -> String {
        try version(of: "yosys \(yosys)") { try SynthesisTool.yosysVersion(yosys, in: FileManager.default.temporaryDirectory) }
    }

    /// `nextpnr-0.11.1` for the binary `nextpnr`.
    public static func nextpnr(_ nextpnr: String) throws -> String {
        try version(of: "nextpnr \(nextpnr)") { try PlaceAndRoute.nextpnrVersion(nextpnr) }
    }

    private static func version(of key: String, _ ask: () throws -> String) throws -> String {
        if let version = known.withLock({ $0[key] }) { return version }
        let version = try ask()
        known.withLock { $0[key] = version }
        return version
    }
}

/// Writes `data` to a temporary file beside `url`, then renames it over
/// `url` (atomic on POSIX): readers see the old file or the new one, never
/// half of one, and concurrent writers of the same result do not fail.
func writeAtomically(_ data: Data, to url: URL) throws {
    let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
    try data.write(to: partial)
    guard rename(partial.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: partial)
        throw OutputError(path: url.path, reason: reason)
    }
}
