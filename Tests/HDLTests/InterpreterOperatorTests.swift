import Testing
@testable import HDL

/// Every operator, at every width from 1 to 130, signed and unsigned, on
/// random values with boosted extremes: the interpreter against Swift's own
/// integer arithmetic (up to 64 bits) or the bit-list reference (above).
@Suite struct InterpreterOperatorTests {
    enum Operation: String, CaseIterable {
        case add, subtract, multiply, and, or, xor, not, negate, less, lessOrEqual, equal
        case shiftLeftConstant, shiftRightConstant, shiftLeftSignal, shiftRightSignal, andReduce, orReduce, xorReduce
    }

    static let widths = Array(1...130)

    @Test(arguments: Operation.allCases)
    func operatorAtEveryWidth(_ operation: Operation) throws {
        for width in Self.widths {
            for signed in [false, true] {
                try check(operation, width: width, signed: signed)
            }
        }
    }

    private func check(_ operation: Operation, width: Int, signed: Bool) throws {
        let type: SignalType = signed ? .signed(width) : .unsigned(width)
        let shiftConstant = (width * 7 + 3) % (width + 2)
        let module = TestModule { m in
            let a = m.input("a", type), b = m.input("b", type)
            let amount = m.input("amount", .unsigned(8))
            let y: Signal
            switch operation {
            case .add: y = a + b
            case .subtract: y = a - b
            case .multiply: y = a * b
            case .and: y = a & b
            case .or: y = a | b
            case .xor: y = a ^ b
            case .not: y = ~a
            case .negate: y = -a
            case .less: y = a < b
            case .lessOrEqual: y = a <= b
            case .equal: y = a == b
            case .shiftLeftConstant: y = a << shiftConstant
            case .shiftRightConstant: y = a >> shiftConstant
            case .shiftLeftSignal: y = a << amount
            case .shiftRightSignal: y = a >> amount
            case .andReduce: y = a.andReduce()
            case .orReduce: y = a.orReduce()
            case .xorReduce: y = a.xorReduce()
            }
            m.output("y", y.type) <== y
        }
        let interpreter = Interpreter(try module.elaborate())
        var random = SeededGenerator(seed: UInt64(width * 2 + (signed ? 1 : 0)))
        for _ in 0..<6 {
            let a = random.bits(width: width), b = Bool.random(using: &random) ? a : random.bits(width: width)
            let amount = Int.random(in: 0...(width + 2), using: &random)
            try interpreter.poke("a", a)
            try interpreter.poke("b", b)
            try interpreter.poke("amount", amount % 256)
            let actual = try interpreter.peek("y")
            let expected = width <= 64
                ? native(operation, a.lowWord, b.lowWord, width: width, signed: signed, shift: shiftConstant, amount: amount)
                : reference(operation, a, b, signed: signed, shift: shiftConstant, amount: amount)
            #expect(actual == expected, "\(operation) width \(width) signed \(signed): a=\(a) b=\(b) amount=\(amount)")
        }
    }

    private func bool(_ value: Bool) -> BitVector { BitVector(width: 1, truncating: value ? 1 as UInt64 : 0) }

    private func native(_ operation: Operation, _ a: UInt64, _ b: UInt64, width: Int, signed: Bool, shift: Int, amount: Int) -> BitVector {
        let mask = Native.mask(width)
        let sa = Native.signed(a, width), sb = Native.signed(b, width)
        func value(_ bits: UInt64) -> BitVector { BitVector(width: width, truncating: bits & mask) }
        func shiftRight(_ count: Int) -> BitVector {
            if signed { return value(UInt64(bitPattern: sa >> Int64(min(count, 63)))) }
            return value(count >= 64 ? 0 : a >> UInt64(count))
        }
        switch operation {
        case .add: return value(a &+ b)
        case .subtract: return value(a &- b)
        case .multiply:
            if signed {
                let (high, low) = sa.multipliedFullWidth(by: sb)
                return BitVector(width: 2 * width, words: [low, UInt64(bitPattern: high)])
            }
            let (high, low) = a.multipliedFullWidth(by: b)
            return BitVector(width: 2 * width, words: [low, high])
        case .and: return value(a & b)
        case .or: return value(a | b)
        case .xor: return value(a ^ b)
        case .not: return value(~a)
        case .negate: return value(0 &- a)
        case .less: return bool(signed ? sa < sb : a < b)
        case .lessOrEqual: return bool(signed ? sa <= sb : a <= b)
        case .equal: return bool(a == b)
        case .shiftLeftConstant: return value(shift >= 64 ? 0 : a << UInt64(shift))
        case .shiftRightConstant: return shiftRight(shift)
        case .shiftLeftSignal: return value(amount >= 64 ? 0 : a << UInt64(amount))
        case .shiftRightSignal: return shiftRight(amount)
        case .andReduce: return bool(a == mask)
        case .orReduce: return bool(a != 0)
        case .xorReduce: return bool(a.nonzeroBitCount % 2 == 1)
        }
    }

    private func reference(_ operation: Operation, _ a: BitVector, _ b: BitVector, signed: Bool, shift: Int, amount: Int) -> BitVector {
        let width = a.width
        let ra = ReferenceBits(a), rb = ReferenceBits(b)
        func flipped(_ r: ReferenceBits) -> ReferenceBits { ReferenceBits(bits: Array(r.bits.dropLast()) + [!r.bits.last!]) }
        func less() -> Bool { signed ? flipped(ra).lessUnsigned(flipped(rb)) : ra.lessUnsigned(rb) }
        func shiftLeft(_ count: Int) -> BitVector {
            ReferenceBits(bits: Array(repeating: false, count: min(count, width)) + ra.bits.prefix(max(0, width - count))).vector
        }
        func shiftRight(_ count: Int) -> BitVector {
            let fill = signed && ra.bits.last!
            return ReferenceBits(bits: Array(ra.bits.dropFirst(min(count, width))) + Array(repeating: fill, count: min(count, width))).vector
        }
        switch operation {
        case .add: return ra.add(rb).vector
        case .subtract: return ra.add(rb.negate()).vector
        case .multiply:
            func widened(_ r: ReferenceBits) -> ReferenceBits {
                ReferenceBits(bits: r.bits + Array(repeating: signed && r.bits.last!, count: width))
            }
            return widened(ra).multiply(widened(rb), width: 2 * width).vector
        case .and: return ReferenceBits(bits: zip(ra.bits, rb.bits).map { $0 && $1 }).vector
        case .or: return ReferenceBits(bits: zip(ra.bits, rb.bits).map { $0 || $1 }).vector
        case .xor: return ReferenceBits(bits: zip(ra.bits, rb.bits).map { $0 != $1 }).vector
        case .not: return ra.not().vector
        case .negate: return ra.negate().vector
        case .less: return bool(less())
        case .lessOrEqual: return bool(less() || ra == rb)
        case .equal: return bool(ra == rb)
        case .shiftLeftConstant: return shiftLeft(shift)
        case .shiftRightConstant: return shiftRight(shift)
        case .shiftLeftSignal: return shiftLeft(amount)
        case .shiftRightSignal: return shiftRight(amount)
        case .andReduce: return bool(!ra.bits.contains(false))
        case .orReduce: return bool(ra.bits.contains(true))
        case .xorReduce: return bool(ra.bits.filter { $0 }.count % 2 == 1)
        }
    }
}

/// Moving bits of wide values: slices at every offset, copies and muxes.
@Suite struct InterpreterBitMovementTests {
    @Test func slicesOfWideValuesAtEveryOffset() throws {
        for width in [65, 100, 130] {
            var random = SeededGenerator(seed: UInt64(width))
            let cuts = (0..<40).map { _ -> (Int, Int) in
                let low = random.nextInt(below: width)
                return (min(width - 1, low + random.nextInt(below: 70)), low)
            }
            let module = TestModule { m in
                let a = m.input("a", .unsigned(width)), select = m.input("select", .bool)
                for (index, cut) in cuts.enumerated() { m.output("y\(index)", .unsigned(cut.0 - cut.1 + 1)) <== a[high: cut.0, low: cut.1] }
                m.output("chosen", .unsigned(width)) <== mux(select, a, ~a)
            }
            let sim = Interpreter(try module.elaborate())
            for _ in 0..<10 {
                let a = random.bits(width: width)
                try sim.poke("a", a)
                try sim.poke("select", random.nextInt(below: 2))
                for (index, cut) in cuts.enumerated() {
                    let expected = ReferenceBits(bits: Array(ReferenceBits(a).bits[cut.1...cut.0])).vector
                    #expect(try sim.peek("y\(index)") == expected, "width \(width) slice [\(cut.0):\(cut.1)] of \(a)")
                }
                let chosen = try sim.peek("select").isZero ? a.inverted() : a
                #expect(try sim.peek("chosen") == chosen)
            }
        }
    }
}
