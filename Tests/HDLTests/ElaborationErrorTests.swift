import Testing
@testable import HDL

/// Every misuse of the DSL gives an error that names the problem, the types
/// and the source locations, and all errors of one elaboration come together.
@Suite struct ElaborationErrorTests {
    @Test func widthMismatchNamesBothOperandsAndLocations() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .unsigned(8))
            let b = m.input("b", .unsigned(9))
            m.output("y", .unsigned(8)) <== a + b
        }
        #expect(errors.count == 1)
        let message = errors.first ?? ""
        #expect(message.contains("type mismatch in '+'"))
        #expect(message.contains("'a' of type UInt<8> built at HDLTests/ElaborationErrorTests.swift:9"))
        #expect(message.contains("'b' of type UInt<9> built at HDLTests/ElaborationErrorTests.swift:10"))
        #expect(message.contains("extended(to:)"))
    }

    @Test func signednessMismatchSuggestsConversion() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .unsigned(8)), b = m.input("b", .signed(8))
            m.output("y", .unsigned(8)) <== a & b
        }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("asSigned") == true)
    }

    @Test func allErrorsAreCollectedIntoOneReport() throws {
        let module = TestModule { m in
            let a = m.input("a", .unsigned(4))
            m.output("x", .unsigned(4)) <== a + m.input("b", .unsigned(5))
            m.output("y", .unsigned(4)) <== a[high: 4, low: 0]
            _ = m.output("z", .unsigned(4))
        }
        #expect(throws: ElaborationError.self) { try module.elaborate() }
        do {
            _ = try module.elaborate()
        } catch {
            #expect(error.errors.count == 3, "\(error)")
            #expect(error.description.hasPrefix("elaboration failed with 3 errors:"))
        }
    }

    @Test func assignmentTypeMustMatch() {
        let errors = elaborationErrors { m in
            m.output("y", .unsigned(8)) <== m.input("a", .unsigned(7))
        }
        #expect(errors.first?.contains("cannot assign 'a' of type UInt<7>") == true)
    }

    @Test func outOfRangeSliceAndBit() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .unsigned(8))
            m.output("y", .unsigned(2)) <== a[high: 9, low: 8]
            m.output("z", .bool) <== a.bit(8)
        }
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.contains("out of range") && $0.contains("valid bits are 7...0") })
    }

    @Test func zeroAndNegativeWidths() {
        let errors = elaborationErrors { m in
            _ = m.input("a", .unsigned(0))
            _ = m.wire("w", .signed(-3), default: 0)
        }
        #expect(errors.contains { $0.contains("port 'a' has width 0") })
        #expect(errors.contains { $0.contains("wire 'w' has width -3") })
    }

    @Test func keywordsAndIllegalNamesAreRejected() {
        let errors = elaborationErrors { m in
            let a = m.input("module", .bool)
            let b = m.input("logic", .bool)
            let c = m.input("2fast", .bool)
            m.output("y", .bool) <== a & b & c
        }
        #expect(errors.filter { $0.contains("keyword") }.count == 2)
        #expect(errors.contains { $0.contains("'2fast' is not a legal Verilog identifier") })
    }

    @Test func duplicateAndReservedNames() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .bool)
            _ = m.input("clk", .bool)
            m.output("a", .bool) <== a
        }
        #expect(errors.contains { $0.contains("'a' is already declared at") })
        #expect(errors.contains { $0.contains("reserved for the implicit clock") })
    }

    @Test func undrivenOutputAndWire() {
        let errors = elaborationErrors { m in
            let w = m.wire("w", .unsigned(3))
            m.output("y", .unsigned(3)) <== w
            _ = m.output("z", .bool)
        }
        #expect(errors.contains { $0.contains("wire 'w' is never driven") })
        #expect(errors.contains { $0.contains("output 'z' is never driven") })
    }

    @Test func multipleDriversOnInputsAndExpressions() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .unsigned(4))
            let sum = a + 1
            a <== 3
            sum <== a
            m.output("y", .unsigned(4)) <== sum
        }
        #expect(errors.contains { $0.contains("'a' of type UInt<4>") && $0.contains("input port, already driven") })
        #expect(errors.contains { $0.contains("already driven by its own logic") })
    }

    @Test func partialAssignmentWouldInferALatch() {
        let errors = elaborationErrors { m in
            let enable = m.input("enable", .bool)
            let w = m.wire("w", .unsigned(4))
            m.when(enable) { w <== 5 }
            m.output("y", .unsigned(4)) <== w
        }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("'w' is assigned on some paths") == true)
        #expect(errors.first?.contains("latch") == true)
    }

    @Test func combinationalLoopIsPrintedWithItsNets() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .unsigned(4))
            let x = m.wire("x", .unsigned(4))
            let y = m.wire("y", .unsigned(4))
            x <== y + a
            y <== x ^ a
            m.output("out", .unsigned(4)) <== y
        }
        #expect(errors.count == 1)
        let message = errors.first ?? ""
        #expect(message.contains("combinational loop"))
        #expect(message.contains("'x'") && message.contains("'y'"))
    }

    @Test func loopThroughARegisterIsFine() {
        #expect(elaborationErrors { m in
            let r = m.register("r", .unsigned(4), reset: 0)
            r <== r + 1
            m.output("y", .unsigned(4)) <== r
        }.isEmpty)
    }

    @Test func constantsMustFit() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .unsigned(4))
            m.output("y", .unsigned(4)) <== a + 16
            _ = m.register("r", .signed(4), reset: 8)
        }
        #expect(errors.contains { $0.contains("constant 16 does not fit in UInt<4> (0...15)") })
        #expect(errors.contains { $0.contains("reset value 8 of register 'r' does not fit in SInt<4>") })
    }

    @Test func conditionsMustBeBool() {
        let errors = elaborationErrors { m in
            let a = m.input("a", .unsigned(2))
            let w = m.wire("w", .bool, default: false)
            m.when(a) { w <== true }
            m.output("y", .bool) <== w
        }
        #expect(errors.first?.contains("condition must be Bool") == true)
    }

    @Test func unusedInputIsAWarningNotAnError() throws {
        let netlist = try TestModule { m in
            _ = m.input("spare", .unsigned(3))
            m.output("y", .bool) <== m.constant(true)
        }.elaborate()
        #expect(netlist.warnings.map(\.description).contains { $0.contains("input 'spare' is never used") })
    }

    @Test func unknownInstancePortListsThePorts() {
        let errors = elaborationErrors { m in
            let counter = m.instance(Counter(width: 4), name: "u_counter")
            counter["enable"] <== true
            m.output("y", .unsigned(4)) <== counter["cout"]
        }
        #expect(errors.contains { $0.contains("has no port 'cout'; its ports are: enable, count") })
    }

    @Test func romWordsMustFitAndRomsCannotBeWritten() {
        let errors = elaborationErrors { m in
            let address = m.input("address", .unsigned(2))
            let rom = m.rom("table", .unsigned(3), contents: [1, 2, 9, 0])
            rom.write(address: address, data: m.constant(1, .unsigned(3)))
            m.output("y", .unsigned(3)) <== rom.read(address: address)
        }
        #expect(errors.contains { $0.contains("word 2 is 9, which does not fit in UInt<3>") })
        #expect(errors.contains { $0.contains("is a ROM and cannot be written") })
    }
}
