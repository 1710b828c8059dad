import HDL
import PQ

extension DesignFacts {
    /// The legal order of beats on the three streams.
    static func order(_ design: PQAParameters) -> [String] {
        let p = design.configuration.parallelism
        let column = "a column is ceil(Ns/\(p.nsVec)) x ceil(Ls/\(p.lsVec)) beats: group g = 0, 1, ..., and within a group element chunk k = 0, 1, ...; "
            + "the column's values are its Ns x Ls activations, subspace s holding elements s x Ls ... s x Ls + Ls - 1 (a layer's D values padded with zeros)"
        guard design.configuration.tableMode == .loadable else {
            return [column, "columns follow one another without end (the layer is baked in); outputs leave in column order"]
        }
        return [
            "a layer's program: its \(LayerRegister.allCases.count) register beats (any order), then its \(design.encoderMemoryName == "trees" ? "tree" : "prototype"), "
                + "table and bias beats (any order among them), "
                + "tlast on the last beat; every layer sends every register again",
            "a register beat after memory beats without a tlast between them starts a new program (error 0x01): the unfinished one is dropped",
            "the layer's columns: exactly `columns` of them, sent from the cycle after its tlast beat moved; "
                + "the core holds them (tready low) until the layer runs",
            column,
            "the next layer's program may follow its predecessor's tlast at once: the core holds it (tready low) until its bank is free, "
                + "so a layer loads while the one before it computes; its columns follow the previous layer's last column and its own tlast",
            "outputs leave in column order, ceil(Cout/\(p.outVec)) beats a column; the output stream may stall (tready low) at any time",
        ]
    }

    /// `u20 [0, 585225]`: a width and its range.
    static func span(_ bound: WidthBound) -> String { "\(bound.signed ? "s" : "u")\(bound.bits) [\(bound.minValue), \(bound.maxValue)]" }

    /// Every computational rule, exactly as the golden model computes it.
    static func rules(_ design: PQAParameters) -> [String] {
        let c = design.configuration, f = c.formats, w = design.widths
        let distance: String
        switch c.metric {
        case .l2: distance = "distance (L2): the sum over the Ls elements of (a - p)^2, an exact integer; there is no square root"
        case .l1: distance = "distance (L1): the sum over the Ls elements of |a - p|, an exact integer"
        case .chebyshev: distance = "distance (Chebyshev): the largest |a - p| over the Ls elements, an exact integer"
        }
        let encoding = c.encoder == .tree ? [
            "code: per subspace, the leaf its tree reaches: start at node 0 of level 0; at level v the element split(v) of the subvector is compared "
                + "with the node's threshold (both \(f.activation)); a value at or above it goes right (node 2n + 1 of level v + 1), a smaller one left "
                + "(node 2n); after the layer's log2(Np) levels the node is the code (Np must be a power of two)",
        ] : [
            distance + " (\(span(w.distance))); activation and prototype lanes past Ls take no part",
            "code: per subspace, the index of the prototype at the smallest distance among the layer's Np; ties go to the lowest index",
        ]
        return encoding + [
            "accumulation: per output channel, the sum over the Ns subspaces of table[s][code(s)][channel], exact (\(span(w.tableSum)))",
            "bias: the channel's bias (\(f.bias)) is added to the sum, exact (\(span(w.accumulator)))",
            "requantization: y = (accumulator x multiplier + 2^(shift - 1)) >> shift, the shift arithmetic (rounding half up, toward +infinity); "
                + "with shift 0, y = accumulator x multiplier (no rounding term); the product is exact (\(span(w.product)))",
            "multiplier: an unsigned integer of \(c.multiplierBits) bits, 1 ... \((1 << c.multiplierBits) - 1); shift 0 ... \(c.maxShift)",
            "saturation: y is clamped to the output format \(f.output) [\(f.output.minValue), \(f.output.maxValue)] before ReLU",
            "ReLU (register relu = 1): negative saturated values become 0" + (f.output.signed ? "" : " (the output format is unsigned: it never applies)"),
            "channels past Cout and lanes past the layer's sizes output 0",
        ]
    }

    /// What reset does.
    static func reset(_ design: PQAParameters) -> [String] {
        guard design.configuration.tableMode == .loadable else {
            return ["`rst` is synchronous and active high; one cycle with `rst` high at a rising edge of `clk` resets the core",
                    "after reset the baked layer is ready: columns are accepted at once; `error` is 0"]
        }
        return [
            "`rst` is synchronous and active high; one cycle with `rst` high at a rising edge of `clk` resets the core",
            "after reset: no layer is loaded or running, `error` is 0, `idle` is 1, both register banks hold the reset values of the register map "
                + "(a layer must still write every register), memories are not cleared",
            "s_axis_load_tready is high; activation beats sent before a layer commits are dropped (error 0x04)",
        ]
    }

    /// How the core reacts to bad input.
    static func errorBehaviour(_ design: PQAParameters) -> [String] {
        guard design.configuration.tableMode == .loadable else {
            return ["`error` shows the first failing check until reset; an activation tlast mismatch drops the column up to its tlast"]
        }
        return [
            "`error` holds the code of the first failing check since the last good commit: later failures do not overwrite it; "
                + "a layer that commits good clears it to 0, and so does reset",
            "at a layer's commit the checks are (their code on `error` \(CycleModel.commitCycles) cycles after its tlast beat), in order of precedence: every register written for this layer "
                + "(0x10 + address), every register within its legal range over its whole data field (0x20 + address), every beat naming "
                + "a register or memory word of the design (0x02), and as many beats of each memory kind as the registers imply (0x08 + kind)",
            "a layer that fails is never started: its columns find no layer and are dropped (0x04), and the next good layer runs normally",
            "activation beats: a tlast that disagrees with the column's length drops the column (0x03) up to and including the next tlast; "
                + "a beat that arrives when the running layer has all its columns and no committed layer waits is dropped with the rest of its column (0x04)",
            "no sequence of beats wedges the core: after any bad input a good program and its columns compute exactly, without reset",
            "not detectable: a column sent beyond a layer's count after the next layer has committed becomes that layer's first column "
                + "(its tlast check catches it only when the column lengths differ); a layer sent fewer columns than its register says waits for them",
        ]
    }
}

/// Cycles and load time, as formulas naming the events they count between.
struct TimingFacts: Encodable {
    let compute: String
    let computeEvents: String
    let pipelineLatency: Int
    let loadBeats: [String]
    let loadTime: String
    let commitCycles: Int
    /// The largest layer: its load beats by kind, slot, cycles per column and latency.
    let largestLayer: LargestLayer?

    struct LargestLayer: Encodable {
        let loadBeats: LoadBeatCounts
        let totalLoadBeats, slot, cyclesPerColumn, latency: Int
    }

    init(_ design: PQAParameters) {
        let c = design.configuration, p = c.parallelism, model = CycleModel(design)
        pipelineLatency = model.pipelineLatency
        compute = "columns x ceil(Ns/\(p.nsVec)) x max(ceil(Ls/\(p.lsVec)) x ceil(Np/\(p.npVec)), ceil(Cout/\(p.outVec))) "
            + "+ ceil(Ns/\(p.nsVec)) x ceil(Ls/\(p.lsVec)) + min(ceil(Ls/\(p.lsVec)) x ceil(Np/\(p.npVec)), ceil(Cout/\(p.outVec))) + \(model.pipelineLatency - 1)"
        computeEvents = "cycles from the rising edge at which the layer's first activation beat moves to the one at which its last output beat moves, "
            + "both counted, with the layer committed before its first column, no input gaps and no output backpressure"
        let w = design.prototypeGrouping, t = design.tableGrouping
        let encoderBeats = c.encoder == .tree
            ? "trees: R(Ns), R(Ns) = the sum over groups g < ceil(Ns/\(p.nsVec)) of ceil(min(\(p.nsVec), Ns - g x \(p.nsVec)) / \(design.treeGrouping.wordsPerBeat))"
            : "prototypes: ceil(Ls/\(p.lsVec)) x Ns x P(Np), P(Np) = the sum over prototype chunks pc < ceil(Np/\(p.npVec)) of "
                + "ceil(min(\(p.npVec), Np - pc x \(p.npVec)) / \(w.wordsPerBeat))"
        loadBeats = c.tableMode == .loadable ? [
            "registers: \(LayerRegister.allCases.count)",
            encoderBeats,
            "tables: Np x ceil(Cout/\(p.outVec)) x T(Ns), T(Ns) = the sum over groups g < ceil(Ns/\(p.nsVec)) of "
                + "ceil(min(\(p.nsVec), Ns - g x \(p.nsVec)) / \(t.wordsPerBeat))",
            "bias: ceil(Cout/\(p.outVec))",
        ] : []
        commitCycles = CycleModel.commitCycles
        loadTime = c.tableMode == .loadable
            ? "a program of B beats at one beat a cycle moves in B cycles, from its first beat to its tlast beat; the commit takes "
                + "\(CycleModel.commitCycles) more (the beat registered, the checks, the verdict, the swap): a layer's columns are taken from the cycle after that when no layer runs, "
                + "else once the running layer has started its last slot"
            : "no load: the layer is baked in"
        let maxima = c.maxima
        largestLayer = (try? PQShape(ls: maxima.ls, np: maxima.np, ns: maxima.ns, cout: maxima.cout)).map { shape in
            LargestLayer(loadBeats: model.loadBeatCounts(shape), totalLoadBeats: model.loadBeats(shape), slot: model.slot(shape),
                         cyclesPerColumn: model.bound(shape, columns: 1), latency: model.latency(shape))
        }
    }
}
