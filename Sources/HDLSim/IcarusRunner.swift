import Foundation
import HDL

/// Replays recorded runs on Icarus Verilog and reads back what it observed.
public enum IcarusRunner {
    /// The outputs Icarus saw in each cycle. Icarus is four-state: bits it
    /// reports as `x` or `z` (a register or memory word not yet loaded, where
    /// the two-state engines show 0) are unknown, and agree with any value.
    public struct Replay: Sendable {
        /// Per cycle, per output: the value, with unknown bits read as 0.
        public let observed: [[BitVector]]
        /// Per cycle, per output: which bits were known.
        public let known: [[BitVector]]
        /// The folder holding the design, testbench, vectors and (on request) the waveform.
        public let directory: URL
        /// The testbench's closing line, `N passed, M failed`.
        public let summary: String
    }

    /// A family's form of the design: the macro that selects its primitives
    /// and the simulation models of those primitives.
    public struct Primitives: Sendable {
        public let define: String
        public let models: [URL]
        public init(define: String, models: [URL]) {
            self.define = define
            self.models = models
        }
    }

    /// Writes the design and a testbench replaying `run` into `directory`,
    /// compiles with `iverilog -g2005` and runs `vvp`. With `waveform`, also
    /// dumps `waveform.vcd` there; with `primitives`, simulates the design's
    /// form for that family (its block RAM primitives) with their models.
    public static func replay(_ run: RecordedRun, design netlist: Netlist, in directory: URL,
                              waveform: Bool = false, primitives: Primitives? = nil) throws -> Replay {
        let design = DesignFiles(top: netlist)
        let bench = VerilogTestbench(for: netlist, replaying: run)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for file in design.files + bench.files {
            try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name))
        }
        var arguments = ["-g2005", "-Wall", "-o", "simulation", "-s", bench.name]
        if waveform { arguments.append("-DDUMP") }
        if let primitives { arguments += ["-D\(primitives.define)"] + primitives.models.map(\.path) }
        try ExternalTool.run("iverilog", arguments + design.verilogFiles + ["\(bench.name).v"], in: directory)
        let output = try ExternalTool.run("vvp", ["-n", "simulation"], in: directory)
        let summary = output.split(separator: "\n").last { $0.contains("passed,") }.map(String.init) ?? ""
        let text = try String(contentsOf: directory.appendingPathComponent(VerilogTestbench.observedFile), encoding: .utf8)
        let widths = run.outputNames.map { netlist.port(named: $0)?.type.width ?? 1 }
        let total = widths.reduce(0, +)
        var observed: [[BitVector]] = [], known: [[BitVector]] = []
        for line in text.split(separator: "\n") {
            let (value, mask) = parseFourState(String(line), width: total)
            var high = total - 1
            var values: [BitVector] = [], masks: [BitVector] = []
            for width in widths {
                values.append(value.slice(high: high, low: high - width + 1))
                masks.append(mask.slice(high: high, low: high - width + 1))
                high -= width
            }
            observed.append(values)
            known.append(masks)
        }
        return Replay(observed: observed, known: known, directory: directory, summary: summary)
    }

    /// Reads `%h` output: hex digits, with `x`/`z` (any case) for unknown ones.
    static func parseFourState(_ text: String, width: Int) -> (value: BitVector, known: BitVector) {
        var valueDigits = "", maskDigits = ""
        for character in text {
            if character.hexDigitValue != nil {
                valueDigits.append(character)
                maskDigits.append("f")
            } else {
                valueDigits.append("0")
                maskDigits.append("0")
            }
        }
        let padding = max(0, (width + 3) / 4 - valueDigits.count)
        let value = BitVector(width: width + 4, hex: String(repeating: "0", count: padding) + valueDigits) ?? .zero(width: width + 4)
        let mask = BitVector(width: width + 4, hex: String(repeating: "0", count: padding) + maskDigits) ?? .zero(width: width + 4)
        return (value.truncated(to: width), mask.truncated(to: width))
    }
}

extension IcarusRunner.Replay {
    /// The first cycle from `run.firstCheckedCycle` on where a known bit
    /// differs from the recorded outputs, with the differing ports.
    public func firstMismatch(against run: RecordedRun) -> (cycle: Int, ports: [(name: String, expected: BitVector, observed: BitVector)])? {
        if observed.count != run.cycles {
            return (min(observed.count, run.cycles), [])
        }
        for cycle in run.firstCheckedCycle..<run.cycles {
            var differing: [(String, BitVector, BitVector)] = []
            for (index, name) in run.outputNames.enumerated() {
                let expected = run.outputs[cycle][index], seen = observed[cycle][index], mask = known[cycle][index]
                if !expected.xor(seen).and(mask).isZero { differing.append((name, expected, seen)) }
            }
            if !differing.isEmpty { return (cycle, differing) }
        }
        return nil
    }
}
