import ArgumentParser
import Foundation
import HDLSim
import PQ
import PQA
import PQAFlow
import PQCommands

/// `pqa network`: convert small CNNs to PQ, evaluate them in software and on
/// the generated accelerator, and study accuracy against bits.
struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Product-quantize a small CNN, evaluate it in float, PQ, integer and RTL, and study accuracy against bits.",
        subcommands: [NetworkConvert.self, NetworkEvaluate.self, NetworkStudyCommand.self])
}

/// Options that describe a conversion, shared by `convert` and `study`.
struct ConversionArguments: ParsableArguments {
    @Option(help: "Subvector length Ls of every PQ layer.")
    var ls = 9

    @Option(help: "Prototypes per codebook Np of every PQ layer.")
    var np = 16

    @Option(help: "Distance metric of the encoders: l2, l1 or chebyshev.")
    var metric: MetricArgument = .l2

    @Option(help: "Encoder of every PQ layer: distance (nearest k-means prototype under --metric) or tree (a greedy decision tree per subspace, MADDNESS; --np a power of two).")
    var encoder: EncoderArgument = .distance

    @Option(help: "Ridge refit of each table with this lambda (> 0); targets are the float network's outputs of that layer.")
    var refit: Double?

    @Option(help: "Ridge refit (this lambda, > 0) of the float conv and linear layers after the last PQ layer (the classifier) to the float network's outputs, from the PQ network's features.")
    var floatRefit: Double?

    @Option(help: "Epochs of PQ-aware fine-tuning after the refits: tables and the float layers after the PQ layers learn by gradient descent (Adam, batches of 64) to give the float network's outputs on the learning images.")
    var fineTuneEpochs: Int?

    @Option(help: "Adam learning rate of the fine-tuning.")
    var fineTuneRate = 0.003

    @Option(help: "Fine-tune (both kinds) on images shifted by random offsets of up to this many pixels down and across, the float network's outputs on them as targets.")
    var fineTuneShift: Int?

    @Flag(help: "Fine-tune the prototypes too (l2 only; LUT-NN's soft assignment in the backward pass, hard codes in the forward). Tree layers keep theirs: their trees choose the codes.")
    var fineTunePrototypes = false

    @Flag(help: "After quantization, choose each PQ layer's input (unless chained) and output scale again among multiples of the calibrated ones by the integer network's distillation loss on the learning images.")
    var scaleSearch = false

    @Option(help: "Epochs of quantization-aware fine-tuning after quantization, at each bit width: the integer tables (rounded straight through) and the float layers after the PQ layers learn through the integer golden model's forward pass.")
    var quantizationAwareEpochs: Int?

    @Option(help: "Adam learning rate of the quantization-aware fine-tuning.")
    var quantizationAwareRate = 0.001

    @Option(help: "k-means seed (and the fine-tuning's batch order).")
    var seed: UInt64 = 0

    @Option(help: "Lloyd iterations of k-means per subspace.")
    var iterations = 25

    @Option(help: "Splits of --data the conversion learns from, comma-separated, in this order (never test).")
    var learnFrom = "calibration,train"

    @Option(help: "Images to learn from: the first N of the --learn-from splits in order (default: all of them).")
    var calibrationImages: Int?

    @Option(help: "Data folder with <split>_images.npy and <split>_labels.npy for the --learn-from splits (and test_*).")
    var data = "reference/digits"

    func options(bits: [Int]) throws -> ConversionOptions {
        if fineTunePrototypes, fineTuneEpochs == nil { throw ValidationError("--fine-tune-prototypes needs --fine-tune-epochs") }
        if fineTuneShift != nil, fineTuneEpochs == nil, quantizationAwareEpochs == nil {
            throw ValidationError("--fine-tune-shift needs --fine-tune-epochs or --quantization-aware-epochs")
        }
        if encoder == .tree, np < 1 || np & (np - 1) != 0 {
            throw ValidationError("--np \(np) is not valid with --encoder tree: a tree of depth d has 2^d leaves; use --np 2, 4, 8, 16, ... "
                                  + "or --encoder distance")
        }
        return try ConversionOptions(ls: ls, np: np, metric: metric.metric, encoder: encoder.encoder, bits: bits, refitLambda: refit, floatRefitLambda: floatRefit,
                              fineTuneEpochs: fineTuneEpochs, fineTuneLearningRate: fineTuneEpochs == nil ? nil : fineTuneRate,
                              fineTunePrototypes: fineTunePrototypes ? true : nil, fineTuneShift: fineTuneShift, scaleSearch: scaleSearch ? true : nil,
                              quantizationAwareEpochs: quantizationAwareEpochs,
                              quantizationAwareLearningRate: quantizationAwareEpochs == nil ? nil : quantizationAwareRate,
                              seed: seed, iterations: iterations)
    }

    /// The images of the --learn-from splits, one after the other.
    func calibration() throws -> Activations<Double> {
        if let calibrationImages, calibrationImages < 1 {
            throw ValidationError("--calibration-images must be at least 1, got \(calibrationImages)")
        }
        let splits = learnFrom.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !splits.isEmpty, !splits.contains(where: \.isEmpty) else {
            throw ValidationError("--learn-from takes split names separated by commas, e.g. calibration,train; got '\(learnFrom)'")
        }
        guard !splits.contains("test") else { throw ValidationError("--learn-from may not include the test split") }
        let sets = try splits.map { try LabeledImages.read(split: $0, from: URL(fileURLWithPath: data)) }
        return try LabeledImages.concatenated(sets).prefix(calibrationImages).images
    }
}

/// `--bits 4` or `--bits 8,8,6,8`.
func parseBits(_ text: String) throws -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.count == 1 || values.count == 4, values.allSatisfy({ $0 != nil }) else {
        throw ValidationError("--bits takes one width or four (activation,prototype,entry,output), e.g. 4 or 8,8,6,8; got '\(text)'")
    }
    return values.compactMap { $0 }
}

/// `pqa network convert`.
struct NetworkConvert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Learn and quantize the PQ layers of a network folder from its calibration images; write a converted network folder.",
        discussion: """
            PQ layers are learned one after the other, each from the activations the already converted layers produce \
            on the --learn-from images (k-means per subspace, tables, optional ridge refit), then the classifier is \
            optionally refit (--float-refit) and everything fine-tuned (--fine-tune-epochs); then quantized to --bits. \
            The output holds the float network, conversion.json, per PQ layer pq/NAME/float and pq/NAME/integer, and \
            the refit classifier's weights in refit/.
            """)

    @Option(help: "Network folder (network.json and .npy weights).")
    var network = "reference/digits/cnn"

    @Option(help: "Bits: one width, or activation,prototype,entry,output (2...16 each).")
    var bits = "8"

    @OptionGroup var conversion: ConversionArguments

    @Option(help: "Output folder (replaced when it already holds a converted network).")
    var out: String

    func run() throws {
        let source = try Network.read(from: URL(fileURLWithPath: network))
        let start = Date()
        let converted = try ConvertedNetwork.convert(source, calibration: conversion.calibration(), options: conversion.options(bits: parseBits(bits)))
        try converted.write(to: URL(fileURLWithPath: out))
        print(String(format: "converted %d PQ layers (%@) from %d calibration images in %.1f s; wrote %@",
                     converted.layers.count, converted.layers.map { "\($0.name): \($0.integer.shape)" }.joined(separator: ", "),
                     converted.calibrationImages, Date().timeIntervalSince(start), out))
    }
}

/// `pqa network evaluate`.
struct NetworkEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Test-set accuracy of a converted network: float, float PQ, integer golden model and the generated accelerator (Verilator).",
        discussion: """
            The accelerator is one loadable configuration sized for the network (or --config FILE); every PQ layer of \
            every image runs on it back to back, the host doing im2col, pooling and the float layers, and every output \
            is compared with the integer golden model's.
            """)

    @Option(help: "Converted network folder (pqa network convert writes one).")
    var network: String

    @Option(help: "Data folder with test_images.npy and test_labels.npy.")
    var data = "reference/digits"

    @Option(help: "Evaluate only the first N test images.")
    var images: Int?

    @Option(help: "Simulation engine of the accelerator: verilator or interpreter.")
    var engine = "verilator"

    @Flag(help: "Leave out the accelerator (rtl and rtlMatchesInteger are null).")
    var noRtl = false

    @Option(help: "Accelerator configuration (JSON) instead of one sized for the network.")
    var config: String?

    @Option(help: "Write the configuration of the accelerator the network runs on (JSON, for pqa generate --config) to this file.")
    var writeConfig: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Show a progress bar on standard error.")
    var progress = false

    func validate() throws {
        if let images, images < 1 { throw ValidationError("--images must be at least 1, got \(images)") }
        guard ["verilator", "interpreter"].contains(engine) else {
            throw ValidationError("--engine must be verilator or interpreter, got '\(engine)'")
        }
    }

    func run() throws {
        let converted = try ConvertedNetwork.read(from: URL(fileURLWithPath: network))
        let data = try LabeledImages.read(split: "test", from: URL(fileURLWithPath: self.data)).prefix(images)
        let engine = noRtl ? nil : Engine(rawValue: self.engine)
        if engine == .verilator, ExternalTool.locate("verilator") == nil { throw ToolError.missing(tool: "verilator") }
        let configuration = try config.map { try PQAConfiguration.read(from: URL(fileURLWithPath: $0)) }
        if let writeConfig {
            let sized = try configuration ?? NetworkAccelerator.configuration(for: converted)
            try sized.json().write(to: URL(fileURLWithPath: writeConfig), atomically: true, encoding: .utf8)
        }
        let bar = progress ? ProgressBar(label: "rtl") : nil
        let (evaluation, run) = try NetworkEvaluator.evaluate(converted, data: data, engine: engine, configuration: configuration) { done, total in
            bar?.update(done, of: total)
        }
        bar?.finish()
        if json {
            try printJSON(evaluation)
            return
        }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", 100 * $0) } ?? "not run" }
        print("network    \(converted.network.source.name ?? network): \(evaluation.images) test images, bits \(evaluation.bits) "
              + "(activation, prototype, entry, output), Ls \(converted.options.ls), Np \(converted.options.np)"
              + (converted.options.encoder == .tree ? ", tree encoder" : "")
              + (converted.options.refitLambda.map { ", refit lambda \($0)" } ?? "")
              + (converted.options.floatRefitLambda.map { ", float layers refit (lambda \($0))" } ?? "")
              + (converted.options.fineTuneEpochs.map { ", fine-tuned \($0) epochs" } ?? "")
              + (converted.options.fineTunePrototypes == true ? " with the prototypes" : "")
              + (converted.options.fineTuneShift.map { " on images shifted up to \($0) pixels" } ?? "")
              + (converted.options.scaleSearch == true ? ", scales searched" : "")
              + (converted.options.quantizationAwareEpochs.map { ", quantization-aware \($0) epochs" } ?? ""))
        print("float      \(percent(evaluation.accuracy.float))")
        print("pqFloat    \(percent(evaluation.accuracy.pqFloat))")
        print("integer    \(percent(evaluation.accuracy.integer))")
        print("rtl        \(percent(evaluation.accuracy.rtl))")
        if let run {
            let p = run.configuration.parallelism, m = run.configuration.maxima
            print("rtl equals integer: \(evaluation.rtlMatchesInteger == true ? "yes" : "NO") (\(run.layerRuns - run.mismatchedLayerRuns) of \(run.layerRuns) PQ layer runs bit-exact)")
            print(String(format: "accelerator: %@, maxima Ls %d Np %d Ns %d Cout %d columns %d, LsVec %d NpVec %d NsVec %d OutVec %d; %d cycles, %.1f s co-simulation (%.1f s model build)",
                         engine?.rawValue ?? "-", m.ls, m.np, m.ns, m.cout, m.columns, p.lsVec, p.npVec, p.nsVec, p.outVec, run.cycles, run.seconds, run.buildSeconds))
        }
    }
}

/// A one-line progress bar on standard error.
final class ProgressBar {
    private let label: String
    private var shown = -1

    init(label: String) { self.label = label }

    func update(_ done: Int, of total: Int) {
        let width = 30, filled = total > 0 ? done * width / total : width
        guard filled != shown || done % 10 == 0 || done == total else { return }
        shown = filled
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
