import Testing
@testable import PQ

@Suite struct PQShapeTests {
    @Test func derivesSubspacesAndPadding() throws {
        let s = try PQShape(inputLength: 10, ls: 4, np: 16, cout: 2)
        #expect(s.ns == 3 && s.paddedLength == 12 && s.inputLength == 10)
        #expect(try s.padded([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0])
        #expect(try s.padded(Array(repeating: 1, count: 12)).count == 12)
        #expect(throws: PQError.self) { try s.padded([1, 2]) }
        #expect(try PQShape(ls: 9, np: 16, ns: 64, cout: 64).inputLength == 576)
    }

    @Test(arguments: [
        (0, 16, 1, 1, 0), (9, 0, 1, 1, 9), (9, 16, 0, 1, 9), (9, 16, 1, 0, 9),
        (4, 16, 3, 2, 8), (4, 16, 3, 2, 13), (PQShape.maxLs + 1, 2, 1, 1, PQShape.maxLs + 1),
    ])
    func rejectsOutOfRangeSizes(ls: Int, np: Int, ns: Int, cout: Int, d: Int) {
        let error = #expect(throws: PQError.self) { try PQShape(ls: ls, np: np, ns: ns, cout: cout, inputLength: d) }
        #expect(error?.description.contains("outside the supported range") == true)
    }
}
