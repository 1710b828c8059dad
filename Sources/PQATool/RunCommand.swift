import ArgumentParser
import Foundation
import HDLSim
import PQA

/// `pqa run`: the main job on the built-in default.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the default accelerator into rtl/pqa_default, co-simulate it against the golden model on every installed engine, print the summary.")

    @Option(name: .long, help: "Folder for the generated design.")
    var out = "rtl/pqa_default"

    @Option(name: .long, help: "Columns per layer.")
    var columns = 32

    @Option(name: .long, help: "Seed of the random layers, data and traffic.")
    var seed: UInt64 = 1

    func validate() throws {
        guard columns >= 1 else { throw ValidationError("--columns must be at least 1, got \(columns)") }
    }

    func run() throws {
        let missing = Engine.allCases.filter { $0.tool.map { ExternalTool.locate($0) == nil } ?? false }
        if !missing.isEmpty {
            print("note: \(missing.map(\.rawValue).joined(separator: ", ")) not installed; run scripts/setup.sh to add it")
        }
        let files = try PQAGenerator.files(for: .default)
        try files.write(to: URL(fileURLWithPath: out))
        print("generated    \(files.verilogFiles.count) Verilog files, manifest.json and datasheet.md in \(out)")
        let summary = try CoSimulationSummary.run(PQAConfiguration.default, layers: 2, columns: columns, seed: seed, traffic: .init(), engines: Engine.installed)
        print(summary.text)
        if !summary.bitExact { throw ExitCode(1) }
    }
}
