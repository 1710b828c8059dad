import HDL
import PQ

/// Input and output beats of the accelerator.
///
/// An input column of `Ns x Ls` activations (the layer's `D` values padded
/// with zeros) arrives as `ceil(Ns / NsVec) x ceil(Ls / LsVec)` beats, group
/// by group and, within a group, chunk by chunk. A beat holds `NsVec x LsVec`
/// lanes: lane `sl * LsVec + ll` carries element `k * LsVec + ll` of subspace
/// `g * NsVec + sl` (zero past `Ls` or `Ns`); bits above the lanes pad `tdata`
/// to whole bytes with zeros. `tlast` marks the column's last beat.
///
/// An output column is `ceil(Cout / OutVec)` beats of `OutVec` lanes: lane
/// `o` of beat `j` is channel `j * OutVec + o` (zero past `Cout`), padding bits
/// zero; `tlast` marks the column's last beat.
public enum ColumnBeats {
    /// The input beats of one column (`Ns * Ls` or `D` values); `index` names
    /// the column in errors.
    public static func input(_ column: [Int], index: Int = 0, shape: PQShape, parameters: PQAParameters) throws -> [BitVector] {
        let p = parameters.configuration.parallelism
        let format = parameters.configuration.formats.activation
        guard column.count <= shape.ns * shape.ls, column.count > (shape.ns - 1) * shape.ls else {
            throw PQAInterfaceError.badColumn(index: index, reason: "has \(column.count) values; the layer needs \(shape.ns * shape.ls) (or its unpadded D)")
        }
        if let bad = column.firstIndex(where: { !format.contains($0) }) {
            throw PQAInterfaceError.badColumn(index: index, reason: "value \(column[bad]) at \(bad) is outside the activation format \(format)")
        }
        let padded = column + Array(repeating: 0, count: shape.ns * shape.ls - column.count)
        var beats: [BitVector] = []
        for group in 0..<ceilDivide(shape.ns, p.nsVec) {
            for chunk in 0..<ceilDivide(shape.ls, p.lsVec) {
                var lanes: [Int] = []
                for subspaceLane in 0..<p.nsVec {
                    for elementLane in 0..<p.lsVec {
                        let s = group * p.nsVec + subspaceLane, l = chunk * p.lsVec + elementLane
                        lanes.append(s < shape.ns && l < shape.ls ? padded[s * shape.ls + l] : 0)
                    }
                }
                beats.append(Lanes.pack(lanes, bits: format.bits).zeroExtended(to: parameters.activationStreamBits))
            }
        }
        return beats
    }

    /// The output beats of one column's `Cout` outputs, as the hardware sends them.
    public static func output(_ values: [Int], parameters: PQAParameters) -> [BitVector] {
        let p = parameters.configuration.parallelism, bits = parameters.configuration.formats.output.bits
        return (0..<ceilDivide(values.count, p.outVec)).map { chunk in
            Lanes.pack((0..<p.outVec).map { lane in chunk * p.outVec + lane < values.count ? values[chunk * p.outVec + lane] : 0 }, bits: bits)
                .zeroExtended(to: parameters.outputStreamBits)
        }
    }

    /// The `Cout` outputs of one column from its output beats.
    public static func outputs(_ beats: [BitVector], cout: Int, parameters: PQAParameters) -> [Int] {
        let p = parameters.configuration.parallelism, format = parameters.configuration.formats.output
        let values = beats.flatMap { Lanes.unpack($0, count: p.outVec, bits: format.bits, signed: format.signed) }
        return Array(values.prefix(cout))
    }
}
