import PQ
import PQA

/// How a network's layers follow each other on one accelerator.
public struct NetworkSchedule: Codable, Sendable, Hashable {
    /// Whether the next layer's tables (or weights) load while the current
    /// layer computes, as the double-banked hardware does; without overlap
    /// every layer loads, then computes.
    public var overlapLoads: Bool
    /// Memory bandwidth available to loads, in bits per cycle; nil: the load
    /// stream runs at its full rate of one beat per cycle.
    public var loadBitsPerCycle: Int?

    /// A schedule; `loadBitsPerCycle`, when given, must be at least 1.
    public init(overlapLoads: Bool = true, loadBitsPerCycle: Int? = nil) throws {
        if let loadBitsPerCycle, loadBitsPerCycle < 1 {
            throw PQAConfigurationError.invalid(field: "loadBitsPerCycle", value: "\(loadBitsPerCycle)", rule: "must be at least 1 bit per cycle")
        }
        self.overlapLoads = overlapLoads
        self.loadBitsPerCycle = loadBitsPerCycle
    }

    /// Loads overlapped, at one beat per cycle.
    public static let overlapped = NetworkSchedule(checkedOverlap: true, loadBitsPerCycle: nil)

    private init(checkedOverlap: Bool, loadBitsPerCycle: Int?) {
        overlapLoads = checkedOverlap
        self.loadBitsPerCycle = loadBitsPerCycle
    }
}

/// One layer's cycles on one accelerator.
public struct LayerCycles: Codable, Sendable, Hashable {
    /// Input columns (output pixels).
    public let columns: Int
    /// Compute cycles: the hardware's bound for the layer (exact against RTL).
    public let compute: Int
    /// The constant a layer adds to its bound (first column in, pipeline out).
    public let latency: Int
    /// Beats of the layer's program on the load stream.
    public let loadBeats: Int
    /// Bits the load moves from memory (tables or weights, and bias).
    public let loadBits: Int
    /// Cycles the load takes: its beats (or longer when bandwidth limits
    /// them) and the two cycles of the commit (`tlast`, then the swap).
    public let loadCycles: Int
}

/// A whole network's cycles on one accelerator.
public struct NetworkCycles: Codable, Sendable, Hashable {
    public let layers: [LayerCycles]
    public let schedule: NetworkSchedule
    /// The sum of the layers' compute cycles.
    public var computeCycles: Int { layers.reduce(0) { $0 + $1.compute } }
    /// The sum of the layers' load cycles.
    public var loadCycles: Int { layers.reduce(0) { $0 + $1.loadCycles } }
    /// Cycles of one inference with table loading, per the schedule:
    ///
    /// ```
    /// no overlap:  sum over i of (load_i + compute_i + latency_i)
    /// overlap:     load_0 + sum over i of max(compute_i + latency_i, load_(i+1))
    /// ```
    public var totalCycles: Int {
        guard schedule.overlapLoads else { return layers.reduce(0) { $0 + $1.loadCycles + $1.compute + $1.latency } }
        return (layers.first?.loadCycles ?? 0) + layers.indices.reduce(0) { total, i in
            total + max(layers[i].compute + layers[i].latency, i + 1 < layers.count ? layers[i + 1].loadCycles : 0)
        }
    }
}

/// Cycles of whole networks on the PQA core and on the MAC-array baseline,
/// from the hardware's per-layer cycle models plus table loading.
public enum NetworkCycleModel {
    /// The network's layers on a PQA design.
    public static func pqa(_ layers: [NetworkLayer], parameters: PQAParameters, schedule: NetworkSchedule = .overlapped) -> NetworkCycles {
        let model = CycleModel(parameters)
        return NetworkCycles(layers: layers.map { layer in
            cycles(columns: layer.columns, compute: model.bound(layer.shape, columns: layer.columns), latency: model.latency(layer.shape),
                   loadBeats: model.loadBeats(layer.shape), loadBits: model.loadPayloadBits(layer.shape), schedule: schedule)
        }, schedule: schedule)
    }

    /// The network's layers on a MAC-array baseline (each layer's `D` is its unpadded column length).
    public static func macArray(_ layers: [NetworkLayer], parameters: MACArrayParameters, schedule: NetworkSchedule = .overlapped) -> NetworkCycles {
        let model = MACArrayCycleModel(parameters)
        return NetworkCycles(layers: layers.map { layer in
            let d = layer.shape.inputLength, cout = layer.shape.cout
            return cycles(columns: layer.columns, compute: model.bound(d: d, cout: cout, columns: layer.columns), latency: model.latency(d: d),
                          loadBeats: model.loadBeats(d: d, cout: cout), loadBits: model.loadPayloadBits(d: d, cout: cout), schedule: schedule)
        }, schedule: schedule)
    }

    /// Cycles from a load's `tlast` beat to the swap to its bank.
    static let commitCycles = CycleModel.commitCycles

    private static func cycles(columns: Int, compute: Int, latency: Int, loadBeats: Int, loadBits: Int, schedule: NetworkSchedule) -> LayerCycles {
        let limited = schedule.loadBitsPerCycle.map { (loadBits + $0 - 1) / $0 } ?? 0
        return LayerCycles(columns: columns, compute: compute, latency: latency, loadBeats: loadBeats, loadBits: loadBits,
                           loadCycles: max(loadBeats, limited) + commitCycles)
    }
}
