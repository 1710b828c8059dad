import Testing
@testable import PQ

@Suite struct NPYArrayTests {
    @Test func dtypesDescribeThemselves() throws {
        #expect(NPYDType.allCases.map(\.descr) == ["|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<f4", "<f8"])
        #expect(NPYDType(descr: "<i1") == .int8)
        #expect(NPYDType(descr: "|u1") == .uint8)
        #expect(NPYDType(descr: "<f8") == .float64)
        #expect(NPYDType(descr: ">f8") == nil)
        #expect(NPYDType(descr: "|i4") == nil)
        #expect(NPYDType(descr: "<c8") == nil)
        #expect(NPYDType.int16.integerRange == -32768...32767)
        #expect(NPYDType.float32.integerRange == nil)
        #expect(NPYDType.narrowest(for: try .signed(8)) == .int8)
        #expect(NPYDType.narrowest(for: try .unsigned(8)) == .uint8)
        #expect(NPYDType.narrowest(for: try .signed(9)) == .int16)
        #expect(NPYDType.narrowest(for: try .unsigned(16)) == .uint16)
        #expect(NPYDType.narrowest(for: try .signed(17)) == .int32)
        #expect(NPYDType.narrowest(for: try .unsigned(32)) == .uint32)
    }

    @Test func buildingChecksCountsRangesAndKinds() throws {
        let a = try NPYArray(integers: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .int8)
        #expect(a.count == 6 && a.doubles == [1, 2, 3, 4, 5, 6])
        #expect(try a.integers() == [1, 2, 3, 4, 5, 6])
        #expect(throws: NPYError.self) { try NPYArray(integers: [1, 2], shape: [3]) }
        #expect(throws: NPYError.self) { try NPYArray(integers: [1, 2], shape: [-1, -2]) }
        let range = #expect(throws: NPYError.self) { try NPYArray(integers: [0, 128], shape: [2], dtype: .int8) }
        #expect(range == .valueOutOfRange(index: 1, value: "128", dtype: "int8"))
        #expect(throws: NPYError.self) { try NPYArray(integers: [-1], shape: [1], dtype: .uint32) }
        #expect(throws: NPYError.self) { try NPYArray(integers: [1], shape: [1], dtype: .float32) }
        #expect(throws: NPYError.self) { try NPYArray(floats: [1], shape: [1], dtype: .int32) }
        let f = try NPYArray(floats: [1.5], shape: [])
        #expect(f.count == 1)
        let kind = #expect(throws: NPYError.self) { try f.integers(file: "x.npy") }
        #expect(kind?.description.hasPrefix("x.npy: expected integer values") == true)
    }
}
