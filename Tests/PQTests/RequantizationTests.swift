import Testing
@testable import PQ

@Suite struct RequantizationTests {
    @Test func roundingShiftRoundsHalfUp() {
        let cases: [(Int, Int, Int)] = [
            (5, 1, 3), (-5, 1, -2), (7, 2, 2), (-7, 2, -2), (6, 2, 2), (-6, 2, -1),
            (4, 1, 2), (-4, 1, -2), (1, 1, 1), (-1, 1, 0), (0, 5, 0), (123, 0, 123), (-123, 0, -123),
            (Int(1) << 40, 40, 1), ((Int(1) << 40) - 1, 40, 1), (-(Int(1) << 39), 40, 0), (-(Int(1) << 39) - 1, 40, -1),
        ]
        for (value, shift, expected) in cases {
            #expect(Requantization.roundingShift(value, by: shift) == expected, "\(value) >> \(shift)")
        }
    }

    @Test func saturatesAtTheEdgesOfTwoBitFormats() throws {
        let s2 = try IntegerFormat.signed(2), u2 = try IntegerFormat.unsigned(2)
        let id = Requantization.identity
        #expect([1, 2, 100, -2, -3, -100].map { id.apply($0, output: s2) } == [1, 1, 1, -2, -2, -2])
        #expect([-1, 0, 3, 4].map { id.apply($0, output: u2) } == [0, 0, 3, 3])
        // With a shift: 3 * 3 = 9, (9 + 2) >> 2 = 2 -> saturates to 1 in s2, fits u2.
        let r = Requantization(multiplier: 3, shift: 2)
        #expect(r.apply(3, output: s2) == 1)
        #expect(r.apply(3, output: u2) == 2)
        #expect(r.apply(-3, output: s2) == -2)  // (-9 + 2) >> 2 = -2
        #expect(r.apply(-4, output: s2) == -2)  // (-12 + 2) >> 2 = -3 -> -2
    }

    @Test func saturatesAtTheEdgesOfSixteenBitFormats() throws {
        let s16 = try IntegerFormat.signed(16), u16 = try IntegerFormat.unsigned(16)
        let id = Requantization.identity
        #expect([32767, 32768, -32768, -32769].map { id.apply($0, output: s16) } == [32767, 32767, -32768, -32768])
        #expect([65535, 65536, -1].map { id.apply($0, output: u16) } == [65535, 65535, 0])
        let half = Requantization(multiplier: 1, shift: 1)
        #expect(half.apply(131_069, output: u16) == 65535)  // 65534.5 rounds up to 65535
        #expect(half.apply(131_071, output: u16) == 65535)  // 65535.5 -> 65536 -> saturates
        #expect(half.apply(-65537, output: s16) == -32768)  // -32768.5 rounds up to -32768
        #expect(half.apply(-65538, output: s16) == -32768)  // -32769 saturates
        #expect(half.apply(65535, output: s16) == 32767)    // 32767.5 -> 32768 saturates
    }

    @Test func reluAfterSaturation() throws {
        let s8 = try IntegerFormat.signed(8), u8 = try IntegerFormat.unsigned(8)
        let r = Requantization(multiplier: 1, shift: 0, relu: true)
        #expect([-5, 0, 5, 1000, -1000].map { r.apply($0, output: s8) } == [0, 0, 5, 127, 0])
        #expect([-5, 300].map { r.apply($0, output: u8) } == [0, 255])
    }

    @Test func approximatesRatiosWithTheMostPrecision() throws {
        let quarter = try Requantization.approximating(ratio: 0.25, multiplierBits: 8, maxShift: 30)
        #expect((quarter.multiplier, quarter.shift) == (128, 9))
        let three = try Requantization.approximating(ratio: 3, multiplierBits: 8, maxShift: 30)
        #expect((three.multiplier, three.shift) == (192, 6))
        let capped = try Requantization.approximating(ratio: 0.001, multiplierBits: 16, maxShift: 12, relu: true)
        #expect((capped.multiplier, capped.shift, capped.relu) == (4, 12, true))
        let r = try Requantization.approximating(ratio: 0.0123, multiplierBits: 16, maxShift: 48)
        #expect(abs(Double(r.multiplier) / Double(1 << r.shift) - 0.0123) < 0.0123 * 2e-5)
        #expect(r.multiplier >= 1 << 15 && r.multiplier < 1 << 16)
    }

    @Test func rejectsUnrepresentableRatios() {
        #expect(throws: PQError.self) { try Requantization.approximating(ratio: 1000, multiplierBits: 8, maxShift: 30) }
        #expect(throws: PQError.self) { try Requantization.approximating(ratio: 1e-30, multiplierBits: 8, maxShift: 10) }
        #expect(throws: PQError.self) { try Requantization.approximating(ratio: 0, multiplierBits: 8, maxShift: 10) }
        #expect(throws: PQError.self) { try Requantization.approximating(ratio: .infinity, multiplierBits: 8, maxShift: 10) }
        #expect(throws: PQError.self) { try Requantization.approximating(ratio: 1, multiplierBits: 0, maxShift: 10) }
    }

    @Test func checksAgainstTheConfiguration() throws {
        let s8 = try IntegerFormat.signed(8)
        let config = try PQConfiguration(
            shape: PQShape(ls: 1, np: 2, ns: 1, cout: 1), metric: .l2,
            formats: LayerFormats(activation: s8, prototype: s8, entry: s8, bias: s8, output: s8), multiplierBits: 4, maxShift: 3)
        #expect(throws: Never.self) { try Requantization(multiplier: 15, shift: 3).check(against: config) }
        #expect(throws: PQError.self) { try Requantization(multiplier: 16, shift: 0).check(against: config) }
        #expect(throws: PQError.self) { try Requantization(multiplier: 0, shift: 0).check(against: config) }
        #expect(throws: PQError.self) { try Requantization(multiplier: 1, shift: 4).check(against: config) }
    }
}
