/// A random but well-typed design, reproducible from its seed: inputs of
/// random widths and signedness, a pool of random operations of every kind
/// (arithmetic, logic, comparisons, shifts, muxes, slices, concatenation,
/// extension), registers feeding back into the logic, and a handful of
/// outputs. The DSL's own fuzz test: every engine must agree on it.
public struct RandomExpressionTree: HardwareModule {
    /// Fixes every random choice.
    public var seed: UInt64
    /// Number of operations.
    public var operations: Int
    /// Largest width of an input.
    public var maximumWidth: Int

    /// A random design for `seed`.
    public init(seed: UInt64, operations: Int = 40, maximumWidth: Int = 70) {
        self.seed = seed
        self.operations = operations
        self.maximumWidth = maximumWidth
    }

    public var moduleName: String { "random_tree" }
    public var parameters: [ModuleParameter] {
        [.init("seed", seed), .init("ops", operations), .init("w", maximumWidth)]
    }

    public func build(_ m: ModuleBuilder) {
        var random = SeededGenerator(seed: seed)
        func width() -> Int {
            Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 1...maximumWidth, using: &random)
                : Int.random(in: 1...min(maximumWidth, 16), using: &random)
        }
        func numberType(_ width: Int) -> SignalType { Bool.random(using: &random) ? .signed(width) : .unsigned(width) }
        var pool: [Signal] = (0..<4).map { m.input("in_\($0)", numberType(width())) }
        pool.append(m.input("in_flag", .bool))
        func pick() -> Signal { pool[Int.random(in: 0..<pool.count, using: &random)] }
        func number() -> Signal {
            let signal = pick()
            return signal.type.isBool ? signal.asUnsigned : signal
        }
        func coerce(_ signal: Signal, to type: SignalType) -> Signal {
            var value = signal.type.isBool ? signal.asUnsigned : signal
            if value.width < type.width { value = value.extended(to: type.width) }
            if value.width > type.width { value = value.truncated(to: type.width) }
            switch type {
            case .bool: return value.asBool
            case .signed: return value.asSigned
            case .unsigned: return value.asUnsigned
            }
        }
        let registers = (0..<3).map { m.register("state_\($0)", numberType(width()), reset: 0) }
        pool += registers
        for _ in 0..<operations {
            let a = number()
            let b = coerce(pick(), to: a.type)
            let result: Signal
            switch Int.random(in: 0..<17, using: &random) {
            case 0: result = a + b
            case 1: result = a - b
            case 2: result = a.width <= 40 ? a * b : a +& b
            case 3: result = a & b
            case 4: result = a | b
            case 5: result = a ^ b
            case 6: result = Bool.random(using: &random) ? ~a : -a
            case 7: result = [a.andReduce(), a.orReduce(), a.xorReduce()][Int.random(in: 0..<3, using: &random)]
            case 8: result = [a == b, a != b, a < b, a <= b, a > b, a >= b][Int.random(in: 0..<6, using: &random)]
            case 9: result = Bool.random(using: &random) ? a << Int.random(in: 0...a.width, using: &random)
                                                        : a >> Int.random(in: 0...a.width, using: &random)
            case 10:
                let amount = coerce(pick(), to: .unsigned(Int.random(in: 1...7, using: &random)))
                result = Bool.random(using: &random) ? a << amount : a >> amount
            case 11: result = mux(coerce(pick(), to: .bool), a, b)
            case 12:
                let low = Int.random(in: 0..<a.width, using: &random)
                result = a[high: Int.random(in: low..<a.width, using: &random), low: low]
            case 13: result = concatenate([a, pick(), b].filter { _ in Bool.random(using: &random) } + [a])
            case 14: result = a.extended(to: min(a.width + Int.random(in: 1...40, using: &random), 130))
            case 15: result = a +& b
            default: result = a.replicated(Int.random(in: 1...3, using: &random))
            }
            pool.append(result.width > 130 ? result.truncated(to: 130) : result)
        }
        for register in registers { register <== coerce(pick(), to: register.type) }
        for index in 0..<4 {
            let source = pool[pool.count - 1 - index]
            m.output("out_\(index)", source.type) <== source
        }
        m.output("out_state", registers[0].type) <== registers[0]
    }
}
