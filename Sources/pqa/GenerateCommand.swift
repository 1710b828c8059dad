import ArgumentParser
import Foundation
import HDL

/// `pqa generate`: writes a design's Verilog, filelist and memory images.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a design's Verilog, filelist and memory images into a folder.")

    @Option(name: .long, help: "The example design to generate (see --list-examples).")
    var example: String?

    @Option(name: .long, help: "Output folder (default rtl/examples/NAME); replaced as a whole, never left half-written.")
    var out: String?

    @Flag(name: .long, help: "Regenerate every example into rtl/examples/.")
    var allExamples = false

    @Flag(name: .long, help: "List the example designs and exit.")
    var listExamples = false

    func run() throws {
        if listExamples {
            for entry in Examples.all { print("\(entry.name.padding(10)) \(entry.summary)") }
            return
        }
        if allExamples {
            guard out == nil, example == nil else {
                throw ValidationError("--all-examples writes every example to rtl/examples/; drop --example and --out")
            }
            for entry in Examples.all { try write(entry, to: "rtl/examples/\(entry.name)") }
            return
        }
        guard let example else {
            throw ValidationError("name a design with --example NAME (one of: \(Examples.names)), or use --all-examples")
        }
        guard let entry = Examples.named(example) else {
            throw ValidationError("unknown example '\(example)'; choose one of: \(Examples.names)")
        }
        try write(entry, to: out ?? "rtl/examples/\(entry.name)")
    }

    private func write(_ entry: Examples.Entry, to path: String) throws {
        let directory = URL(fileURLWithPath: path)
        let netlist = try entry.make().elaborate()
        let files = DesignFiles(top: netlist)
        try files.write(to: directory)
        print("wrote \(files.files.count) files for \(netlist.name) to \(path)")
    }
}

extension Examples {
    /// The example names, comma-separated.
    static var names: String { all.map(\.name).joined(separator: ", ") }
}

extension String {
    /// The string followed by spaces up to `width` characters.
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
