import HDL
import PQ

/// A layer as the MAC array receives it: the load beats that write its
/// registers, weights and bias, and the beats of its columns.
///
/// Load beat layout, least significant bits first (`MACArrayParameters.loadBeat`
/// gives the widths): `kind` (2 bits, a `MACArrayLoadBeatKind`), `index`, `address`, `data`.
/// - kind 0, a layer register: `address` = `MACRegister`, `data` = value.
/// - kind 1, weights: `index` = `c % OutVec`, `address` = `(c / OutVec) * ceil(DMax / InVec) + k`,
///   `data` = `InVec` weights of channel `c`, element `k * InVec + i` in lane `i` (zero past `D`).
/// - kind 2, bias: `address` = `c / OutVec`, `data` = `OutVec` biases.
/// The beat with `tlast` set commits the layer.
///
/// An input column of `D` activations is `ceil(D / InVec)` beats of `InVec`
/// lanes (zero past `D`); an output column is `ceil(Cout / OutVec)` beats
/// of `OutVec` lanes, as for the PQA core. Every stream's `tdata` is padded
/// with zeros to whole bytes.
public struct MACArrayProgram: Sendable {
    /// The load beats, in order; the last one commits the layer.
    public let loadBeats: [BitVector]
    /// Number of columns the layer runs.
    public let columns: Int

    /// The program for `layer` running `columns` columns on hardware `parameters`.
    public init(_ layer: IntegerLinearLayer, columns: Int, parameters: MACArrayParameters) throws {
        let c = parameters.configuration, p = c.parallelism
        func fits(_ field: String, _ value: Int, _ limit: Int) throws {
            guard value <= limit else { throw PQAInterfaceError.layerDoesNotFit(field: field, value: "\(value)", limit: "at most \(limit)") }
        }
        try fits("D", layer.d, c.maxima.d)
        try fits("Cout", layer.cout, c.maxima.cout)
        try fits("column count", columns, c.maxima.columns)
        try fits("requantization multiplier", layer.requantization.multiplier, (1 << c.multiplierBits) - 1)
        try fits("requantization shift", layer.requantization.shift, c.maxShift)
        guard columns >= 1 else { throw PQAInterfaceError.invalidArgument(field: "column count", value: "\(columns)", allowed: "at least 1") }
        guard layer.formats == c.formats else {
            throw PQAInterfaceError.layerDoesNotMatch(field: "formats", layer: "\(layer.formats)", hardware: "\(c.formats)")
        }
        var beats: [BitVector] = []
        func beat(_ kind: MACArrayLoadBeatKind, index: Int, address: Int, data: BitVector) {
            beats.append(parameters.loadBeat.beat(kind: kind.rawValue, index: index, address: address, data: data))
        }
        let registers: [(MACRegister, Int)] = [
            (.d, layer.d), (.cout, layer.cout), (.columns, columns), (.multiplier, layer.requantization.multiplier),
            (.shift, layer.requantization.shift), (.relu, layer.requantization.relu ? 1 : 0),
        ]
        for (register, value) in registers {
            beat(.layerRegister, index: 0, address: register.rawValue, data: BitVector(width: 32, truncating: value))
        }
        let inChunks = ceilDivide(layer.d, p.inVec)
        for (channel, row) in layer.weights.enumerated() {
            for chunk in 0..<inChunks {
                let lanes = (0..<p.inVec).map { chunk * p.inVec + $0 < layer.d ? row[chunk * p.inVec + $0] : 0 }
                beat(.weights, index: channel % p.outVec, address: (channel / p.outVec) * parameters.inChunksMax + chunk,
                     data: Lanes.pack(lanes, bits: c.formats.weight.bits))
            }
        }
        for chunk in 0..<ceilDivide(layer.cout, p.outVec) {
            let biases = (0..<p.outVec).map { chunk * p.outVec + $0 < layer.cout ? layer.bias[chunk * p.outVec + $0] : 0 }
            beat(.bias, index: 0, address: chunk, data: Lanes.pack(biases, bits: c.formats.bias.bits))
        }
        loadBeats = beats
        self.columns = columns
    }

    /// The input beats of one column of `D` activations; `index` names the column in errors.
    public static func inputBeats(_ column: [Int], index: Int = 0, parameters: MACArrayParameters) throws -> [BitVector] {
        let p = parameters.configuration.parallelism, format = parameters.configuration.formats.activation
        if let bad = column.firstIndex(where: { !format.contains($0) }) {
            throw PQAInterfaceError.badColumn(index: index, reason: "value \(column[bad]) at \(bad) is outside the activation format \(format)")
        }
        return (0..<ceilDivide(column.count, p.inVec)).map { chunk in
            Lanes.pack((0..<p.inVec).map { chunk * p.inVec + $0 < column.count ? column[chunk * p.inVec + $0] : 0 }, bits: format.bits)
                .zeroExtended(to: parameters.activationStreamBits)
        }
    }

    /// The output beats of one column's `Cout` outputs.
    public static func outputBeats(_ outputs: [Int], parameters: MACArrayParameters) -> [BitVector] {
        let p = parameters.configuration.parallelism, bits = parameters.configuration.formats.output.bits
        return (0..<ceilDivide(outputs.count, p.outVec)).map { chunk in
            Lanes.pack((0..<p.outVec).map { chunk * p.outVec + $0 < outputs.count ? outputs[chunk * p.outVec + $0] : 0 }, bits: bits)
                .zeroExtended(to: parameters.outputStreamBits)
        }
    }
}
