import HDL
import PQ

/// A cocotb testbench of a loadable PQA design (`pqa testbench --cocotb`):
/// cocotbext-axi's AXI-Stream sources and sink drive the core through the
/// design's Python driver (`pqa_driver.py`), two layers back to back (the
/// second loading while the first computes), random input gaps and output
/// backpressure, every output checked against what the golden model wrote
/// into `vectors.json`. Runs on Icarus Verilog and Verilator (`make SIM=...`)
/// with the versions `pins` names.
public struct CocotbTestbench {
    /// The Python packages and versions the testbench is written for
    /// (scripts/setup.sh installs them): cocotb 1.8.1 is the last cocotb
    /// supporting Debian's Verilator 5.006 (cocotb 1.9 needs 5.022, 2.x 5.036).
    public static let pins = ["cocotb==1.8.1", "cocotbext-axi==0.1.24"]

    /// The testbench's files: `Makefile`, `test_TOP.py`, `vectors.json`.
    public let files: [(name: String, contents: String)]

    /// The testbench of `configuration`'s design, whose Verilog and driver
    /// are in `designDirectory` (relative to the testbench folder), running
    /// `layers` with their columns, stimulus timing from `seed`.
    public init(_ configuration: PQAConfiguration, layers: [(layer: IntegerPQLayer, columns: [[Int]])], designDirectory: String,
                verilogFiles: [String], seed: UInt64) throws {
        guard configuration.tableMode == .loadable else {
            throw PQAConfigurationError.invalid(field: "tableMode", value: "fixed",
                                                rule: "the cocotb testbench loads layers; generate a loadable configuration")
        }
        let parameters = try PQAParameters(configuration)
        var entries: [String] = []
        for (layer, columns) in layers {
            _ = try LayerProgram(layer, columns: columns.count, parameters: parameters)  // the layer fits the design
            let outputs = try layer.outputs(columns: Matrix(rowArrays: columns))
            let expected = (0..<columns.count).map { row in (0..<layer.shape.cout).map { outputs[row, $0] } }
            let s = layer.shape, r = layer.requantization
            func list(_ values: ArraySlice<Int>) -> String { "[" + values.map(String.init).joined(separator: ", ") + "]" }
            func rows(_ values: [Int], _ width: Int) -> String {
                "[" + stride(from: 0, to: values.count, by: width).map { list(values[$0..<($0 + width)]) }.joined(separator: ", ") + "]"
            }
            func cube(_ values: [Int], _ inner: Int) -> String {
                "[" + stride(from: 0, to: values.count, by: s.np * inner).map { rows(Array(values[$0..<($0 + s.np * inner)]), inner) }
                    .joined(separator: ",\n    ") + "]"
            }
            func matrix(_ values: [Int], _ width: Int) -> String {
                width == 0 ? "[" + Array(repeating: "[]", count: s.ns).joined(separator: ", ") + "]" : rows(values, width)
            }
            let encoder = layer.trees.map { trees in
                "\"splits\": \(matrix(trees.splits, trees.depth)),\n \"thresholds\": \(matrix(trees.thresholds, s.np - 1))"
            } ?? "\"prototypes\": \(cube(layer.prototypes.values, s.ls))"
            entries.append("""
                {"multiplier": \(r.multiplier), "shift": \(r.shift), "relu": \(r.relu ? "true" : "false"), "ls": \(s.ls),
                 \(encoder),
                 "table": \(cube(layer.table.values, s.cout)),
                 "bias": \(list(layer.bias[...])),
                 "columns": \(rows(columns.flatMap { $0 }, s.ns * s.ls)),
                 "expected": \(rows(expected.flatMap { $0 }, s.cout))}
                """)
        }
        let vectors = "{\"seed\": \(seed),\n \"layers\": [\n" + entries.joined(separator: ",\n") + "\n]}\n"
        let top = "pqa_core"
        files = [("Makefile", Self.makefile(top: top, designDirectory: designDirectory, verilogFiles: verilogFiles)),
                 ("test_\(top).py", CocotbTestbenchCode.test(top: top, designDirectory: designDirectory)),
                 ("vectors.json", vectors)]
    }

    /// The standard stimulus: a first layer of the design's largest Ls and
    /// Np (Ns up to 8, Cout up to 20) with 3 columns, then a random smaller
    /// layer with 2, all drawn from `seed`.
    public static func standard(_ configuration: PQAConfiguration, designDirectory: String, verilogFiles: [String],
                                seed: UInt64) throws -> CocotbTestbench {
        let maxima = configuration.maxima
        var random = RandomLayer(seed: seed)
        let first = try PQShape(ls: maxima.ls, np: maxima.np, ns: min(maxima.ns, 8), cout: min(maxima.cout, 20))
        let capped = PQAConfiguration.Maxima(ls: maxima.ls, np: maxima.np, ns: first.ns, cout: first.cout, columns: maxima.columns)
        let layers = try [(first, 3), (random.shape(within: capped, encoder: configuration.encoder), 2)].map { shape, count in
            let columns = random.columns(count, shape: shape, format: configuration.formats.activation)
            return (layer: try spanningOutputs(random.layer(shape, for: configuration), columns: columns), columns: columns)
        }
        return try CocotbTestbench(configuration, layers: layers, designDirectory: designDirectory, verilogFiles: verilogFiles, seed: seed)
    }

    /// `layer` with a requantization that maps the columns' accumulators
    /// across the output range (a few saturate), so the outputs say more
    /// than their extremes; the layer as it is when none fits the design.
    private static func spanningOutputs(_ layer: IntegerPQLayer, columns: [[Int]]) throws -> IntegerPQLayer {
        let largest = try columns.map { try layer.trace(column: $0).accumulators.map(abs).max() ?? 0 }.max() ?? 0
        let c = layer.configuration, output = c.formats.output
        guard let requantization = try? Requantization.approximating(
            ratio: 1.5 * Double(max(output.maxValue, -output.minValue)) / Double(max(1, largest)), multiplierBits: c.multiplierBits,
            maxShift: c.maxShift, relu: layer.requantization.relu) else { return layer }
        return try IntegerPQLayer(configuration: c, prototypes: layer.prototypes, table: layer.table, bias: layer.bias,
                                  requantization: requantization, trees: layer.trees)
    }

    private static func makefile(top: String, designDirectory: String, verilogFiles: [String]) -> String {
        """
        # Generated by pqa \(VerilogEmitter.generatorVersion): the cocotb testbench of \(top), two layers back to back
        # through AXI-Stream with random gaps and backpressure, every output against the golden model's (vectors.json).
        # Needs \(pins.joined(separator: " and ")) (scripts/setup.sh installs them) and NumPy.
        #   make SIM=icarus      Icarus Verilog 11 or later
        #   make SIM=verilator   Verilator 5.006 or later
        SIM ?= icarus
        TOPLEVEL_LANG = verilog
        DESIGN ?= \(designDirectory)
        VERILOG_SOURCES = $(addprefix $(DESIGN)/,\(verilogFiles.joined(separator: " ")))
        TOPLEVEL = \(top)
        MODULE = test_\(top)
        export PQA_DESIGN = $(abspath $(DESIGN))
        # Importing the driver leaves no __pycache__ in the design's folder.
        export PYTHONDONTWRITEBYTECODE = 1
        include $(shell cocotb-config --makefiles)/Makefile.sim

        """
    }
}
