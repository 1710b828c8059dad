/// A two-stage multiply-accumulate: stage 1 registers the full product of `a`
/// and `b`; stage 2 adds it to the accumulator, or starts a new sum when the
/// product's beat had `clear` set. `out_valid` is high in the cycle after an
/// accumulation, with `acc` holding the running sum.
///
/// ```
///  cycle     0        1             2
///  a,b,valid a0,b0 -> p0 = a0*b0 -> acc = acc + p0 (or p0 when clear)
/// ```
public struct PipelinedMAC: HardwareModule {
    /// Bits of `a`.
    public var aWidth: Int
    /// Bits of `b`.
    public var bWidth: Int
    /// Bits of the accumulator; at least `aWidth + bWidth`.
    public var accumulatorWidth: Int
    /// Whether operands are two's complement.
    public var signed: Bool

    /// A MAC of the given operand and accumulator widths.
    public init(aWidth: Int = 8, bWidth: Int = 8, accumulatorWidth: Int = 24, signed: Bool = true) {
        self.aWidth = aWidth
        self.bWidth = bWidth
        self.accumulatorWidth = accumulatorWidth
        self.signed = signed
    }

    public var moduleName: String { "pipelined_mac" }
    public var parameters: [ModuleParameter] {
        [.init("a", aWidth), .init("b", bWidth), .init("acc", accumulatorWidth), .init("signed", signed ? 1 : 0)]
    }

    public func build(_ m: ModuleBuilder) {
        func number(_ width: Int) -> SignalType { signed ? .signed(width) : .unsigned(width) }
        let a = m.input("a", number(aWidth))
        let b = m.input("b", number(bWidth))
        let valid = m.input("valid", .bool)
        let clear = m.input("clear", .bool)

        let product = m.delayed(a * b, name: "product", enable: valid)
        let productValid = m.delayed(valid, name: "product_valid", reset: 0)
        let productClear = m.delayed(clear, name: "product_clear", reset: 0)

        let accumulator = m.register("accumulator", number(accumulatorWidth), reset: 0)
        let addend = product.extended(to: accumulatorWidth)
        m.when(productValid) {
            accumulator <== mux(productClear, addend, accumulator + addend)
        }
        m.output("acc", number(accumulatorWidth)) <== accumulator
        m.output("out_valid", .bool) <== m.delayed(productValid, name: "acc_valid", reset: 0)
    }
}
