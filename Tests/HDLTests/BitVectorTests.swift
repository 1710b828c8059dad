import Testing
@testable import HDL

@Suite struct BitVectorTests {
    @Test func constructionMasksAndViews() {
        #expect(BitVector(width: 4, truncating: 0xFF as UInt64).unsignedValue == 0xF)
        #expect(BitVector(width: 8, truncating: -1).unsignedValue == 255)
        #expect(BitVector(width: 8, truncating: -128).signedValue == -128)
        #expect(BitVector(width: 8, exactly: 128, signed: true) == nil)
        #expect(BitVector(width: 8, exactly: -129, signed: true) == nil)
        #expect(BitVector(width: 8, exactly: 256, signed: false) == nil)
        #expect(BitVector(width: 8, exactly: -1, signed: false) == nil)
        #expect(BitVector(width: 100, truncating: -2).signedValue == -2)
        #expect(BitVector(width: 100, truncating: -2).unsignedValue == nil)
        #expect(BitVector(width: 130, hex: "3" + String(repeating: "f", count: 32))! == .ones(width: 130))
        #expect(BitVector(width: 4, hex: "1f") == nil)
        #expect(BitVector(width: 4, hex: "g") == nil)
        #expect(BitVector(width: 12, truncating: 0xABC as UInt64).hexString == "abc")
        #expect(BitVector(width: 9, truncating: 0x1FF as UInt64).description == "9'h1ff")
    }

    @Test func decimalStringsOfWideValues() {
        let big = BitVector.ones(width: 128)
        #expect(big.unsignedDecimalString == "340282366920938463463374607431768211455")
        #expect(big.signedDecimalString == "-1")
        let mostNegative = BitVector(width: 1, truncating: 1 as UInt64).zeroExtended(to: 70).shiftedLeft(by: 69)
        #expect(mostNegative.signedDecimalString == "-590295810358705651712")
        #expect(BitVector.zero(width: 3).unsignedDecimalString == "0")
    }

    @Test(arguments: [1, 2, 7, 8, 31, 63, 64, 65, 100, 127, 128, 129, 130])
    func arithmeticMatchesBitReference(width: Int) {
        var random = SeededGenerator(seed: UInt64(width))
        for _ in 0..<40 {
            let a = random.bits(width: width), b = random.bits(width: width)
            let ra = ReferenceBits(a), rb = ReferenceBits(b)
            #expect(a.adding(b) == ra.add(rb).vector, "add \(a) \(b)")
            #expect(a.subtracting(b) == ra.add(rb.negate()).vector, "sub \(a) \(b)")
            #expect(a.negated() == ra.negate().vector)
            #expect(a.multipliedFull(by: b, resultWidth: 2 * width) == ReferenceBits(a.zeroExtended(to: 2 * width))
                .multiply(ReferenceBits(b.zeroExtended(to: 2 * width)), width: 2 * width).vector, "mul \(a) \(b)")
            #expect(a.isLess(than: b, signed: false) == ra.lessUnsigned(rb))
            let flip = ReferenceBits(bits: Array(ra.bits.dropLast()) + [!ra.bits.last!])
            let flipB = ReferenceBits(bits: Array(rb.bits.dropLast()) + [!rb.bits.last!])
            #expect(a.isLess(than: b, signed: true) == flip.lessUnsigned(flipB), "signed < \(a) \(b)")
            let shift = Int.random(in: 0...(width + 1), using: &random)
            let left = Array(repeating: false, count: min(shift, width)) + ra.bits.prefix(max(0, width - shift))
            #expect(a.shiftedLeft(by: shift) == ReferenceBits(bits: left).vector, "shl \(a) \(shift)")
            let fill = a.mostSignificantBit
            let right = Array(ra.bits.dropFirst(min(shift, width))) + Array(repeating: false, count: min(shift, width))
            #expect(a.shiftedRight(by: shift) == ReferenceBits(bits: right).vector, "shr \(a) \(shift)")
            let arithmetic = Array(ra.bits.dropFirst(min(shift, width))) + Array(repeating: fill, count: min(shift, width))
            #expect(a.shiftedRight(by: shift, arithmetic: true) == ReferenceBits(bits: arithmetic).vector, "sra \(a) \(shift)")
            #expect(a.inverted() == ra.not().vector)
            #expect(a.and(b).xor(a.or(b)) == a.xor(b))
            #expect(a.orReduced == ra.bits.contains(true))
            #expect(a.andReduced == !ra.bits.contains(false))
            #expect(a.xorReduced == (ra.bits.filter { $0 }.count % 2 == 1))
        }
    }

    @Test func sliceConcatExtend() {
        let a = BitVector(width: 8, truncating: 0b1011_0110 as UInt64)
        #expect(a.slice(high: 5, low: 2).unsignedValue == 0b1101)
        #expect(a.concatenated(BitVector(width: 4, truncating: 0x3 as UInt64)).unsignedValue == 0xB63)
        #expect(a.signExtended(to: 12).unsignedValue == 0xFB6)
        #expect(a.zeroExtended(to: 12).unsignedValue == 0x0B6)
        #expect(a.truncated(to: 3).unsignedValue == 0b110)
        let wide = BitVector.ones(width: 70).concatenated(BitVector.zero(width: 60))
        #expect(wide.width == 130)
        #expect(wide.slice(high: 129, low: 60) == .ones(width: 70))
        #expect(wide.slice(high: 59, low: 0).isZero)
        #expect(BitVector(width: 70, truncating: -5).signExtended(to: 130).signedValue == -5)
    }

    @Test func seededGeneratorIsReproducible() {
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42)
        #expect((0..<10).map { _ in first.next() } == (0..<10).map { _ in second.next() })
    }
}
