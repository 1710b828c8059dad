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
            "- Every PQ layer: Ls \(o.ls), the Np of the row, \(o.metric.rawValue) distance, k-means seed \(o.seed), "
                + "\(o.iterations) Lloyd iterations; activations, prototypes, table entries and outputs all at the row's bits; "
                + "scales chosen by \(o.scaleChoice.rawValue); requantization multipliers of \(o.multiplierBits) bits.",
            "- Refit: ridge refit of each table (lambda \(result.refitLambda)) to the float network's outputs of that layer"
                + (result.floatRefitLambda.map { "; then ridge refit (lambda \($0)) of the float layers after the PQ layers (the classifier) "
                    + "to the float network's outputs, from the features the float PQ network gives them." } ?? "."),
            "- pqFloat: PQ layers in float; integer: PQ layers in integers, bit-exact with the accelerator "
                + "(`pqa network evaluate` checks the RTL against it).",
        ]
        if let target = result.target, let tool = result.areas.first?.tool {
            lines.append("- Area: the accelerator sized for the network at that point (no refit; a refit changes no width), "
                         + "synthesized by \(tool) for \(target.rawValue); LUT-equivalents weigh "
                         + "\(AreaWeights.standard(for: target).summary) (see `AreaWeights`). Parallelism: \(parallelism(result.areas.first?.configuration)).")
        }
        if let epochs = result.fineTuneEpochs {
            lines.append("- Fine-tuned: the refit network, then \(epochs) epochs of PQ-aware fine-tuning on the same images: tables and "
                         + "classifier trained by Adam (learning rate \(result.options.fineTuneLearningRate ?? 0.003), batches of 64) to the float "
                         + "network's softmax, prototypes fixed, straight-through gradients into earlier PQ layers.")
        }
        if let rtl = result.rtl {
            lines.append(String(format: "- RTL: at %d bits, Np %d, %@, all %d test images ran on the generated accelerator "
                                + "(%@, every PQ layer of every image back to back on one model, the host doing im2col, pooling and the "
                                + "float layers): %.2f%% accuracy, %d PQ layer runs, every output %@ the integer golden model's; "
                                + "%d clock cycles, %.1f s of co-simulation.", rtl.bits, rtl.np, rtl.fineTuned ? "fine-tuned" : "refit", rtl.images,
                                rtl.engine, 100 * rtl.accuracy, rtl.layerRuns, rtl.matchesInteger ? "equal to" : "NOT equal to", rtl.cycles, rtl.seconds))
        }
        lines += ["", "![accuracy against bits](\(plot))", "",
                  "| bits | Np | pqFloat % | integer % | pqFloat % (refit) | integer % (refit) | pqFloat % (fine-tuned) | integer % (fine-tuned) "
                    + "| best − float (pp) | LUT | FF | BRAM18/36 | DSP | area (LUT-eq) |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        let bits = Array(Set(result.points.map(\.bits))).sorted(by: >), nps = Array(Set(result.points.map(\.np))).sorted()
        for b in bits {
            for np in nps {
                let variants = [(false, false), (true, false), (true, true)].map { refit, fineTuned in
                    result.points.first { $0.bits == b && $0.np == np && $0.refit == refit && $0.fineTuned == fineTuned }
                }
                let best = variants.compactMap { $0?.integer }.max()
                let area = result.areas.first { $0.bits == b && $0.np == np }
                let counts = area.map { a in
                    ["\(a.resources[.lut] ?? 0)", "\(a.resources[.flipFlop] ?? 0)",
                     "\(a.resources[.blockRAM] ?? 0)/\(a.resources[.blockRAM36] ?? 0)", "\(a.resources[.dsp] ?? 0)", String(format: "%.0f", a.area)]
                } ?? ["-", "-", "-", "-", "-"]
                let accuracies = variants.flatMap { [percent($0?.pqFloat), percent($0?.integer)] }
                lines.append("| \(b) | \(np) | " + accuracies.joined(separator: " | ") + " | "
                             + "\(best.map { String(format: "%+.2f", 100 * ($0 - result.float)) } ?? "-") | "
                             + counts.joined(separator: " | ") + " |")
            }
        }
        lines += ["", "Best integer accuracy per bit width (over Np, refit and fine-tuning):", ""]
        for b in bits {
            guard let best = result.points.filter({ $0.bits == b }).max(by: { $0.integer < $1.integer }) else { continue }
            lines.append(String(format: "- %d bits: %.2f%% (Np %d, %@), %.2f percentage points from float.", b, 100 * best.integer, best.np,
                                variantName(best), 100 * (result.float - best.integer)))
        }
        if let bestFloatPQ = result.points.max(by: { $0.pqFloat < $1.pqFloat }) {
            lines += ["", String(format: "The best float PQ network (Np %d, %@) is %.2f percentage points below the float network: that much is "
                                 + "the product quantization itself, before any bit is dropped; the integer rows add the cost of the bits on top.",
                                 bestFloatPQ.np, variantName(bestFloatPQ), 100 * (result.float - bestFloatPQ.pqFloat))]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `fine-tuned`, `refit` or `no refit`.
    static func variantName(_ point: NetworkStudy.Point) -> String {
        point.fineTuned ? "fine-tuned" : point.refit ? "refit" : "no refit"
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
