import ArgumentParser
import Foundation
import HDL

/// `pqa generate`: writes a design's Verilog, filelist and memory images.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a design's Verilog, filelist and memory images into a folder.")

    @Option(name: .long, help: "The example design to generate (see --list-examples).")
    var example: String?

    @Option(name: .long, help: "Output folder; replaced as a whole, never left half-written.")
    var out: String?

    @Flag(name: .long, help: "List the example designs and exit.")
    var listExamples = false

    func run() throws {
        if listExamples {
            for entry in Examples.all { print("\(padded(entry.name, 10)) \(entry.summary)") }
            return
        }
        guard let example else {
            throw ValidationError("name a design with --example NAME (one of: \(Examples.all.map(\.name).joined(separator: ", ")))")
        }
        guard let entry = Examples.named(example) else {
            throw ValidationError("unknown example '\(example)'; choose one of: \(Examples.all.map(\.name).joined(separator: ", "))")
        }
        let directory = URL(fileURLWithPath: out ?? "rtl/\(entry.name)")
        let netlist = try entry.make().elaborate()
        let files = DesignFiles(top: netlist)
        try files.write(to: directory)
        print("wrote \(files.files.count) files for '\(netlist.name)' to \(directory.path)")
    }
}

private func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}
