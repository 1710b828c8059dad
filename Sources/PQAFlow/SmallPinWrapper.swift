import HDL

/// A design wrapped so that it fits any package for place and route: one
/// serial input shifts into a register that drives every input of the
/// core, and every output bit is registered, then XOR-reduced into one
/// registered output. Nothing of the core can be optimized away, only
/// `clk`, `rst`, `din` and `dout` need pins, and the core's paths end at
/// registers as they would in a real design (the XOR tree is a path of its own).
///
/// ```
///  din ─▶ shift register (sum of input widths) ─▶ core inputs
///  core outputs ─▶ registers ─▶ XOR of every bit ─▶ register ─▶ dout
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
                let bits = shift[high: low + port.type.width - 1, low: low]
                instance[port.name] <== (port.type.isBool ? bits.asBool : port.type.isSigned ? bits.asSigned : bits)
                low += port.type.width
            }
        }
        let outputs = instance.module.ports.filter { $0.direction == .output }.map { port in
            m.delayed(instance[port.name].asUnsigned, name: "\(port.name)_q")
        }
        let parity = outputs.isEmpty ? m.constant(false) : concatenate(outputs).xorReduce()
        m.output("dout", .bool) <== m.delayed(parity, name: "parity", reset: 0)
    }
}
