import Foundation
import HDLSim
import PQ
import PQA

/// The bit widths of one exploration point.
public struct ExplorationBits: Codable, Sendable, Hashable {
    /// Activation (and, by default, prototype) bits, unsigned.
    public var activation: Int
    /// Prototype bits, unsigned; the activation's when absent.
    public var prototype: Int?
    /// Table entry bits, signed.
    public var entry: Int

    public init(activation: Int, prototype: Int? = nil, entry: Int) {
        self.activation = activation
        self.prototype = prototype
        self.entry = entry
    }
}

/// What `pqa explore` sweeps: every combination of the listed parallelism,
/// bit widths and metrics, for the largest layer of a network. Read from JSON:
///
/// ```json
/// { "lsVec": [3, 9], "npVec": [8, 16], "nsVec": [1, 2], "outVec": [8, 16],
///   "bits": [{"activation": 8, "entry": 8}, {"activation": 4, "entry": 6}],
///   "metric": ["l1"], "target": "xilinx7", "device": "85k" }
/// ```
///
/// `device` (optional) adds place and route on that Lattice device for Fmax.
/// Parallelism beyond a maximum is clipped to it; duplicates are dropped.
public struct ExplorationSpace: Codable, Sendable, Hashable {
    public var lsVec: [Int]
    public var npVec: [Int]
    public var nsVec: [Int]
    public var outVec: [Int]
    public var bits: [ExplorationBits]
    public var metric: [DistanceMetric]
    public var target: SynthesisTarget
    public var device: PlaceAndRouteDevice?

    public init(lsVec: [Int], npVec: [Int], nsVec: [Int], outVec: [Int], bits: [ExplorationBits], metric: [DistanceMetric],
                target: SynthesisTarget, device: PlaceAndRouteDevice? = nil) {
        self.lsVec = lsVec
        self.npVec = npVec
        self.nsVec = nsVec
        self.outVec = outVec
        self.bits = bits
        self.metric = metric
        self.target = target
        self.device = device
    }

    /// Reads a space, naming the file and the field at fault.
    public static func read(from url: URL) throws -> ExplorationSpace {
        let space = try decodeConfiguration(ExplorationSpace.self, from: url)
        try space.validate()
        return space
    }

    /// Checks that every list is non-empty and every value positive.
    public func validate() throws {
        for (field, values) in [("lsVec", lsVec), ("npVec", npVec), ("nsVec", nsVec), ("outVec", outVec)] {
            guard !values.isEmpty, values.allSatisfy({ $0 >= 1 }) else {
                throw PQAConfigurationError.invalid(field: field, value: "\(values)", rule: "must list at least one value, each at least 1")
            }
        }
        guard !bits.isEmpty else { throw PQAConfigurationError.invalid(field: "bits", value: "[]", rule: "must list at least one entry") }
        guard !metric.isEmpty else { throw PQAConfigurationError.invalid(field: "metric", value: "[]", rule: "must list l2, l1 or chebyshev") }
        if let device, device.target != target {
            throw PQAConfigurationError.invalid(field: "device", value: device.rawValue,
                                                rule: "is an \(device.target.rawValue) device; set target to \(device.target.rawValue) or drop device")
        }
    }

    /// The PQA configurations of the space for `layers` (maxima: their
    /// largest Ls, Np, Ns, Cout and columns), in a stable order.
    public func configurations(for layers: [NetworkLayer]) throws -> [PQAConfiguration] {
        guard !layers.isEmpty else { throw PQAConfigurationError.invalid(field: "network", value: "no layers", rule: "needs at least one layer") }
        let maxima = PQAConfiguration.Maxima(
            ls: layers.map(\.shape.ls).max() ?? 1, np: layers.map(\.shape.np).max() ?? 1, ns: layers.map(\.shape.ns).max() ?? 1,
            cout: layers.map(\.shape.cout).max() ?? 1, columns: layers.map(\.columns).max() ?? 1)
        var seen = Set<PQAConfiguration>(), result: [PQAConfiguration] = []
        for bits in bits {
            for metric in metric {
                for ls in lsVec {
                    for np in npVec {
                        for ns in nsVec {
                            for out in outVec {
                                let configuration = PQAConfiguration(
                                    maxima: maxima,
                                    parallelism: .init(lsVec: min(ls, maxima.ls), npVec: min(np, maxima.np), nsVec: min(ns, maxima.ns),
                                                       outVec: min(out, maxima.cout)),
                                    formats: try Self.formats(bits), multiplierBits: 8, maxShift: 24, metric: metric,
                                    pipelining: .standard)
                                try configuration.validate()
                                if seen.insert(configuration).inserted { result.append(configuration) }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Unsigned activations and prototypes, signed entries, 16-bit bias and
    /// outputs as wide as the activations.
    static func formats(_ bits: ExplorationBits) throws -> LayerFormats {
        LayerFormats(activation: try .unsigned(bits.activation), prototype: try .unsigned(bits.prototype ?? bits.activation),
                     entry: try .signed(bits.entry), bias: try .signed(16), output: try .signed(bits.activation))
    }

    /// A short, stable name of a point: a hash of the network (its name, and
    /// each layer's shape and columns, which its cycles depend on), the
    /// configuration, the target and the device.
    public func pointID(_ configuration: PQAConfiguration, network: String, layers: [NetworkLayer]) throws -> String {
        var hash = ContentHash()
        hash.add(network)
        for layer in layers { hash.add("\(layer.shape) x \(layer.columns)") }
        hash.add(try configuration.json())
        hash.add(target.rawValue)
        hash.add(device?.rawValue ?? "")
        return String(hash.hex.prefix(12))
    }
}
