import ArgumentParser
import Foundation
import HDL

/// `pqa bench`: prints the speed figures of the toolkit.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure elaboration, emission and simulation speed (build with -c release for real figures).")

    @Option(name: .long, help: "Simulated cycles per design.")
    var cycles = 200_000

    func run() throws {
        #if DEBUG
        print("note: this is a debug build; run `swift run -c release pqa bench` for representative figures")
        #endif
        let argmin = ArgminTree(inputs: 64, width: 16, signed: false, levelsPerStage: 2)
        let emitted = try argmin.elaborate()
        let elaborate = try secondsPerRun(repetitions: 20) { _ = try argmin.elaborate() }
        let emit = try secondsPerRun(repetitions: 20) { _ = DesignFiles(top: emitted) }
        print(String(format: "argmin tree, 64 x 16 bits: elaborate %.2f ms, emit Verilog %.2f ms", elaborate * 1e3, emit * 1e3))
        for (name, module) in [("stream FIFO (depth 4, 8 bits)", StreamFIFO() as any HardwareModule),
                               ("argmin tree (64 x 16 bits)", argmin)] {
            let rate = try interpreterRate(try module.elaborate())
            print(String(format: "interpreter, %@: %.0f cycles/s", name, rate))
        }
    }

    private func interpreterRate(_ netlist: Netlist) throws -> Double {
        let sim = Interpreter(netlist)
        var random = SeededGenerator(seed: 1)
        let inputs = netlist.inputs
        // Pre-draw stimulus so the figure measures the simulator, not the generator.
        let values = (0..<64).map { _ in inputs.map { random.bits(width: $0.type.width) } }
        sim.reset(cycles: 1)
        let start = Date()
        for cycle in 0..<cycles {
            for (port, value) in zip(inputs, values[cycle % values.count]) { try sim.poke(port.name, value) }
            sim.step()
        }
        return Double(cycles) / Date().timeIntervalSince(start)
    }

    private func secondsPerRun(repetitions: Int, _ body: () throws -> Void) throws -> Double {
        try body()  // warm up
        let start = Date()
        for _ in 0..<repetitions { try body() }
        return Date().timeIntervalSince(start) / Double(repetitions)
    }
}
