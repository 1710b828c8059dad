import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA

/// A random layer of a random configuration (seed 0: the default design)
/// and what the Swift packing makes of it: the lines a driver harness must
/// print, in the same format for the C header and the Python module.
struct DriverCase {
    let seed: UInt64
    let configuration: PQAConfiguration
    let parameters: PQAParameters
    let layer: IntegerPQLayer
    let columns: [[Int]]
    let outputBeats: [[BitVector]]
    let outputs: [[Int]]

    /// Seed 0 is the default design; others a random configuration, with a tree encoder when `tree`.
    init(seed: UInt64, tree: Bool = false) throws {
        self.seed = seed
        configuration = seed == 0 ? .default : tree ? try randomTreeConfiguration(seed: seed) : try randomConfiguration(seed: seed)
        parameters = try PQAParameters(configuration)
        var random = RandomLayer(seed: seed + 40)
        let shape = seed == 0 ? try PQShape(ls: 7, np: 13, ns: 11, cout: 37)
            : try random.shape(within: configuration.maxima, encoder: configuration.encoder)
        layer = try random.layer(shape, for: configuration)
        columns = random.columns(2, shape: shape, format: configuration.formats.activation)
        let matrix = try layer.outputs(columns: Matrix(rowArrays: columns))
        outputs = (0..<columns.count).map { row in (0..<shape.cout).map { matrix[row, $0] } }
        let parameters = parameters
        outputBeats = outputs.map { ColumnBeats.output($0, parameters: parameters) }
    }

    /// The design's generated files, written to a fresh temporary folder.
    func writeDesign() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-driver-\(seed)-\(UUID().uuidString.prefix(8))")
        try PQAGenerator.files(for: configuration).write(to: folder)
        return folder
    }

    /// The layer's numbers, the columns and the output beats, whitespace-separated (the C harness's input).
    var textInput: String {
        let shape = layer.shape, r = layer.requantization
        var numbers = [shape.ls, shape.np, shape.ns, shape.cout, columns.count, r.multiplier, r.shift, r.relu ? 1 : 0]
        numbers += (layer.trees.map { $0.splits + $0.thresholds } ?? layer.prototypes.values) + layer.table.values + layer.bias
            + columns.flatMap { $0 }
        return numbers.map(String.init).joined(separator: " ") + "\n"
            + outputBeats.map { beats in "\(beats.count) " + beats.map(\.hexString).joined(separator: " ") }.joined(separator: "\n") + "\n"
    }

    /// What the harness must print: the load beats, each column's beats, each column's outputs unpacked.
    var expectedLines: [String] {
        get throws {
            let program = try LayerProgram(layer, columns: columns.count, parameters: parameters)
            var lines = ["load \(program.loadBeats.count)"] + program.loadBeats.map(\.hexString)
            for (index, column) in columns.enumerated() {
                let beats = try ColumnBeats.input(column, shape: layer.shape, parameters: parameters)
                lines += ["column \(index) \(beats.count)"] + beats.map(\.hexString)
            }
            for (index, values) in outputs.enumerated() { lines.append("outputs \(index) " + values.map(String.init).joined(separator: " ")) }
            return lines
        }
    }

    /// The first line where `printed` differs from `expectedLines`, for a message.
    func firstDifference(_ printed: String) throws -> String? {
        let actual = printed.split(separator: "\n", omittingEmptySubsequences: true).map(String.init), expected = try expectedLines
        for (index, line) in expected.enumerated() where index >= actual.count || actual[index] != line {
            return "seed \(seed), line \(index + 1): expected \(line.prefix(100)), printed \(index < actual.count ? String(actual[index].prefix(100)) : "nothing")"
        }
        return actual.count > expected.count ? "seed \(seed): \(actual.count - expected.count) lines too many: \(actual[expected.count])" : nil
    }
}

/// Whether `tool` runs here, or the suite runs in CI (where scripts/setup.sh installed it and a missing tool must fail).
func toolRuns(_ tool: String, _ arguments: [String] = ["--version"]) -> Bool {
    if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
    guard ExternalTool.locate(tool) != nil else { return false }
    return (try? ExternalTool.run(tool, arguments, in: FileManager.default.temporaryDirectory)) != nil
}
