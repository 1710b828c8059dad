import Testing
@testable import PQ

@Suite struct MatrixTests {
    @Test func shapeAndAccess() throws {
        var m = try Matrix(rowArrays: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m[1, 2] == 6)
        m[0, 1] = 9
        #expect(Array(m.row(0)) == [1, 9, 3])
        #expect(m.rowArrays == [[1, 9, 3], [4, 5, 6]])
        #expect(m.map { $0 * 2 }.values == [2, 18, 6, 8, 10, 12])
    }

    @Test func rejectsInconsistentSizes() {
        #expect(throws: PQError.self) { try Matrix(rows: 2, columns: 2, values: [1, 2, 3]) }
        #expect(throws: PQError.self) { try Matrix(rowArrays: [[1, 2], [3]]) }
        #expect(throws: PQError.self) { try Matrix(rows: -1, columns: 2, values: [Int]()) }
    }

    @Test func productMatchesHandComputation() throws {
        let x = try Matrix(rowArrays: [[1.0, 2, 3], [0, -1, 4]])
        let w = try Matrix(rowArrays: [[1.0, 0, 1], [2, 1, 0]])
        let y = try x.multipliedTransposed(w)
        #expect(y.rowArrays == [[4, 4], [4, -1]])
        // Weights shorter than the rows: the extra (padding) columns are ignored.
        let short = try Matrix(rowArrays: [[1.0, 1]])
        #expect(try x.multipliedTransposed(short).values == [3, -1])
        #expect(throws: PQError.self) { try short.multipliedTransposed(x) }
    }

    @Test func relativeError() throws {
        let exact = try Matrix(rowArrays: [[3.0, 4]])
        let approx = try Matrix(rowArrays: [[3.0, 4.5]])
        #expect(abs(try approx.relativeError(to: exact) - 0.1) < 1e-12)
        #expect(try exact.relativeError(to: exact) == 0)
        #expect(throws: PQError.self) { try exact.relativeError(to: Matrix(rowArrays: [[1.0]])) }
    }
}
