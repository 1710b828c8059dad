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
        let staged = Self.inputStages(design) > 0
        let column = staged ? m.delayed(inputs.column, name: "column_q") : inputs.column
        let prototype = staged ? m.delayed(inputs.prototype, name: "prototype_q") : inputs.prototype
        let laneValid = staged ? inputs.laneValid.enumerated().map { m.delayed($1, name: "lane_valid_\($0)_q") } : inputs.laneValid
        let terms = (0..<c.parallelism.lsVec).map { lane -> Signal in
            let x = column[high: (lane + 1) * a.bits - 1, low: lane * a.bits]
            let w = prototype[high: (lane + 1) * q.bits - 1, low: lane * q.bits]
            let (sx, sw) = (signedValue(x, signed: a.signed), signedValue(w, signed: q.signed))
            let difference = (sx - sw).named("difference_\(lane)")
            let term: Signal
            switch c.metric {
            case .l2: term = m.product(difference, difference).asUnsigned.resized(to: distanceType.width)
            case .l1, .chebyshev:
                // Both differences at once, the sign of one choosing: one carry chain deep.
                term = mux(difference < 0, (sw - sx).named("reverse_difference_\(lane)"), difference).asUnsigned.resized(to: distanceType.width)
            }
            return m.delayed(mux(laneValid[lane], term, m.constant(0, distanceType)), name: "term_\(lane)_q")
        }
        let sum = m.reduceTree(terms, levelsPerStage: c.pipelining.laneLevelsPerStage, name: "lanes") { x, y in
            c.metric == .chebyshev ? mux(x < y, y, x) : x + y
        }
        partial <== m.delayed(sum, name: "partial_q")
    }
}
