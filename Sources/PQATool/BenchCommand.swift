import ArgumentParser
import Foundation
import HDL
import HDLSim
import PQCommands

/// `pqa bench`: the toolkit's speed and accuracy figures.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the toolkit's speed and accuracy figures (build with -c release for real ones).",
        subcommands: [HDLBench.self, PQBenchCommand.self, PQABench.self, NPYBenchCommand.self],
        defaultSubcommand: HDLBench.self)
}

/// `pqa bench hdl`: elaboration, emission, Verilator builds and simulation speed.
struct HDLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hdl",
        abstract: "Measure elaboration, emission, Verilator builds and simulation speed.")

    @Option(name: .long, help: "Simulated cycles per design and engine.")
    var cycles = 200_000

    func validate() throws {
        guard cycles >= 1000 else { throw ValidationError("--cycles must be at least 1000 for a meaningful rate, got \(cycles)") }
    }

    func run() throws {
        #if DEBUG
        print("note: this is a debug build; run `swift run -c release pqa bench` for representative figures")
        #endif
        let argmin = ArgminTree(inputs: 64, width: 16, signed: false, levelsPerStage: 2)
        let fifo = StreamFIFO()
        let argminNetlist = try argmin.elaborate(), fifoNetlist = try fifo.elaborate()
        let elaborate = try secondsPerRun(repetitions: 20) { _ = try argmin.elaborate() }
        let emit = try secondsPerRun(repetitions: 20) { _ = DesignFiles(top: argminNetlist) }
        print(String(format: "argmin tree 64 x 16 bits: elaborate %.2f ms, emit Verilog %.2f ms", elaborate * 1e3, emit * 1e3))

        var interpreterRates: [String: Double] = [:]
        for (name, netlist) in [("fifo", fifoNetlist), ("argmin", argminNetlist)] {
            let rate = try interpreterRate(netlist)
            interpreterRates[name] = rate
            print(String(format: "interpreter, %@: %.0f cycles/s", name, rate))
        }
        guard ExternalTool.locate("verilator") != nil else {
            print("verilator not installed: run scripts/setup.sh for the Verilator figures")
            return
        }
        // Builds in an empty cache of their own, so "cold" is really cold.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-bench-cache-\(UUID().uuidString)")
        setenv("PQA_CACHE_DIR", cache.path, 1)
        defer { try? FileManager.default.removeItem(at: cache) }
        let (cold, argminModel) = try timed { try VerilatorSimulator(argminNetlist) }
        let (warm, fifoModel) = try timed { try VerilatorSimulator(fifoNetlist) }
        let (cached, _) = try timed { try VerilatorSimulator(argminNetlist) }
        print(String(format: "verilator build: cold %.1f s (%@), runtime cached %.1f s (%@), fully cached %.3f s",
                     cold, argminModel.buildOutcome.rawValue, warm, fifoModel.buildOutcome.rawValue, cached))
        for (name, model) in [("fifo", fifoModel), ("argmin", argminModel)] {
            let (swiftRate, nativeRate) = try verilatorRates(model)
            print(String(format: "verilator, %@: %.0f cycles/s driven from Swift, %.0f in the C++ loop (%.0f%%); interpreter at %.1f%% of Verilator",
                         name, swiftRate, nativeRate, 100 * swiftRate / nativeRate, 100 * (interpreterRates[name] ?? 0) / swiftRate))
        }
    }

    private func interpreterRate(_ netlist: Netlist) throws -> Double {
        let sim = Interpreter(netlist)
        var random = SeededGenerator(seed: 1)
        let inputs = netlist.inputs
        let values = (0..<64).map { _ in inputs.map { random.bits(width: $0.type.width) } }
        sim.reset(cycles: 1)
        let count = cycles / 4
        let start = Date()
        for cycle in 0..<count {
            for (port, value) in zip(inputs, values[cycle % values.count]) { try sim.poke(port.name, value) }
            for port in netlist.outputs { _ = try sim.peek(port.name) }
            sim.step()
        }
        return Double(count) / Date().timeIntervalSince(start)
    }

    /// The same loop driven from Swift and run in C++ inside the library:
    /// every input poked from pre-drawn values, every output read, one step.
    private func verilatorRates(_ model: VerilatorSimulator) throws -> (swift: Double, native: Double) {
        let netlist = model.netlist
        let inputs = try ((netlist.usesReset ? ["rst"] : []) + netlist.inputs.map(\.name)).map { try model.handle($0) }
        let outputs = try netlist.outputs.map { try model.handle($0.name) }
        var random = SeededGenerator(seed: 1)
        let values = (0..<64).map { row in
            inputs.enumerated().map { index, port in
                // Keep reset low except rarely, so the design does real work.
                index == 0 && netlist.usesReset ? (row == 0 ? 1 : 0) : random.next() & (port.width >= 64 ? ~0 : (1 << UInt64(port.width)) - 1)
            }
        }
        let inputGroup = try model.group((netlist.usesReset ? ["rst"] : []) + netlist.inputs.map(\.name))
        let outputGroup = try model.group(netlist.outputs.map(\.name))
        var checksum: UInt64 = 0
        let start = Date()
        for cycle in 0..<cycles {
            let row = values[cycle % values.count]
            for index in row.indices { inputGroup.values[index] = row[index] }
            model.poke(inputGroup)
            model.peek(outputGroup)
            for value in outputGroup.values { checksum &+= value }
            model.step(1)
        }
        let swiftSeconds = Date().timeIntervalSince(start)
        let nativeStart = Date()
        let nativeChecksum = model.runNativeLoop(cycles: cycles, inputs: inputs, outputs: outputs, values: values)
        let nativeSeconds = Date().timeIntervalSince(nativeStart)
        if checksum == nativeChecksum &+ 1 { print("") }  // keeps both loops' reads alive
        return (Double(cycles) / swiftSeconds, Double(cycles) / nativeSeconds)
    }

    private func timed<T>(_ body: () throws -> T) throws -> (Double, T) {
        let start = Date()
        let value = try body()
        return (Date().timeIntervalSince(start), value)
    }

    private func secondsPerRun(repetitions: Int, _ body: () throws -> Void) throws -> Double {
        try body()  // warm up
        let start = Date()
        for _ in 0..<repetitions { try body() }
        return Date().timeIntervalSince(start) / Double(repetitions)
    }
}
