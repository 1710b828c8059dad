import HDL

/// One layer register as the host writes it: a load beat of kind 0 with
/// `address` in its address field and the value, an unsigned integer, in its
/// whole data field. The hardware keeps `bits` of it and checks the whole
/// field against `minimum...maximum` when the layer commits.
public struct RegisterEntry: Sendable, Hashable, Codable {
    /// The register's name (`ls`, `np`, ...).
    public let name: String
    /// Its address: the load beat's address field.
    public let address: Int
    /// Bits the hardware keeps.
    public let bits: Int
    /// The legal range; any other value of the data field rejects the layer.
    public let minimum, maximum: Int
    /// Whether only powers of two within the range are legal (`np` of a tree encoder).
    public var powerOfTwo = false
    /// The value after reset.
    public let reset: Int
    /// What the value means.
    public let meaning: String

    /// The value is a flag (0 or 1), a `Bool` in the hardware.
    var isFlag: Bool { maximum == 1 && minimum == 0 && bits == 1 }

    /// The hardware type that holds the value.
    var type: SignalType { isFlag ? .bool : .unsigned(bits) }
}

extension LayerRegister {
    /// This register of hardware `configuration`.
    public func entry(_ configuration: PQAConfiguration) -> RegisterEntry {
        let maxima = configuration.maxima
        func count(_ maximum: Int, _ meaning: String) -> RegisterEntry {
            RegisterEntry(name: "\(self)", address: rawValue, bits: countType(maximum).width, minimum: 1, maximum: maximum, reset: 0,
                          meaning: meaning)
        }
        switch self {
        case .ls: return count(maxima.ls, "Ls, elements of a subvector")
        case .np:
            guard configuration.encoder == .tree else { return count(maxima.np, "Np, prototypes per codebook") }
            var entry = count(maxima.np, "Np, leaves of a tree (a power of two)")
            entry.powerOfTwo = true
            return entry
        case .ns: return count(maxima.ns, "Ns, subspaces (codebooks)")
        case .cout: return count(maxima.cout, "Cout, output channels")
        case .columns: return count(maxima.columns, "input columns the layer runs")
        case .multiplier:
            return RegisterEntry(name: "multiplier", address: rawValue, bits: configuration.multiplierBits, minimum: 1,
                                 maximum: (1 << configuration.multiplierBits) - 1, reset: 1, meaning: "requantization multiplier")
        case .shift:
            return RegisterEntry(name: "shift", address: rawValue, bits: countType(configuration.maxShift).width, minimum: 0,
                                 maximum: configuration.maxShift, reset: 0, meaning: "requantization right shift")
        case .relu:
            return RegisterEntry(name: "relu", address: rawValue, bits: 1, minimum: 0, maximum: 1, reset: 0,
                                 meaning: "1: negative outputs become 0 (after saturation)")
        }
    }

    /// Every layer register of hardware `configuration`, by address.
    public static func map(_ configuration: PQAConfiguration) -> [RegisterEntry] { allCases.map { $0.entry(configuration) } }
}

extension MACRegister {
    /// This register of the baseline `configuration`.
    public func entry(_ configuration: MACArrayConfiguration) -> RegisterEntry {
        let maxima = configuration.maxima
        func count(_ maximum: Int, _ meaning: String) -> RegisterEntry {
            RegisterEntry(name: "\(self)", address: rawValue, bits: countType(maximum).width, minimum: 1, maximum: maximum, reset: 0,
                          meaning: meaning)
        }
        switch self {
        case .d: return count(maxima.d, "D, activations of a column")
        case .cout: return count(maxima.cout, "Cout, output channels")
        case .columns: return count(maxima.columns, "input columns the layer runs")
        case .multiplier:
            return RegisterEntry(name: "multiplier", address: rawValue, bits: configuration.multiplierBits, minimum: 1,
                                 maximum: (1 << configuration.multiplierBits) - 1, reset: 1, meaning: "requantization multiplier")
        case .shift:
            return RegisterEntry(name: "shift", address: rawValue, bits: countType(configuration.maxShift).width, minimum: 0,
                                 maximum: configuration.maxShift, reset: 0, meaning: "requantization right shift")
        case .relu:
            return RegisterEntry(name: "relu", address: rawValue, bits: 1, minimum: 0, maximum: 1, reset: 0,
                                 meaning: "1: negative outputs become 0 (after saturation)")
        }
    }

    /// Every layer register of the baseline `configuration`, by address.
    public static func map(_ configuration: MACArrayConfiguration) -> [RegisterEntry] { allCases.map { $0.entry(configuration) } }
}
