import HDL

/// The fields of a load beat, least significant first: `kind` (what the beat
/// writes), `index` (which memory bank), `address` (the word in the bank, or
/// the layer register) and `data`. Both cores and their host-side programs
/// share it.
public struct LoadBeatLayout: Sendable, Hashable {
    /// Bits of each field.
    public let kindBits, indexBits, addressBits, dataBits: Int

    /// Bits of the fields together.
    public var beatBits: Int { kindBits + indexBits + addressBits + dataBits }
    /// Bits of the stream's `tdata`: the fields padded with zeros to whole bytes.
    public var streamBits: Int { byteAligned(beatBits) }

    /// The `tdata` writing `data` at `address` of the memories `index` names
    /// (`kind` its raw value), padded with zeros to `streamBits`.
    public func beat(kind: Int, index: Int, address: Int, data: BitVector) -> BitVector {
        BitVector(width: dataBits, words: data.words)
            .concatenated(BitVector(width: addressBits, truncating: address))
            .concatenated(BitVector(width: indexBits, truncating: index))
            .concatenated(BitVector(width: kindBits, truncating: kind))
            .zeroExtended(to: streamBits)
    }

    /// The fields of `beat`: kind, index, address and data.
    public func fields(of beat: BitVector) -> (kind: Int, index: Int, address: Int, data: BitVector) {
        var low = 0
        func field(_ bits: Int) -> BitVector {
            defer { low += bits }
            return beat.slice(high: low + bits - 1, low: low)
        }
        let kind = Int(field(kindBits).lowWord), index = Int(field(indexBits).lowWord)
        let address = Int(field(addressBits).lowWord)
        return (kind, index, address, field(dataBits))
    }
}

/// What a load beat of the PQA core writes: its `kind` field.
public enum LoadBeatKind: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// A layer register: `address` is a `LayerRegister`, `data` its value.
    case layerRegister = 0
    /// A word of `LsVec` prototype values.
    case prototypes
    /// A word of `OutVec` table entries.
    case table
    /// A word of `OutVec` biases.
    case bias

    /// `layer register`, `prototypes`, `table`, `bias`.
    public var description: String {
        switch self {
        case .layerRegister: "layer register"
        case .prototypes: "prototypes"
        case .table: "table"
        case .bias: "bias"
        }
    }
}

/// What a load beat of the MAC-array baseline writes: its `kind` field.
public enum MACArrayLoadBeatKind: Int, CaseIterable, Sendable {
    /// A layer register: `address` is a `MACRegister`, `data` its value.
    case layerRegister = 0
    /// A word of `InVec` weights of one output channel.
    case weights
    /// A word of `OutVec` biases.
    case bias
}
