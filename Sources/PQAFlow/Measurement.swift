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

/// Measures designs once: results are stored in a folder under a hash of
/// the design's Verilog, the target, the device and the tools' paths and
/// versions, so a sweep
/// interrupted and started again does not redo finished designs, and two
/// sweeps share what they have in common.
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
        let files = DesignFiles(top: try core.elaborate())
        var hash = ContentHash()
        for (name, contents) in files.files { hash.add(name); hash.add(contents) }
        hash.add(target.rawValue)
        hash.add(device?.rawValue ?? "no place and route")
        hash.add("\(targetMHz)")
        hash.add(try toolIdentity(yosys, "-V"))
        if let device { hash.add(try toolIdentity(nextpnr ?? device.nextpnrCandidates.first(where: { ExternalTool.locate($0) != nil }) ?? "", "--version")) }
        let entry = directory.appendingPathComponent("\(files.topName)-\(hash.hex).json")
        if let data = try? Data(contentsOf: entry), let cached = try? JSONDecoder().decode(Measurement.self, from: data) {
            return cached
        }
        let synthesis = try Synthesis.run(files, target: target, yosys: yosys)
        var placed: PlaceAndRouteReport?, problem: String?
        if let device {
            do {
                placed = try PlaceAndRoute.run(core, device: device, targetMHz: targetMHz, yosys: yosys, nextpnr: nextpnr)
            } catch let error as FlowError {
                problem = "\(error)"
            }
        }
        let measurement = Measurement(synthesis: synthesis, placeAndRoute: placed, placeAndRouteProblem: problem)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(measurement), to: entry)
        return measurement
    }
}

/// A tool's resolved path and the version it prints, for cache keys.
private func toolIdentity(_ tool: String, _ versionFlag: String) throws -> String {
    guard let path = ExternalTool.locate(tool) else { throw ToolError.missing(tool: tool) }
    let version = try ExternalTool.run(path, [versionFlag], in: FileManager.default.temporaryDirectory)
    return path + " " + version.trimmingCharacters(in: .whitespacesAndNewlines)
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
