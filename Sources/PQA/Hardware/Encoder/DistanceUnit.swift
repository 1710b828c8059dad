import HDL
import PQ

/// One prototype's distance to one chunk of a column: `LsVec` lanes of
/// `|a - p|` (L1, Chebyshev) or `(a - p)^2` (L2), summed (L1, L2) or maxed
/// (Chebyshev) over the lanes that exist (`laneValid`; the others count 0).
///
/// ```
///  column, prototype, laneValid     (lane l: element chunk * LsVec + l)
///  (+1         the inputs, registered, when the prototypes are in block RAM)
///  +1          lane terms, registered
///  +1+tree     the tree over the lanes, a register every `laneLevelsPerStage` levels
///  +2+tree     partial, registered              (latency)
/// ```
struct DistanceUnit: Circuit {
    let design: PQAParameters

    /// Cycles from the inputs to `partial`.
    static func latency(_ design: PQAParameters) -> Int { 2 + inputStages(design) + design.laneStages }

    /// Registers on the inputs: one when the prototypes come from block RAM,
    /// so the route from the RAM column ends in a register beside the lanes.
    private static func inputStages(_ design: PQAParameters) -> Int { design.prototypesInBlockRAM ? 1 : 0 }

    struct Inputs: PortGroup {
        /// `LsVec` activations and `LsVec` prototype values, lane 0 lowest.
        let column, prototype: Signal
        let laneValid: [Signal]
    }

    var moduleName: String { "pqa_distance_unit" }
    var nameIncludesParameters: Bool { false }
    var parameters: [ModuleParameter] {
        let c = design.configuration
        return [.init("lanes", c.parallelism.lsVec), .init("metric", c.metric.rawValue),
                .init("lane levels per stage", c.pipelining.laneLevelsPerStage),
                .init("formats", "activation \(c.formats.activation), prototype \(c.formats.prototype)"),
                .init("distance", "\(design.widths.distance.bits) bits"),
                .init("inputs", Self.inputStages(design) > 0 ? "registered (prototypes in block RAM)" : "direct")]
    }

    func inputs(_ ports: PortFields) -> Inputs {
        let c = design.configuration, lanes = c.parallelism.lsVec
        return Inputs(column: ports("column", .unsigned(lanes * c.formats.activation.bits)),
                      prototype: ports("prototype", .unsigned(lanes * c.formats.prototype.bits)),
                      laneValid: ports.array("lane_valid", count: lanes, .bool))
    }

    func outputs(_ ports: PortFields) -> Signal { ports("partial", .unsigned(design.widths.distance.bits)) }

    func build(_ m: ModuleBuilder, inputs: Inputs, outputs partial: Signal) {
        let c = design.configuration, a = c.formats.activation, q = c.formats.prototype
        let distanceType = SignalType.unsigned(design.widths.distance.bits)
        // Both operands as signed numbers of one width that holds their difference.
        let differenceWidth = max(a.bits + (a.signed ? 0 : 1), q.bits + (q.signed ? 0 : 1)) + 1
        func signedValue(_ bits: Signal, signed: Bool) -> Signal {
            signed ? bits.asSigned.extended(to: differenceWidth) : bits.extended(to: differenceWidth).asSigned
        }
        // The largest |a - p|: one operand at its largest, the other at its smallest.
        let magnitudeBits = bitsToRepresent(max(a.maxValue - q.minValue, q.maxValue - a.minValue))
        // A lane past Ls compares two zeros (its term is zero): its operands
        // are masked as they are registered, so no mask follows the carry chains.
        let staged = Self.inputStages(design) > 0
        func operand(_ bits: Signal, _ lane: Int, _ name: String) -> Signal {
            let masked = mux(inputs.laneValid[lane], bits, m.constant(0, bits.type))
            return staged ? m.delayed(masked, name: "\(name)_\(lane)_q") : masked
        }
        let terms = (0..<c.parallelism.lsVec).map { lane -> Signal in
            let x = operand(inputs.column[high: (lane + 1) * a.bits - 1, low: lane * a.bits], lane, "column")
            let w = operand(inputs.prototype[high: (lane + 1) * q.bits - 1, low: lane * q.bits], lane, "prototype")
            let (sx, sw) = (signedValue(x, signed: a.signed), signedValue(w, signed: q.signed))
            let difference = (sx - sw).named("difference_\(lane)")
            let term: Signal
            switch c.metric {
            case .l2: term = m.product(difference, difference).asUnsigned.resized(to: distanceType.width)
            case .l1, .chebyshev:
                // Both differences at once, the sign of one choosing: one carry
                // chain deep. The magnitude keeps only the bits its largest
                // value needs (a bit kept above them is always zero, which
                // synthesis cannot see and builds as a reset from the carry chain).
                let magnitude = mux(difference < 0, (sw - sx).named("reverse_difference_\(lane)"), difference).asUnsigned
                term = magnitude.resized(to: magnitudeBits).resized(to: distanceType.width)
            }
            return m.delayed(term, name: "term_\(lane)_q")
        }
        let sum = m.reduceTree(terms, levelsPerStage: c.pipelining.laneLevelsPerStage, name: "lanes") { x, y in
            c.metric == .chebyshev ? mux(x < y, y, x) : x + y
        }
        partial <== m.delayed(sum, name: "partial_q")
    }
}
