import HDL
import HDLSim
import PQA

/// One design a comparison measures: the PQA core or the MAC-array baseline
/// at one parallelism, sized for a network's largest layer.
public enum ComparisonHardware: Codable, Sendable, Hashable {
    case pqa(PQAConfiguration)
    case baseline(MACArrayConfiguration)

    public var isPQA: Bool { if case .pqa = self { true } else { false } }

    /// The top module: `pqa_core` or `mac_array_core`.
    public var moduleName: String { isPQA ? "pqa_core" : "mac_array_core" }

    /// The generated design.
    public func core() throws -> any HardwareModule {
        switch self {
        case .pqa(let configuration): try PQACore(configuration)
        case .baseline(let configuration): try MACArrayCore(configuration)
        }
    }

    /// `LsVec 9 NpVec 8 NsVec 16 OutVec 32` or `InVec 18 OutVec 16, LUT multipliers`.
    public var parallelism: String {
        switch self {
        case .pqa(let c):
            let p = c.parallelism
            return "LsVec \(p.lsVec) NpVec \(p.npVec) NsVec \(p.nsVec) OutVec \(p.outVec)"
        case .baseline(let c):
            return "InVec \(c.parallelism.inVec) OutVec \(c.parallelism.outVec), \(c.multipliers == .luts ? "LUT" : "DSP") multipliers"
        }
    }

    /// The largest layer the design holds: `Ls 9 Np 8 Ns 64 Cout 64` or `D 576 Cout 64`.
    public var maxima: String {
        switch self {
        case .pqa(let c): "Ls \(c.maxima.ls) Np \(c.maxima.np) Ns \(c.maxima.ns) Cout \(c.maxima.cout)"
        case .baseline(let c): "D \(c.maxima.d) Cout \(c.maxima.cout)"
        }
    }

    /// Twelve hex digits naming the design: a hash of its configuration.
    public var id: String {
        get throws {
            var hash = ContentHash()
            switch self {
            case .pqa(let c): hash.add("pqa " + (try c.json()))
            case .baseline(let c): hash.add("baseline " + (try c.json()))
            }
            return String(hash.hex.prefix(12))
        }
    }

    /// Cycles of one inference of `layers` on the design.
    public func cycles(_ layers: [NetworkLayer], schedule: NetworkSchedule) throws -> NetworkCycles {
        switch self {
        case .pqa(let c): NetworkCycleModel.pqa(layers, parameters: try PQAParameters(c), schedule: schedule)
        case .baseline(let c): NetworkCycleModel.macArray(layers, parameters: try MACArrayParameters(c), schedule: schedule)
        }
    }

    /// A replica with `1/factor` of the design's lanes, each lane as it is
    /// (the same widths and memory depths), for timing a design too large
    /// for the device: PQA gives up subspace lanes (`NsVec`, with the
    /// subspaces they hold), then output lanes (`OutVec`, with their
    /// channels); the baseline gives up output lanes, then input lanes (with
    /// their share of `D`). Only what divides evenly is given up; nil when
    /// the design cannot shrink by `factor` (a power of two) that way.
    public func scaled(by factor: Int) throws -> ComparisonHardware? {
        guard factor >= 1, factor & (factor - 1) == 0 else { return nil }
        var remaining = factor
        /// `lanes / r` and the maximum `groups x lanes / r`, for the largest power of two `r` dividing both `lanes` and `remaining`.
        func shrink(_ lanes: Int, _ maximum: Int) -> (lanes: Int, maximum: Int) {
            var r = 1
            while r * 2 <= remaining, lanes % (r * 2) == 0 { r *= 2 }
            remaining /= r
            return (lanes / r, (maximum + lanes - 1) / lanes * (lanes / r))
        }
        switch self {
        case .pqa(var c):
            (c.parallelism.nsVec, c.maxima.ns) = shrink(c.parallelism.nsVec, c.maxima.ns)
            (c.parallelism.outVec, c.maxima.cout) = shrink(c.parallelism.outVec, c.maxima.cout)
            guard remaining == 1 else { return nil }
            try c.validate()
            return .pqa(c)
        case .baseline(var c):
            (c.parallelism.outVec, c.maxima.cout) = shrink(c.parallelism.outVec, c.maxima.cout)
            (c.parallelism.inVec, c.maxima.d) = shrink(c.parallelism.inVec, c.maxima.d)
            guard remaining == 1 else { return nil }
            try c.validate()
            return .baseline(c)
        }
    }
}
