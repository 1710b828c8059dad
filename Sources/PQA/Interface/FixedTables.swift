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
        for beat in try LayerProgram(layer, columns: 1, parameters: parameters).loadBeats {
            var low = 0
            func field(_ bits: Int) -> BitVector {
                defer { low += bits }
                return beat.slice(high: low + bits - 1, low: low)
            }
            let kind = Int(field(parameters.loadKindBits).lowWord), index = Int(field(parameters.loadIndexBits).lowWord)
            let address = Int(field(parameters.loadAddressBits).lowWord), data = field(parameters.loadDataBits)
            switch kind {
            case 1: prototypes[index][address] = data.truncated(to: parameters.prototypeWordBits)
            case 2: tables[index][address] = data.truncated(to: parameters.tableWordBits)
            case 3: bias[address] = data.truncated(to: parameters.biasWordBits)
            default: break  // layer registers become constants
            }
        }
        self.prototypes = prototypes
        self.tables = tables
        self.bias = bias
    }
}
