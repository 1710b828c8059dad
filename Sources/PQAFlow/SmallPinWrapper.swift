import HDL

/// A design wrapped so that it fits any package for place and route: one
/// serial input shifts into a register that feeds every input of the
/// core, each input through a register of its own, and every output bit is
/// registered, then XOR-reduced into one registered output by a tree with a
/// register at every LUT level. Nothing of the core can be optimized away,
/// only `clk`, `rst`, `din` and `dout` need pins, and the core's paths start
/// and end at registers as they would in a real design, none of the
/// wrapper's own paths being longer than one LUT. The input registers are
/// what a real design's source registers are: free to sit beside the logic
/// they drive, where a bit of the shift register is held in its chain.
///
/// ```
///  din ─▶ shift register (sum of input widths) ─▶ input registers ─▶ core inputs
///  core outputs ─▶ registers ─▶ XOR tree (a register every 4:1) ─▶ register ─▶ dout
/// ```
public struct SmallPinWrapper: HardwareModule {
    public let core: any HardwareModule

    /// The wrapper of `core`.
    public init(_ core: any HardwareModule) { self.core = core }

    public var moduleName: String { "\(core.moduleName)_pins" }
    public var nameIncludesParameters: Bool { false }

    public func build(_ m: ModuleBuilder) {
        let din = m.input("din", .bool)
        let instance = m.instance(core, name: "u_core")
        let inputs = instance.module.ports.filter { $0.direction == .input }
        let total = inputs.reduce(0) { $0 + $1.type.width }
        var low = 0
        if total > 0 {
            let shift = m.register("shift", .unsigned(total), reset: 0)
            shift <== (total == 1 ? din.asUnsigned : concatenate([shift[high: total - 2, low: 0], din.asUnsigned]))
            for port in inputs {
                let bits = m.delayed(shift[high: low + port.type.width - 1, low: low], name: "\(port.name)_d")
                instance[port.name] <== (port.type.isBool ? bits.asBool : port.type.isSigned ? bits.asSigned : bits)
                low += port.type.width
            }
        }
        let outputs = instance.module.ports.filter { $0.direction == .output }.map { port in
            m.delayed(instance[port.name].asUnsigned, name: "\(port.name)_q")
        }
        // Every output bit into one parity bit, a register after every two
        // levels of XOR gates (one LUT4), so the wrapper's own tree is never
        // the design's critical path, however wide its outputs.
        let bits = outputs.flatMap { word in (0..<word.width).map { word.bit($0) } }
        let parity = bits.isEmpty ? m.constant(false) : m.reduceTree(bits, levelsPerStage: 2, name: "parity") { $0 ^ $1 }
        m.output("dout", .bool) <== m.delayed(parity, name: "parity", reset: 0)
    }
}
