import Foundation
import HDL
import PQ
import PQA

/// The Markdown page and the SVG plot of a ``NetworkStudy``.
public enum NetworkStudyReport {
    /// A Markdown page: how the figures were made, the table of accuracy
    /// and area per point, and the distance of each bit width's best point
    /// from the float network.
    public static func markdown(_ result: NetworkStudy.Result, command: String, plot: String) -> String {
        let o = result.options
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", 100 * $0) } ?? "-" }
        var lines = [
            "# Accuracy against bits: \(result.network)",
            "",
            "Made by `\(command)` (pqa \(VerilogEmitter.generatorVersion)).",
            "",
            "- Test set: \(result.testImages) images; conversion learned from \(result.calibrationImages) images of the "
                + "`--learn-from` splits, never from the test set (see reference/digits/README.md for the split).",
            "- Float network: **\(percent(result.float))%** test accuracy.",
            "- Every PQ layer: Ls \(o.ls), the Np of the row, "
                + (o.encoder == .tree
                   ? "tree encoder (a greedy MADDNESS decision tree per subspace, the prototypes its buckets' means); "
                   : "\(o.metric.rawValue) distance, k-means seed \(o.seed), \(o.iterations) Lloyd iterations; ")
                + "activations, prototypes, table entries and outputs all at the row's bits; "
                + "scales chosen by \(o.scaleChoice.rawValue); requantization multipliers of \(o.multiplierBits) bits.",
            "- Refit: ridge refit of each table (lambda \(result.refitLambda)) to the float network's outputs of that layer"
                + (result.floatRefitLambda.map { "; then ridge refit (lambda \($0)) of the float layers after the PQ layers (the classifier) "
                    + "to the float network's outputs, from the features the float PQ network gives them." } ?? "."),
            "- pqFloat: PQ layers in float; integer: PQ layers in integers, bit-exact with the accelerator "
                + "(`pqa network evaluate` checks the RTL against it).",
        ]
        if let target = result.target, let tool = result.areas.first?.tool {
            lines.append("- Area: the accelerator sized for the network at that point (no refit; refits and fine-tuning change no width), "
                         + "synthesized by \(tool) for \(target.rawValue), in "
                         + AreaWeighting.lutEquivalents.explanation(target: target)
                         + " (`AreaWeights`, the weights `pqa compare` uses); the raw counts stand beside it. "
                         + "Parallelism: \(parallelism(result.areas.first?.configuration)).")
        }
        if let epochs = result.fineTuneEpochs {
            lines.append("- Fine-tuned: the refit network, then \(epochs) epochs of PQ-aware fine-tuning on the same images: tables and "
                         + "classifier trained by Adam (learning rate \(result.options.fineTuneLearningRate ?? 0.003), batches of 64) to the float "
                         + "network's softmax, "
                         + (result.options.fineTunePrototypes == true && o.encoder == .distance
                            ? "prototypes learned too (hard codes forward, LUT-NN's soft assignment backward, temperature the mean squared "
                              + "distance of a subvector to its nearest prototype), "
                            : "prototypes fixed, ")
                         + "straight-through gradients into earlier PQ layers"
                         + (result.options.fineTuneShift.map { "; each image of each batch shifted by a random offset of up to \($0) "
                            + "pixel\($0 == 1 ? "" : "s") down and across (zeros shifted in), the float network's outputs on it as the target" } ?? "")
                         + "; then quantized, the scales chosen on the fine-tuned network"
                         + (result.options.scaleSearch == true
                            ? ", then each PQ layer's input (unless chained) and output scale chosen again among 0.5 to 1.5 times the calibrated one "
                              + "by the integer network's cross-entropy against the float network's softmax on the learning images."
                            : "."))
        }
        if let epochs = result.quantizationAwareEpochs {
            lines.append("- Quantization-aware: the fine-tuned network quantized at the row's bits, then \(epochs) epochs of quantization-aware "
                         + "fine-tuning on the same images\(result.options.fineTuneShift == nil ? "" : ", shifted alike") (Adam, learning rate \(result.options.quantizationAwareLearningRate ?? 0.001), batches of 64, "
                         + "the float network's softmax as the target): the forward pass is the integer golden model's, bit for bit (integer "
                         + "inputs and codes, table entries rounded and saturated, the requantization's rounding, saturation and ReLU), the "
                         + "tables trained as real values that it rounds, straight through; the classifier trained in float; scales, "
                         + "prototypes and biases as quantized. Its pqFloat column runs the real tables before rounding.")
        }
        if let rtl = result.rtl {
            lines.append(String(format: "- RTL: at the best %d-bit point (Np %d, %@), all %d test images ran on the generated accelerator "
                                + "(%@, every PQ layer of every image back to back on one model, the host doing im2col, pooling and the "
                                + "float layers): %.2f%% accuracy, %d PQ layer runs, every output %@ the integer golden model's; "
                                + "%d clock cycles, %.1f s of co-simulation.", rtl.bits, rtl.np, rtl.variant.rawValue, rtl.images,
                                rtl.engine, 100 * rtl.accuracy, rtl.layerRuns, rtl.matchesInteger ? "equal to" : "NOT equal to", rtl.cycles, rtl.seconds))
        }
        let variants = NetworkStudy.Variant.allCases.filter { v in result.points.contains { $0.variant == v } }
        lines += ["", "![accuracy against bits](\(plot))", "",
                  "| bits | Np | " + variants.map { v in v == .plain ? "pqFloat % | integer %" : "pqFloat % (\(v.rawValue)) | integer % (\(v.rawValue))" }
                    .joined(separator: " | ") + " | best − float (pp) | LUT | LUT-RAM | FF | BRAM18/36 | DSP | area (LUT-eq) |",
                  "|" + String(repeating: "---|", count: 2 + 2 * variants.count + 7)]
        let bits = Array(Set(result.points.map(\.bits))).sorted(by: >), nps = Array(Set(result.points.map(\.np))).sorted()
        for b in bits {
            for np in nps {
                let row = variants.map { v in result.points.first { $0.bits == b && $0.np == np && $0.variant == v } }
                let best = row.compactMap { $0?.integer }.max()
                let area = result.areas.first { $0.bits == b && $0.np == np }
                let counts = area.map { a in
                    ["\(a.resources[.lut] ?? 0)", "\(a.resources[.lutRAM] ?? 0)", "\(a.resources[.flipFlop] ?? 0)",
                     "\(a.resources[.blockRAM] ?? 0)/\(a.resources[.blockRAM36] ?? 0)", "\(a.resources[.dsp] ?? 0)", String(format: "%.0f", a.area)]
                } ?? ["-", "-", "-", "-", "-", "-"]
                let accuracies = row.flatMap { [percent($0?.pqFloat), percent($0?.integer)] }
                lines.append("| \(b) | \(np) | " + accuracies.joined(separator: " | ") + " | "
                             + "\(best.map { String(format: "%+.2f", 100 * ($0 - result.float)) } ?? "-") | "
                             + counts.joined(separator: " | ") + " |")
            }
        }
        lines += ["", "Best integer accuracy per bit width (over Np and variants; on a tie the smaller Np, then the earlier variant):", ""]
        for b in bits {
            guard let best = NetworkStudy.best(result.points.filter { $0.bits == b }) else { continue }
            lines.append(String(format: "- %d bits: %.2f%% (Np %d, %@), %.2f percentage points from float.", b, 100 * best.integer, best.np,
                                best.variant.rawValue, 100 * (result.float - best.integer)))
        }
        if let bestFloatPQ = result.points.filter({ $0.variant != .quantizationAware }).max(by: { $0.pqFloat < $1.pqFloat }) {
            lines += ["", String(format: "The best float PQ network (Np %d, %@) is %.2f percentage points below the float network: that much is "
                                 + "the product quantization itself, before any bit is dropped; the integer rows add the cost of the bits on top.",
                                 bestFloatPQ.np, bestFloatPQ.variant.rawValue, 100 * (result.float - bestFloatPQ.pqFloat))]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func parallelism(_ configuration: PQAConfiguration?) -> String {
        guard let p = configuration?.parallelism else { return "-" }
        return "LsVec \(p.lsVec), NpVec min(Np, 16), NsVec \(p.nsVec), OutVec \(p.outVec)"
    }
}

extension NetworkStudyReport {
    /// Writes `README.md`, `accuracy.svg` and `results.json` to `folder`
    /// atomically (a temporary sibling renamed into place). An existing
    /// `folder` is replaced only when it is empty or holds an earlier study.
    public static func write(_ result: NetworkStudy.Result, command: String, to folder: URL) throws {
        let manager = FileManager.default
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let files = [
            ("README.md", Data(markdown(result, command: command, plot: "accuracy.svg").utf8)),
            ("accuracy.svg", Data(svg(result).utf8)),
            ("results.json", try encoder.encode(result)),
        ]
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            let names = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? ["?"]
            guard isDirectory.boolValue, names.isEmpty || names.contains("results.json") else {
                throw OutputError(path: folder.path, reason: "exists and is not an earlier study; choose another folder or remove it")
            }
        }
        try AtomicDirectory.write(folder) { staging in
            for (name, data) in files { try data.write(to: staging.appendingPathComponent(name)) }
        }
    }
}
