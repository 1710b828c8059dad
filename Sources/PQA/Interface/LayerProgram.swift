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
/// gives the widths): `kind` (2 bits, a `LoadBeatKind`), `index`, `address`, `data`.
/// - kind 0, a layer register: `address` = `LayerRegister`, `data` = value.
/// - kind 1, prototypes: `index` = `s % NsVec * NpVec + p % NpVec`,
///   `address` = `((s / NsVec) * ceil(NpMax / NpVec) + p / NpVec) * ceil(LsMax / LsVec) + l / LsVec`,
///   `data` = `LsVec` values, element `l % LsVec` at bits `[lane * bits +: bits]`.
/// - kind 2, tables: `index` = `s % NsVec`,
///   `address` = `((s / NsVec) * NpMax + p) * ceil(CoutMax / OutVec) + c / OutVec`,
///   `data` = `OutVec` entries, channel `c % OutVec` in lane `c % OutVec`.
/// - kind 3, bias: `address` = `c / OutVec`, `data` = `OutVec` biases.
/// The beat with `tlast` set commits the layer.
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
        let p = parameters.configuration.parallelism
        let shape = layer.shape
        var beats: [BitVector] = []
        func beat(_ kind: LoadBeatKind, index: Int, address: Int, data: BitVector) {
            beats.append(parameters.loadBeat.beat(kind: kind.rawValue, index: index, address: address, data: data))
        }
        func lanes(_ values: [Int], bits: Int) -> BitVector { Lanes.pack(values, bits: bits) }
        let registers: [(LayerRegister, Int)] = [
            (.ls, shape.ls), (.np, shape.np), (.ns, shape.ns), (.cout, shape.cout), (.columns, columns),
            (.multiplier, layer.requantization.multiplier), (.shift, layer.requantization.shift),
            (.relu, layer.requantization.relu ? 1 : 0),
        ]
        for (register, value) in registers {
            beat(.layerRegister, index: 0, address: register.rawValue, data: BitVector(width: 32, truncating: value))
        }
        let chunks = ceilDivide(shape.ls, p.lsVec)
        for s in 0..<shape.ns {
            for prototype in 0..<shape.np {
                let values = layer.prototypes.prototype(subspace: s, index: prototype)
                for k in 0..<chunks {
                    let lane = (0..<p.lsVec).map { k * p.lsVec + $0 < shape.ls ? values[values.startIndex + k * p.lsVec + $0] : 0 }
                    let address = ((s / p.nsVec) * parameters.prototypeChunksMax + prototype / p.npVec) * parameters.chunksMax + k
                    beat(.prototypes, index: (s % p.nsVec) * p.npVec + prototype % p.npVec, address: address,
                         data: lanes(lane, bits: parameters.formats.prototype.bits))
                }
            }
        }
        let outChunks = ceilDivide(shape.cout, p.outVec)
        for s in 0..<shape.ns {
            for prototype in 0..<shape.np {
                for chunk in 0..<outChunks {
                    let entries = (0..<p.outVec).map { lane -> Int in
                        let c = chunk * p.outVec + lane
                        return c < shape.cout ? layer.table.entry(subspace: s, prototype: prototype, channel: c) : 0
                    }
                    let address = ((s / p.nsVec) * parameters.configuration.maxima.np + prototype) * parameters.outputChunksMax + chunk
                    beat(.table, index: s % p.nsVec, address: address, data: lanes(entries, bits: parameters.formats.entry.bits))
                }
            }
        }
        for chunk in 0..<outChunks {
            let biases = (0..<p.outVec).map { chunk * p.outVec + $0 < shape.cout ? layer.bias[chunk * p.outVec + $0] : 0 }
            beat(.bias, index: 0, address: chunk, data: lanes(biases, bits: parameters.formats.bias.bits))
        }
        loadBeats = beats
        self.shape = shape
        self.columns = columns
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
        guard layer.metric == configuration.metric else {
            throw PQAInterfaceError.layerDoesNotMatch(field: "metric", layer: layer.metric.rawValue, hardware: configuration.metric.rawValue)
        }
        guard layer.formats == configuration.formats else {
            throw PQAInterfaceError.layerDoesNotMatch(field: "formats", layer: "\(layer.formats)", hardware: "\(configuration.formats)")
        }
        try fits("requantization multiplier", layer.requantization.multiplier, (1 << configuration.multiplierBits) - 1)
        try fits("requantization shift", layer.requantization.shift, configuration.maxShift)
    }
}
