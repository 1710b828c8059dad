import HDL
import PQ

/// Errors in preparing a layer for a generated accelerator.
public enum PQAInterfaceError: Error, CustomStringConvertible, Equatable {
    /// The layer does not fit the hardware.
    case layerDoesNotFit(field: String, value: String, limit: String)
    /// The layer does not match the hardware's fixed choices.
    case layerDoesNotMatch(field: String, layer: String, hardware: String)
    /// An argument is out of its range.
    case invalidArgument(field: String, value: String, allowed: String)
    /// A column has the wrong length or a value outside the activation format.
    case badColumn(index: Int, reason: String)

    public var description: String {
        switch self {
        case .layerDoesNotFit(let field, let value, let limit):
            "the layer's \(field) is \(value), but the hardware supports \(limit); regenerate with a larger configuration"
        case .layerDoesNotMatch(let field, let layer, let hardware):
            "the layer's \(field) is \(layer), but the hardware's is \(hardware); use a layer made for this design or regenerate the design for the layer"
        case .invalidArgument(let field, let value, let allowed):
            "\(field) is \(value); it must be \(allowed)"
        case .badColumn(let index, let reason):
            "column \(index): \(reason)"
        }
    }
}

/// A layer as the accelerator receives it: the load beats that write its
/// registers, prototypes, tables and bias, then the input beats of its
/// columns. Built by the host (and by the co-simulation) from an
/// `IntegerPQLayer`.
///
/// Load beat layout, least significant bits first (`PQAParameters.loadBeat`
/// gives the widths): `kind` (2 bits, a `LoadBeatKind`), `index`, `address`,
/// `data`, then zero padding to whole bytes. Beats come in this order:
/// - kind 0, the eight layer registers: `address` = `LayerRegister`, `data` = value.
/// - kind 1, prototypes (`PQAParameters.prototypeGrouping`, `W` words a beat):
///   per group `g`, prototype chunk `pc`, element chunk `k`, subspace lane
///   `sl < min(NsVec, Ns - g x NsVec)` and word group `j < ceil(min(NpVec, Np - pc x NpVec) / W)`,
///   one beat: `index` = `sl x ceil(NpVec / W) + j`,
///   `address` = `(g x ceil(NpMax / NpVec) + pc) x ceil(LsMax / LsVec) + k`,
///   `data` slot `i` = the `LsVec` values of chunk `k` of prototype `pc x NpVec + j x W + i`
///   of subspace `g x NsVec + sl`, element `l` in lane `l` (zero past `Ls`, `Np` or `NpVec`).
/// - kind 1 on a tree encoder, trees instead (`PQAParameters.treeGrouping`, `Wr` words a beat):
///   per group `g` and word group `j < ceil(min(NsVec, Ns - g x NsVec) / Wr)`, one beat: `index` = `j`,
///   `address` = `g`, `data` slot `i` = the tree word of subspace `g x NsVec + j x Wr + i`: per level `l`
///   of the hardware's `log2(NpMax)`, the split element `e` as its lane `e mod LsVec` and chunk `e / LsVec`
///   (`PQAParameters.treeLaneBits`, `treeChunkBits`), then the `NpMax - 1` thresholds in level order
///   (`activation` bits each), least significant first; levels and nodes past the layer's are zero.
/// - kind 2, tables (`PQAParameters.tableGrouping`, `Wt` words a beat): per
///   group `g`, prototype `p`, output chunk `c` and word group `j < ceil(min(NsVec, Ns - g x NsVec) / Wt)`,
///   one beat: `index` = `j`, `address` = `(g x NpMax + p) x ceil(CoutMax / OutVec) + c`,
///   `data` slot `i` = the `OutVec` entries of subspace `g x NsVec + j x Wt + i`, prototype `p`,
///   channel `c x OutVec + o` in lane `o` (zero past `Cout`, `Ns` or `NsVec`).
/// - kind 3, bias: `address` = `c / OutVec`, `data` = `OutVec` biases.
/// The last beat carries `tlast` and commits the layer.
public struct LayerProgram: Sendable {
    /// The load beats, in order; the last one commits the layer.
    public let loadBeats: [BitVector]
    /// The layer's dimensions as the hardware sees them.
    public let shape: PQShape
    /// Number of columns the layer runs.
    public let columns: Int

    /// The program for `layer` running `columns` columns on hardware `parameters`.
    public init(_ layer: IntegerPQLayer, columns: Int, parameters: PQAParameters) throws {
        try Self.check(layer, columns: columns, parameters: parameters)
        let registers: [(LayerRegister, Int)] = [
            (.ls, layer.shape.ls), (.np, layer.shape.np), (.ns, layer.shape.ns), (.cout, layer.shape.cout), (.columns, columns),
            (.multiplier, layer.requantization.multiplier), (.shift, layer.requantization.shift),
            (.relu, layer.requantization.relu ? 1 : 0),
        ]
        let layout = parameters.loadBeat
        loadBeats = registers.map { register, value in
            layout.beat(kind: LoadBeatKind.layerRegister.rawValue, index: 0, address: register.rawValue, data: BitVector(width: 32, truncating: value))
        }
            + (layer.trees.map { Self.treeBeats($0, parameters) } ?? Self.prototypeBeats(layer, parameters))
            + Self.tableBeats(layer, parameters) + Self.biasBeats(layer, parameters)
        shape = layer.shape
        self.columns = columns
    }

    /// Items of a chunk that exist: `min(size, count - chunk x size)`.
    private static func used(_ count: Int, chunk: Int, size: Int) -> Int { min(size, count - chunk * size) }

    private static func prototypeBeats(_ layer: IntegerPQLayer, _ parameters: PQAParameters) -> [BitVector] {
        let p = parameters.configuration.parallelism, shape = layer.shape, grouping = parameters.prototypeGrouping
        var beats: [BitVector] = []
        for g in 0..<ceilDivide(shape.ns, p.nsVec) {
            for pc in 0..<ceilDivide(shape.np, p.npVec) {
                for k in 0..<ceilDivide(shape.ls, p.lsVec) {
                    let address = (g * parameters.prototypeChunksMax + pc) * parameters.chunksMax + k
                    for lane in 0..<used(shape.ns, chunk: g, size: p.nsVec) {
                        for group in 0..<grouping.beats(spreading: used(shape.np, chunk: pc, size: p.npVec)) {
                            let values = (0..<grouping.wordsPerBeat).flatMap { slot -> [Int] in
                                let q = group * grouping.wordsPerBeat + slot, prototype = pc * p.npVec + q
                                let exists = q < p.npVec && prototype < shape.np
                                let vector = exists ? layer.prototypes.prototype(subspace: g * p.nsVec + lane, index: prototype) : []
                                return (0..<p.lsVec).map { l in
                                    exists && k * p.lsVec + l < shape.ls ? vector[vector.startIndex + k * p.lsVec + l] : 0
                                }
                            }
                            let index = grouping.index(row: lane, memory: group * grouping.wordsPerBeat)
                            beats.append(parameters.loadBeat.beat(kind: LoadBeatKind.prototypes.rawValue, index: index, address: address,
                                                                  data: Lanes.pack(values, bits: parameters.formats.prototype.bits)))
                        }
                    }
                }
            }
        }
        return beats
    }

    private static func treeBeats(_ trees: EncodingTrees<Int>, _ parameters: PQAParameters) -> [BitVector] {
        let p = parameters.configuration.parallelism, grouping = parameters.treeGrouping
        var beats: [BitVector] = []
        for g in 0..<ceilDivide(trees.ns, p.nsVec) {
            for group in 0..<grouping.beats(spreading: used(trees.ns, chunk: g, size: p.nsVec)) {
                let words = (0..<grouping.wordsPerBeat).map { slot -> BitVector in
                    let lane = group * grouping.wordsPerBeat + slot, s = g * p.nsVec + lane
                    return lane < p.nsVec && s < trees.ns ? treeWord(trees, subspace: s, parameters) : .zero(width: parameters.treeWordBits)
                }
                beats.append(parameters.loadBeat.beat(kind: LoadBeatKind.prototypes.rawValue, index: group, address: g,
                                                      data: packed(words)))
            }
        }
        return beats
    }

    /// Subspace `s`'s tree word (see the type's documentation).
    static func treeWord(_ trees: EncodingTrees<Int>, subspace s: Int, _ parameters: PQAParameters) -> BitVector {
        let p = parameters.configuration.parallelism, a = parameters.formats.activation
        var fields: [BitVector] = []
        for level in 0..<parameters.treeLevels {
            let element = level < trees.depth ? trees.split(subspace: s, level: level) : 0
            fields.append(BitVector(width: parameters.treeLaneBits, truncating: element % p.lsVec))
            fields.append(BitVector(width: parameters.treeChunkBits, truncating: element / p.lsVec))
        }
        for node in 0..<(parameters.configuration.maxima.np - 1) {
            let level = Int.bitWidth - (node + 1).leadingZeroBitCount - 1
            let value = level < trees.depth ? trees.threshold(subspace: s, level: level, node: node + 1 - (1 << level)) : 0
            fields.append(BitVector(width: a.bits, truncating: value))
        }
        return packed(fields)
    }

    /// `fields` side by side, the first least significant.
    private static func packed(_ fields: [BitVector]) -> BitVector {
        fields.dropFirst().reduce(fields[0]) { low, high in high.concatenated(low) }
    }

    private static func tableBeats(_ layer: IntegerPQLayer, _ parameters: PQAParameters) -> [BitVector] {
        let c = parameters.configuration, p = c.parallelism, shape = layer.shape, grouping = parameters.tableGrouping
        var beats: [BitVector] = []
        for g in 0..<ceilDivide(shape.ns, p.nsVec) {
            for prototype in 0..<shape.np {
                for chunk in 0..<ceilDivide(shape.cout, p.outVec) {
                    let address = (g * c.maxima.np + prototype) * parameters.outputChunksMax + chunk
                    for group in 0..<grouping.beats(spreading: used(shape.ns, chunk: g, size: p.nsVec)) {
                        let entries = (0..<grouping.wordsPerBeat).flatMap { slot -> [Int] in
                            let lane = group * grouping.wordsPerBeat + slot, s = g * p.nsVec + lane
                            return (0..<p.outVec).map { o in
                                let channel = chunk * p.outVec + o
                                return lane < p.nsVec && s < shape.ns && channel < shape.cout
                                    ? layer.table.entry(subspace: s, prototype: prototype, channel: channel) : 0
                            }
                        }
                        beats.append(parameters.loadBeat.beat(kind: LoadBeatKind.table.rawValue, index: group, address: address,
                                                              data: Lanes.pack(entries, bits: parameters.formats.entry.bits)))
                    }
                }
            }
        }
        return beats
    }

    private static func biasBeats(_ layer: IntegerPQLayer, _ parameters: PQAParameters) -> [BitVector] {
        let p = parameters.configuration.parallelism, shape = layer.shape
        return (0..<ceilDivide(shape.cout, p.outVec)).map { chunk in
            let biases = (0..<p.outVec).map { chunk * p.outVec + $0 < shape.cout ? layer.bias[chunk * p.outVec + $0] : 0 }
            return parameters.loadBeat.beat(kind: LoadBeatKind.bias.rawValue, index: 0, address: chunk,
                                            data: Lanes.pack(biases, bits: parameters.formats.bias.bits))
        }
    }

    static func check(_ layer: IntegerPQLayer, columns: Int, parameters: PQAParameters) throws {
        let configuration = parameters.configuration, maxima = configuration.maxima
        func fits(_ field: String, _ value: Int, _ limit: Int) throws {
            guard value <= limit else { throw PQAInterfaceError.layerDoesNotFit(field: field, value: "\(value)", limit: "at most \(limit)") }
        }
        try fits("Ls", layer.shape.ls, maxima.ls)
        try fits("Np", layer.shape.np, maxima.np)
        try fits("Ns", layer.shape.ns, maxima.ns)
        try fits("Cout", layer.shape.cout, maxima.cout)
        try fits("column count", columns, maxima.columns)
        guard columns >= 1 else { throw PQAInterfaceError.invalidArgument(field: "column count", value: "\(columns)", allowed: "at least 1") }
        guard layer.encoder == configuration.encoder else {
            throw PQAInterfaceError.layerDoesNotMatch(field: "encoder", layer: layer.encoder.rawValue, hardware: configuration.encoder.rawValue)
        }
        guard layer.encoder == .tree || layer.metric == configuration.metric else {
            throw PQAInterfaceError.layerDoesNotMatch(field: "metric", layer: layer.metric.rawValue, hardware: configuration.metric.rawValue)
        }
        guard layer.formats == configuration.formats else {
            throw PQAInterfaceError.layerDoesNotMatch(field: "formats", layer: "\(layer.formats)", hardware: "\(configuration.formats)")
        }
        try fits("requantization multiplier", layer.requantization.multiplier, (1 << configuration.multiplierBits) - 1)
        try fits("requantization shift", layer.requantization.shift, configuration.maxShift)
    }
}
