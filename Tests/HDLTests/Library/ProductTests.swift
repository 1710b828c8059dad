import Testing
@testable import HDL

/// LUT products (shifted copies and an adder tree, the sign bit's copy
/// subtracted) against integer multiplication, over every operand pair.
@Suite struct ProductTests {
    /// `a * b` through `ModuleBuilder.product`, its tree registered every `levelsPerStage` levels.
    private struct ProductUnderTest: HardwareModule {
        let a: SignalType, b: SignalType, levelsPerStage: Int

        var moduleName: String { "product_under_test" }
        var parameters: [ModuleParameter] {
            [.init("a", a.description), .init("b", b.description), .init("stage", levelsPerStage)]
        }
        var latency: Int { ModuleBuilder.productStages(a, b, levelsPerStage: levelsPerStage) }

        func build(_ m: ModuleBuilder) {
            let product = m.product(m.input("a", a), m.input("b", b), levelsPerStage: levelsPerStage)
            m.output("p", product.type) <== product
        }
    }

    private static func values(_ type: SignalType) -> ClosedRange<Int> {
        type.isSigned ? -(1 << (type.width - 1))...((1 << (type.width - 1)) - 1) : 0...((1 << type.width) - 1)
    }

    @Test(arguments: [(SignalType.unsigned(4), SignalType.unsigned(3), 1), (.signed(5), .signed(4), 1), (.signed(4), .signed(4), 0),
                      (.unsigned(5), .signed(4), 1), (.signed(6), .unsigned(3), 2), (.signed(3), .signed(1), 1), (.signed(4), .signed(8), 1)])
    func productIsExactOverEveryOperandPair(_ a: SignalType, _ b: SignalType, _ levelsPerStage: Int) throws {
        let design = ProductUnderTest(a: a, b: b, levelsPerStage: levelsPerStage)
        let sim = Interpreter(try design.elaborate())
        sim.reset()
        var expected: [Int] = []
        var cycle = 0
        for x in Self.values(a) {
            for y in Self.values(b) {
                try sim.poke("a", x)
                try sim.poke("b", y)
                expected.append(x * y)
                if cycle >= design.latency {
                    #expect(try sim.peekInt("p") == expected[cycle - design.latency], "a \(a), b \(b), cycle \(cycle)")
                }
                sim.step()
                cycle += 1
            }
        }
    }
}
