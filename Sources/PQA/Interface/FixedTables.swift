import HDL
import PQ

/// The ROM images of a fixed-table design: the words the load stream would
/// write into bank 0, decoded from the layer's `LayerProgram`.
struct FixedTables: Sendable {
    /// The baked layer.
    let layer: IntegerPQLayer
    /// Per prototype memory (`s * NpVec + p`), its words.
    let prototypes: [[BitVector]]
    /// Per table memory (`s`), its words.
    let tables: [[BitVector]]
    let bias: [BitVector]

    init(_ layer: IntegerPQLayer, parameters: PQAParameters) throws {
        self.layer = layer
        let p = parameters.configuration.parallelism
        var prototypes = Array(repeating: Array(repeating: BitVector.zero(width: parameters.prototypeWordBits), count: parameters.prototypeWords),
                               count: p.nsVec * p.npVec)
        var tables = Array(repeating: Array(repeating: BitVector.zero(width: parameters.tableWordBits), count: parameters.tableWords),
                           count: p.nsVec)
        var bias = Array(repeating: BitVector.zero(width: parameters.biasWordBits), count: parameters.biasWords)
        /// The words of a beat's data field, slot by slot.
        func words(_ data: BitVector, _ grouping: WordGrouping) -> [BitVector] {
            (0..<grouping.wordsPerBeat).map { data.slice(high: ($0 + 1) * grouping.wordBits - 1, low: $0 * grouping.wordBits) }
        }
        let prototypeGrouping = parameters.prototypeGrouping, tableGrouping = parameters.tableGrouping
        for beat in try LayerProgram(layer, columns: 1, parameters: parameters).loadBeats {
            let (kind, index, address, data) = parameters.loadBeat.fields(of: beat)
            switch LoadBeatKind(rawValue: kind) {
            case .prototypes:
                for (target, word) in zip(prototypeGrouping.targets(index: index), words(data, prototypeGrouping)) {
                    prototypes[target.row * p.npVec + target.memory][address] = word
                }
            case .table:
                for (target, word) in zip(tableGrouping.targets(index: index), words(data, tableGrouping)) { tables[target.memory][address] = word }
            case .bias: bias[address] = data.truncated(to: parameters.biasWordBits)
            case .layerRegister, nil: break  // layer registers become constants
            }
        }
        self.prototypes = prototypes
        self.tables = tables
        self.bias = bias
    }
}
