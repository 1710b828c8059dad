import Foundation

/// One design of a comparison, measured: its synthesized resources, its
/// cycles per inference of the network, and its clock.
public struct ComparedDesign: Codable, Sendable {
    public let hardware: ComparisonHardware
    /// The family synthesis counted resources for.
    public let target: SynthesisTarget
    public let resources: [Resource: Int]
    /// Yosys's version line and the synthesis time.
    public let synthesisTool: String
    public let synthesisSeconds: Double
    /// Cycles of one inference (with the schedule's loads) and its compute part.
    public let cycles: Int
    public let computeCycles: Int
    /// The clock; nil when no replica of the design could be timed.
    public let clock: DesignClock?
    /// Why there is no clock.
    public let clockProblem: String?

    /// `pqa_core` or `mac_array_core`.
    public var design: String { hardware.moduleName }

    /// The area under `weighting`, in its unit.
    public func area(_ weighting: AreaWeighting) -> Double { weighting.area(resources, target: target) }

    /// Inferences per second per 1000 units of area under `weighting`; nil without a clock.
    public func performancePerArea(_ weighting: AreaWeighting) -> Double? {
        clock.map { $0.mhz * 1e6 / Double(cycles) / (area(weighting) / 1000) }
    }

    /// The design at another clock.
    func clocked(_ clock: DesignClock) -> ComparedDesign {
        ComparedDesign(hardware: hardware, target: target, resources: resources, synthesisTool: synthesisTool, synthesisSeconds: synthesisSeconds,
                       cycles: cycles, computeCycles: computeCycles, clock: clock, clockProblem: nil)
    }
}

/// PQA against the baseline at one table-3 point: each side's best
/// candidate, both clocked at the same scale, and every candidate at its own clock.
public struct ComparisonRow: Codable, Sendable {
    /// The point's place in the network's `table3_points`, from 1.
    public let number: Int
    public let ls, np: Int
    /// Activation and prototype bits, and table-entry (and baseline weight) bits.
    public let activationBits, entryBits: Int
    /// The weighting the candidates were ranked by.
    public let rankedBy: AreaWeighting
    public let pqa, baseline: ComparedDesign
    /// Every candidate of both sides, each at the clock of its own smallest
    /// replica that fits, as they were ranked.
    public let candidates: [ComparedDesign]

    /// `Ls 9 Np 8 6/5b`.
    public var point: String { "Ls \(ls) Np \(np) \(activationBits)/\(entryBits)b" }

    /// PQA's performance per area over the baseline's, under `weighting`.
    public func ratio(_ weighting: AreaWeighting) -> Double? {
        guard let mine = pqa.performancePerArea(weighting), let theirs = baseline.performancePerArea(weighting) else { return nil }
        return mine / theirs
    }
}
