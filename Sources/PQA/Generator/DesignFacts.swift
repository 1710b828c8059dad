import HDL
import PQ

/// Everything a host needs to drive a generated PQA core, in one value: the
/// manifest serializes it and the data sheet renders it, so both state the
/// same facts, all derived from `PQAParameters` (the description the
/// hardware and the drivers are built from).
struct DesignFacts: Encodable {
    /// A field of a beat: bits `[low +: bits]` of `tdata`.
    struct Field: Encodable {
        let name: String
        let low, bits: Int
        let meaning: String
    }

    /// One AXI4-Stream port.
    struct StreamFacts: Encodable {
        /// The port prefix (`s_axis_load`).
        let name: String
        let direction: String
        /// Bits of `tdata` (a multiple of 8) and of the fields in it.
        let tdataBits, payloadBits: Int
        let fields: [Field]
        /// What `tlast` marks, and what the core checks of it.
        let tlast: String
    }

    /// What a load beat of one kind writes and how its fields are formed.
    struct LoadKindFacts: Encodable {
        let kind: Int
        let name: String
        /// Words one beat carries (several memories written at once).
        let wordsPerBeat: Int
        let index, address, data: String
    }

    /// One error code.
    struct ErrorFacts: Encodable {
        let code: Int
        let hex: String
        let meaning: String
    }

    /// A worked example of the address maps.
    struct Example: Encodable {
        let what: String
        let steps: [String]
    }

    let streams: [StreamFacts]
    let registers: [RegisterEntry]
    let loadKinds: [LoadKindFacts]
    let addressExamples: [Example]
    let beatOrder: [String]
    let rules: [String]
    let reset: [String]
    let errors: [ErrorFacts]
    let errorBehaviour: [String]
    let timing: TimingFacts

    init(_ design: PQAParameters) {
        let c = design.configuration, loadable = c.tableMode == .loadable
        streams = (loadable ? [Self.loadStream(design)] : []) + [Self.activationStream(design), Self.outputStream(design)]
        registers = loadable ? LayerRegister.map(c) : []
        loadKinds = loadable ? Self.loadKinds(design) : []
        addressExamples = loadable ? Self.examples(design) : []
        beatOrder = Self.order(design)
        rules = Self.rules(design)
        reset = Self.reset(design)
        let registerNames = Dictionary(uniqueKeysWithValues: LayerRegister.allCases.map { ($0.rawValue, "\($0)") })
        let kindNames = Dictionary(uniqueKeysWithValues: LoadBeatKind.allCases.map { ($0.rawValue, $0.description) })
        let codes = loadable ? CoreErrorCode.all(registers: LayerRegister.allCases.count, kinds: [1, 2, 3]) : [.activationLast]
        errors = codes.map { ErrorFacts(code: $0.rawValue, hex: $0.hex, meaning: $0.explanation(registers: registerNames, kinds: kindNames)) }
        errorBehaviour = Self.errorBehaviour(design)
        timing = TimingFacts(design)
    }

    /// Fields one after the other from bit 0.
    private static func fields(_ list: [(String, Int, String)]) -> [Field] {
        var low = 0
        return list.map { name, bits, meaning in
            defer { low += bits }
            return Field(name: name, low: low, bits: bits, meaning: meaning)
        }
    }

    private static func padding(_ payload: Int, _ tdata: Int) -> [(String, Int, String)] {
        tdata > payload ? [("padding", tdata - payload, "zero; pads tdata to whole bytes (ignored on the way in)")] : []
    }

    private static func loadStream(_ design: PQAParameters) -> StreamFacts {
        let layout = design.loadBeat
        return StreamFacts(
            name: "s_axis_load", direction: "input", tdataBits: layout.streamBits, payloadBits: layout.beatBits,
            fields: fields([("kind", layout.kindBits, "what the beat writes: " + LoadBeatKind.allCases.map { "\($0.rawValue) \($0)" }.joined(separator: ", ")),
                            ("index", layout.indexBits, "which memories (see the kinds); 0 for registers and bias"),
                            ("address", layout.addressBits, "the register, or the word within one bank of the memories"),
                            ("data", layout.dataBits, "the register's value, or the words")] + padding(layout.beatBits, layout.streamBits)),
            tlast: "on a layer's last load beat: commits the layer (its checks decide whether it runs)")
    }

    private static func activationStream(_ design: PQAParameters) -> StreamFacts {
        let p = design.configuration.parallelism, a = design.configuration.formats.activation
        return StreamFacts(
            name: "s_axis_act", direction: "input", tdataBits: design.activationStreamBits, payloadBits: design.activationBeatBits,
            fields: fields((0..<(p.nsVec * p.lsVec)).map { lane in
                ("lane \(lane)", a.bits, "element k x \(p.lsVec) + \(lane % p.lsVec) of subspace g x \(p.nsVec) + \(lane / p.lsVec) (\(a))")
            } + padding(design.activationBeatBits, design.activationStreamBits)),
            tlast: "on a column's last beat, and only there: checked; a mismatch drops the column")
    }

    private static func outputStream(_ design: PQAParameters) -> StreamFacts {
        let p = design.configuration.parallelism, o = design.configuration.formats.output
        return StreamFacts(
            name: "m_axis_out", direction: "output", tdataBits: design.outputStreamBits, payloadBits: design.outputBeatBits,
            fields: fields((0..<p.outVec).map { ("lane \($0)", o.bits, "channel j x \(p.outVec) + \($0) (\(o)); 0 past Cout") }
                           + padding(design.outputBeatBits, design.outputStreamBits)),
            tlast: "on a column's last output beat")
    }

    private static func loadKinds(_ design: PQAParameters) -> [LoadKindFacts] {
        let c = design.configuration, p = c.parallelism, f = c.formats
        let w = design.prototypeGrouping, t = design.tableGrouping
        return [
            LoadKindFacts(kind: 0, name: "layer register", wordsPerBeat: 1, index: "0 (ignored)", address: "the register's address",
                          data: "the value, an unsigned integer over the whole data field"),
            c.encoder == .tree ? treeKind(design) : LoadKindFacts(
                kind: 1, name: "prototypes", wordsPerBeat: w.wordsPerBeat,
                index: "sl x \(w.groupsPerRow) + q / \(w.wordsPerBeat), for subspace lane sl = s % \(p.nsVec) and prototype lane q = p % \(p.npVec)",
                address: "((s / \(p.nsVec)) x \(design.prototypeChunksMax) + p / \(p.npVec)) x \(design.chunksMax) + k, for element chunk k = l / \(p.lsVec)",
                data: "slot q % \(w.wordsPerBeat) (bits [slot x \(w.wordBits) +: \(w.wordBits)]) holds elements k x \(p.lsVec) + i of the prototype, "
                    + "element i at [i x \(f.prototype.bits) +: \(f.prototype.bits)] (\(f.prototype)); 0 past Ls"),
            LoadKindFacts(
                kind: 2, name: "table", wordsPerBeat: t.wordsPerBeat,
                index: "sl / \(t.wordsPerBeat), for subspace lane sl = s % \(p.nsVec)",
                address: "((s / \(p.nsVec)) x \(c.maxima.np) + p) x \(design.outputChunksMax) + c / \(p.outVec)",
                data: "slot sl % \(t.wordsPerBeat) (bits [slot x \(t.wordBits) +: \(t.wordBits)]) holds the entries of channels (c / \(p.outVec)) x \(p.outVec) + o, "
                    + "channel lane o at [o x \(f.entry.bits) +: \(f.entry.bits)] (\(f.entry)); 0 past Cout"),
            LoadKindFacts(kind: 3, name: "bias", wordsPerBeat: 1, index: "0 (ignored)", address: "c / \(p.outVec)",
                          data: "the biases of channels (c / \(p.outVec)) x \(p.outVec) + o, lane o at [o x \(f.bias.bits) +: \(f.bias.bits)] (\(f.bias)); 0 past Cout"),
        ]
    }

    /// Kind 1 on a tree encoder: one word per subspace and group.
    private static func treeKind(_ design: PQAParameters) -> LoadKindFacts {
        let c = design.configuration, p = c.parallelism, a = c.formats.activation, r = design.treeGrouping
        let split = design.treeLaneBits + design.treeChunkBits, thresholdsLow = design.treeLevels * split
        return LoadKindFacts(
            kind: 1, name: "trees", wordsPerBeat: r.wordsPerBeat,
            index: "sl / \(r.wordsPerBeat), for subspace lane sl = s % \(p.nsVec)", address: "s / \(p.nsVec)",
            data: "slot sl % \(r.wordsPerBeat) (bits [slot x \(r.wordBits) +: \(r.wordBits)]) holds subspace s's tree: for level v < \(design.treeLevels), "
                + "at [v x \(split) +: \(split)], the split element e as its lane e % \(p.lsVec) (\(design.treeLaneBits) bits) then its chunk e / \(p.lsVec) "
                + "(\(design.treeChunkBits) bits); then from bit \(thresholdsLow) the \(c.maxima.np - 1) thresholds in level order, node n of level v "
                + "(node 2^v - 1 + n) at [\(thresholdsLow) + (2^v - 1 + n) x \(a.bits) +: \(a.bits)] (\(a)); levels and nodes past the layer's are 0")
    }

    /// Where one prototype element (or tree threshold) and one table entry of the largest layer go.
    private static func examples(_ design: PQAParameters) -> [Example] {
        design.configuration.encoder == .tree ? treeExamples(design) : distanceExamples(design)
    }

    private static func treeExamples(_ design: PQAParameters) -> [Example] {
        let c = design.configuration, p = c.parallelism, a = c.formats.activation, maxima = c.maxima
        let r = design.treeGrouping, t = design.tableGrouping, layout = design.loadBeat
        let dataLow = layout.kindBits + layout.indexBits + layout.addressBits
        let s = min(maxima.ns - 1, p.nsVec + 1), sl = s % p.nsVec, level = design.treeLevels - 1, node = (1 << level) - 1
        let thresholdBit = r.slot(memory: sl) * r.wordBits + design.treeLevels * (design.treeLaneBits + design.treeChunkBits)
            + ((1 << level) - 1 + node) * a.bits
        let prototype = maxima.np - 1, channel = maxima.cout - 1
        let tableAddress = ((s / p.nsVec) * maxima.np + prototype) * design.outputChunksMax + channel / p.outVec
        let tableBit = t.slot(memory: sl) * t.wordBits + (channel % p.outVec) * c.formats.entry.bits
        return [
            Example(what: "the threshold of node n = \(node) of level v = \(level) of subspace s = \(s)", steps: [
                "kind 1, index = \(sl) / \(r.wordsPerBeat) = \(r.index(row: 0, memory: sl)), address = \(s) / \(p.nsVec) = \(s / p.nsVec)",
                "slot \(sl) % \(r.wordsPerBeat) = \(r.slot(memory: sl)); the threshold is data bits [\(thresholdBit) +: \(a.bits)], "
                    + "tdata bits [\(dataLow + thresholdBit) +: \(a.bits)]",
            ]),
            Example(what: "the entry of channel c = \(channel) for leaf p = \(prototype) of subspace s = \(s)", steps: [
                "kind 2, index = \(sl) / \(t.wordsPerBeat) = \(t.index(row: 0, memory: sl)), address = \(tableAddress)",
                "slot \(sl) % \(t.wordsPerBeat) = \(t.slot(memory: sl)), channel lane \(channel % p.outVec); the entry is data bits [\(tableBit) +: \(c.formats.entry.bits)], "
                    + "tdata bits [\(dataLow + tableBit) +: \(c.formats.entry.bits)]",
            ]),
            Example(what: "a layer with fewer levels than the design", steps: [
                "a layer with Np = 4 fills levels 0 and 1 and nodes 0 ... 2; its table rows are still at g x \(maxima.np) + p",
            ]),
        ]
    }

    private static func distanceExamples(_ design: PQAParameters) -> [Example] {
        let c = design.configuration, p = c.parallelism, f = c.formats, maxima = c.maxima
        let w = design.prototypeGrouping, t = design.tableGrouping, layout = design.loadBeat
        let dataLow = layout.kindBits + layout.indexBits + layout.addressBits
        let s = min(maxima.ns - 1, p.nsVec + 1), prototype = maxima.np - 1, l = maxima.ls - 1, channel = maxima.cout - 1
        let sl = s % p.nsVec, q = prototype % p.npVec, k = l / p.lsVec
        let protoAddress = ((s / p.nsVec) * design.prototypeChunksMax + prototype / p.npVec) * design.chunksMax + k
        let protoBit = w.slot(memory: q) * w.wordBits + (l % p.lsVec) * f.prototype.bits
        let tableAddress = ((s / p.nsVec) * maxima.np + prototype) * design.outputChunksMax + channel / p.outVec
        let tableBit = t.slot(memory: sl) * t.wordBits + (channel % p.outVec) * f.entry.bits
        return [
            Example(what: "element l = \(l) of prototype p = \(prototype) of subspace s = \(s)", steps: [
                "subspace lane sl = \(s) % \(p.nsVec) = \(sl), prototype lane q = \(prototype) % \(p.npVec) = \(q), element chunk k = \(l) / \(p.lsVec) = \(k)",
                "kind 1, index = \(sl) x \(w.groupsPerRow) + \(q) / \(w.wordsPerBeat) = \(w.index(row: sl, memory: q)), address = \(protoAddress)",
                "slot \(q) % \(w.wordsPerBeat) = \(w.slot(memory: q)); the element is data bits [\(protoBit) +: \(f.prototype.bits)], tdata bits [\(dataLow + protoBit) +: \(f.prototype.bits)]",
            ]),
            Example(what: "the entry of channel c = \(channel) for prototype p = \(prototype) of subspace s = \(s)", steps: [
                "kind 2, index = \(sl) / \(t.wordsPerBeat) = \(t.index(row: 0, memory: sl)), address = \(tableAddress)",
                "slot \(sl) % \(t.wordsPerBeat) = \(t.slot(memory: sl)), channel lane \(channel % p.outVec); the entry is data bits [\(tableBit) +: \(f.entry.bits)], "
                    + "tdata bits [\(dataLow + tableBit) +: \(f.entry.bits)]",
            ]),
            Example(what: "addresses use the design's maxima, not the layer's sizes", steps: [
                "a layer with Np = 4 still places prototype p of group g at prototype chunk p / \(p.npVec) of a block of \(design.prototypeChunksMax), "
                    + "and its table rows at g x \(maxima.np) + p: the dense guess g x Np + p reads words never written",
            ]),
        ]
    }
}
