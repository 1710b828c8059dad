import ArgumentParser
import Foundation
import HDLSim
import PQ
import PQA

/// `pqa cosim`: runs random layers through the accelerator on the engines and
/// checks every output against the golden model.
struct Cosim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Co-simulate the accelerator against the golden model: bit-exact yes/no, measured cycles, the bound, their ratio.")

    @Option(name: .long, help: "Accelerator configuration (JSON); the built-in default without it.")
    var config: String?

    @Option(name: .long, help: "Co-simulate the MAC-array baseline instead, against the exact integer product: its configuration (JSON), or 'default'.")
    var baseline: String?

    @Option(name: .long, help: "interpreter, verilator, icarus or all (the installed ones).")
    var engine = "all"

    @Option(name: .long, help: "Seed of the random layers, data and traffic.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Columns per layer.")
    var columns = 16

    @Option(name: .long, help: "Layers run back to back (the first has the largest shape, the others random shapes).")
    var layers = 2

    @Option(name: .long, help: "Chance per cycle that an input beat is offered and that the output is ready (1 = full rate).")
    var rate = 1.0

    func validate() throws {
        if config != nil && baseline != nil { throw ValidationError("give --config or --baseline, not both") }
        guard columns >= 1 else { throw ValidationError("--columns must be at least 1, got \(columns)") }
        guard layers >= 1 else { throw ValidationError("--layers must be at least 1, got \(layers)") }
        guard rate > 0 && rate <= 1 else { throw ValidationError("--rate must be in (0, 1], got \(rate)") }
        guard engine == "all" || Engine(rawValue: engine) != nil else {
            throw ValidationError("unknown engine '\(engine)'; choose all, \(Engine.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let configuration = try config.map { try PQAConfiguration.read(from: URL(fileURLWithPath: $0)) } ?? .default
        // Icarus replays a recording, so it needs the interpreter to make one.
        let chosen = Engine(rawValue: engine)
        let engines = engine == "all" ? Engine.installed : (chosen == .icarus ? [.interpreter, .icarus] : [chosen ?? .interpreter])
        for engine in engines { if let tool = engine.tool, ExternalTool.locate(tool) == nil { throw ToolError.missing(tool: tool) } }
        let traffic = CoSimulation.Traffic(inputProbability: rate, outputProbability: rate)
        if let baseline {
            let summary = try CoSimulationSummary.run(MACArrayGenerator.configuration(baseline), layers: layers, columns: columns,
                                                      seed: seed, traffic: traffic, engines: engines)
            print(summary.text)
            if !summary.bitExact { throw ExitCode(1) }
            return
        }
        guard columns <= configuration.maxima.columns else {
            throw CommandFailure("--columns \(columns) exceeds the design's maxima.columns (\(configuration.maxima.columns))")
        }
        let summary = try CoSimulationSummary.run(configuration, layers: layers, columns: columns, seed: seed,
                                                  traffic: traffic, engines: engines)
        print(summary.text)
        if !summary.bitExact { throw ExitCode(1) }
    }
}

/// A co-simulation run and its one-screen report, shared by `cosim` and `run`.
struct CoSimulationSummary {
    let text: String
    let bitExact: Bool

    static func run(_ configuration: PQAConfiguration, layers count: Int, columns: Int, seed: UInt64,
                    traffic: CoSimulation.Traffic, engines: [Engine]) throws -> CoSimulationSummary {
        let start = Date()
        let cosim = try CoSimulation(configuration)
        var random = RandomLayer(seed: seed)
        var layers: [CoSimulationLayer] = []
        for index in 0..<count {
            let maxima = configuration.maxima
            let shape = index == 0 ? try PQShape(ls: maxima.ls, np: maxima.np, ns: maxima.ns, cout: maxima.cout)
                                   : try random.shape(within: maxima)
            let layer = try random.layer(shape, for: configuration)
            layers.append(try CoSimulationLayer(layer, columns: random.columns(columns, shape: shape, format: configuration.formats.activation),
                                                parameters: cosim.parameters))
        }
        let report = try cosim.run(layers, traffic: traffic, seed: seed, engines: engines)
        let model = CycleModel(cosim.parameters)
        var lines = ["design       pqa_core, \(cosim.netlist.nodes.count) netlist nodes",
                     "engines      " + report.harness.results.map { "\($0.engine.rawValue) (\(String(format: "%.1f", $0.seconds)) s)" }.joined(separator: ", ")]
        for (index, (layer, timing)) in zip(layers, report.timings).enumerated() {
            let s = layer.layer.shape
            let predicted = model.cycles(s, columns: layer.columns.count)
            lines.append("layer \(index + 1)      Ls \(s.ls) Np \(s.np) Ns \(s.ns) Cout \(s.cout), \(layer.columns.count) columns: "
                         + "measured \(timing.measured) cycles, bound \(timing.bound), ratio \(String(format: "%.3f", Double(timing.measured) / Double(timing.bound))), "
                         + (traffic.inputProbability == 1 && traffic.outputProbability == 1 ? "model \(predicted)" : "model n/a (gaps)"))
        }
        lines.append("bit-exact    \(report.bitExact ? "yes" : "NO: \(report.harness.failure?.description ?? "")")")
        lines.append(String(format: "total        %.1f s (seed %llu)", Date().timeIntervalSince(start), seed))
        return CoSimulationSummary(text: lines.joined(separator: "\n"), bitExact: report.bitExact)
    }

    /// The same for the MAC-array baseline, checked against the exact integer product.
    static func run(_ configuration: MACArrayConfiguration, layers count: Int, columns: Int, seed: UInt64,
                    traffic: CoSimulation.Traffic, engines: [Engine]) throws -> CoSimulationSummary {
        let start = Date()
        guard columns <= configuration.maxima.columns else {
            throw CommandFailure("--columns \(columns) exceeds the baseline's maxima.columns (\(configuration.maxima.columns))")
        }
        let cosim = try MACArrayCoSimulation(configuration)
        var random = RandomLayer(seed: seed)
        var layers: [MACArrayCoSimulation.Layer] = []
        for index in 0..<count {
            let maxima = configuration.maxima
            let d = index == 0 ? maxima.d : random.integer(in: 1...maxima.d)
            let cout = index == 0 ? maxima.cout : random.integer(in: 1...maxima.cout)
            layers.append(try MACArrayCoSimulation.Layer(random.linearLayer(d: d, cout: cout, for: configuration),
                                                         columns: random.columns(columns, d: d, format: configuration.formats.activation),
                                                         parameters: cosim.parameters))
        }
        let report = try cosim.run(layers, traffic: traffic, seed: seed, engines: engines)
        let model = MACArrayCycleModel(cosim.parameters)
        var lines = ["design       mac_array_core, \(cosim.netlist.nodes.count) netlist nodes",
                     "engines      " + report.harness.results.map { "\($0.engine.rawValue) (\(String(format: "%.1f", $0.seconds)) s)" }.joined(separator: ", ")]
        for (index, (layer, timing)) in zip(layers, report.timings).enumerated() {
            let predicted = model.cycles(d: layer.layer.d, cout: layer.layer.cout, columns: layer.columns.count)
            lines.append("layer \(index + 1)      D \(layer.layer.d) Cout \(layer.layer.cout), \(layer.columns.count) columns: "
                         + "measured \(timing.measured) cycles, bound \(timing.bound), ratio \(String(format: "%.3f", Double(timing.measured) / Double(timing.bound))), "
                         + (traffic.inputProbability == 1 && traffic.outputProbability == 1 ? "model \(predicted)" : "model n/a (gaps)"))
        }
        lines.append("bit-exact    \(report.bitExact ? "yes" : "NO: \(report.harness.failure?.description ?? "")")")
        lines.append(String(format: "total        %.1f s (seed %llu)", Date().timeIntervalSince(start), seed))
        return CoSimulationSummary(text: lines.joined(separator: "\n"), bitExact: report.bitExact)
    }
}
