import Testing
@testable import PQ

@Suite struct HardwareWidthsTests {
    func configuration(
        metric: DistanceMetric = .l2, ls: Int = 9, np: Int = 16, ns: Int = 64, activation: IntegerFormat? = nil,
        prototype: IntegerFormat? = nil, entry: IntegerFormat? = nil, bias: IntegerFormat? = nil,
        multiplierBits: Int = 16, maxShift: Int = 20
    ) throws -> PQConfiguration {
        let s8 = try IntegerFormat.signed(8)
        let formats = LayerFormats(
            activation: activation ?? s8, prototype: prototype ?? s8, entry: entry ?? s8,
            bias: try bias ?? .signed(16), output: s8)
        return try PQConfiguration(
            shape: PQShape(ls: ls, np: np, ns: ns, cout: 4), metric: metric, formats: formats,
            multiplierBits: multiplierBits, maxShift: maxShift)
    }

    @Test func handComputedWidthsForThePECANDefault() throws {
        let w = try HardwareWidths(for: configuration())
        #expect((w.difference.bits, w.difference.signed, w.difference.minValue, w.difference.maxValue) == (9, true, -255, 255))
        #expect((w.elementDistance.bits, w.elementDistance.maxValue) == (16, 65025))
        #expect((w.distance.bits, w.distance.signed, w.distance.maxValue) == (20, false, 585_225))
        #expect((w.index.bits, w.index.maxValue) == (4, 15))
        #expect((w.tableSum.bits, w.tableSum.minValue, w.tableSum.maxValue) == (14, -8192, 8128))
        #expect((w.accumulator.bits, w.accumulator.minValue, w.accumulator.maxValue) == (17, -40960, 40895))
        #expect((w.product.bits, w.product.minValue, w.product.maxValue) == (33, -40960 * 65535, 40895 * 65535))
        #expect(w.rounded.maxValue == 40895 * 65535 + (1 << 19))
        #expect((w.output.bits, w.output.minValue) == (8, -128))
        #expect(w.lines.count == 9)
        #expect(w.lines[2].hasPrefix("distance: u20 [0, 585225]"))
    }

    @Test func distanceWidthPerMetric() throws {
        #expect(try HardwareWidths(for: configuration(metric: .l1)).distance.maxValue == 9 * 255)
        #expect(try HardwareWidths(for: configuration(metric: .l1)).distance.bits == 12)
        #expect(try HardwareWidths(for: configuration(metric: .chebyshev)).distance.maxValue == 255)
        #expect(try HardwareWidths(for: configuration(metric: .chebyshev)).distance.bits == 8)
        let mixed = try HardwareWidths(for: configuration(activation: .unsigned(8), prototype: .signed(8)))
        #expect((mixed.difference.minValue, mixed.difference.maxValue, mixed.difference.bits) == (-127, 383, 10))
        #expect(mixed.distance.maxValue == 9 * 383 * 383)
    }

    @Test(arguments: [(1, 1), (2, 1), (3, 2), (4, 2), (16, 4), (17, 5), (64, 6), (65536, 16)])
    func indexWidthIsCeilLog2AtLeastOne(np: Int, bits: Int) throws {
        #expect(try HardwareWidths(for: configuration(np: np)).index.bits == bits)
    }

    @Test(arguments: [1, 2, 3, 5, 64, 100])
    func tableSumWidthIsEntryBitsPlusCeilLog2Ns(ns: Int) throws {
        let logNs = (0...30).first { (1 << $0) >= ns } ?? -1  // ceil(log2(ns))
        for entry in [try IntegerFormat.signed(2), try .signed(16), try .unsigned(5)] {
            let w = try HardwareWidths(for: configuration(ns: ns, entry: entry))
            #expect(w.tableSum.bits == entry.bits + logNs)
            #expect(w.accumulator.bits >= w.tableSum.bits)
        }
    }

    @Test func rejectsConfigurationsBeyondSixtyTwoBits() throws {
        let error = #expect(throws: PQError.self) {
            try HardwareWidths(for: configuration(ns: 1 << 20, entry: .signed(16), bias: .signed(32), multiplierBits: 32))
        }
        #expect(error?.description.contains("multiplier") == true)
        // The largest data formats with the largest Ls still fit.
        let big = try HardwareWidths(for: configuration(
            ls: PQShape.maxLs, activation: .unsigned(16), prototype: .signed(16)))
        #expect(big.distance.maxValue == PQShape.maxLs * 98303 * 98303)
    }

    /// The accumulator proof on extremes: a layer whose table entries are all
    /// at the minimum (then all at the maximum) with the extreme bias reaches
    /// exactly the derived bounds, and those fit the derived widths.
    @Test(arguments: [(2, 1, true), (2, 3, false), (8, 64, true), (16, 5, true), (16, 16, false)])
    func accumulatorHoldsTheExtremes(entryBits: Int, ns: Int, signed: Bool) throws {
        let entry = try IntegerFormat(bits: entryBits, signed: signed), bias = try IntegerFormat.signed(entryBits + 3)
        let a = try IntegerFormat.unsigned(16), p = try IntegerFormat.signed(16)
        let formats = LayerFormats(activation: a, prototype: p, entry: entry, bias: bias, output: try .signed(16))
        let (ls, np, cout) = (2, 3, 2)
        let config = try PQConfiguration(
            shape: PQShape(ls: ls, np: np, ns: ns, cout: cout), metric: .l2, formats: formats, multiplierBits: 32, maxShift: 24)
        let widths = try HardwareWidths(for: config)
        let maxMultiplier = (1 << 32) - 1
        for (entryValue, biasValue) in [(entry.minValue, bias.minValue), (entry.maxValue, bias.maxValue)] {
            let layer = try IntegerPQLayer(
                configuration: config,
                prototypes: Codebooks(ns: ns, np: np, ls: ls, values: Array(repeating: p.minValue, count: ns * np * ls)),
                table: LookupTable(ns: ns, np: np, cout: cout, values: Array(repeating: entryValue, count: ns * np * cout)),
                bias: Array(repeating: biasValue, count: cout),
                requantization: Requantization(multiplier: maxMultiplier, shift: 24))
            let trace = try layer.trace(column: Array(repeating: a.maxValue, count: ns * ls))
            #expect(trace.distances.allSatisfy { $0 == widths.distance.maxValue })
            let acc = trace.accumulators[0]
            #expect(acc == (entryValue < 0 || biasValue < 0 ? widths.accumulator.minValue : widths.accumulator.maxValue))
            #expect(fits(acc, widths.accumulator) && fits(trace.sums[0], widths.tableSum))
            #expect(fits(trace.products[0], widths.product) && fits(trace.products[0] + (1 << 23), widths.rounded))
            #expect(trace.products[0] == (acc < 0 ? widths.product.minValue : widths.product.maxValue))
        }
    }

    /// Whether `value` is representable in the register described by `bound`.
    func fits(_ value: Int, _ bound: WidthBound) -> Bool {
        let low = bound.signed ? -(1 << (bound.bits - 1)) : 0
        let high = bound.signed ? (1 << (bound.bits - 1)) - 1 : (1 << bound.bits) - 1
        return value >= low && value <= high && bound.contains(value)
    }
}
