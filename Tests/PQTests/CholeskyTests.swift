import Testing
@testable import PQ

@Suite struct CholeskyTests {
    @Test func factorsAHandExample() throws {
        // A = L Lᵀ with L = [[2, 0, 0], [1, 3, 0], [-1, 2, 1]].
        let a = try Matrix(rowArrays: [[4.0, 2, -2], [2, 10, 5], [-2, 5, 6]])
        let l = try Cholesky.factor(a)
        #expect(l.rowArrays == [[2, 0, 0], [1, 3, 0], [-1, 2, 1]])
        let x = try Cholesky.solve(a, Matrix(rowArrays: [[4.0, 0], [2, 1], [-2, 2]]))
        // A x = b check.
        for c in 0..<2 {
            for i in 0..<3 {
                let b = (0..<3).reduce(0.0) { $0 + a[i, $1] * x[$1, c] }
                let expected = [[4.0, 0], [2, 1], [-2, 2]][i][c]
                #expect(abs(b - expected) < 1e-12)
            }
        }
    }

    @Test func solvesRandomSystems() throws {
        let n = 12
        let m = TestSupport.gaussian(rows: n, columns: n, seed: 8)
        // A = M Mᵀ + n I is symmetric positive definite.
        var a = try m.multipliedTransposed(m)
        for i in 0..<n { a[i, i] += Double(n) }
        let b = TestSupport.gaussian(rows: n, columns: 3, seed: 9)
        let x = try Cholesky.solve(a, b)
        for i in 0..<n {
            for c in 0..<3 {
                let value = (0..<n).reduce(0.0) { $0 + a[i, $1] * x[$1, c] }
                #expect(abs(value - b[i, c]) < 1e-9)
            }
        }
    }

    @Test func rejectsIndefiniteOrMisshapenMatrices() throws {
        let error = #expect(throws: PQError.self) { try Cholesky.factor(Matrix(rowArrays: [[1.0, 2], [2, 1]])) }
        #expect(error == .notPositiveDefinite(pivot: 1, value: -3))
        #expect(throws: PQError.self) { try Cholesky.factor(Matrix(rowArrays: [[1.0, 2]])) }
        #expect(throws: PQError.self) { try Cholesky.solve(Matrix(rowArrays: [[1.0]]), Matrix(rowArrays: [[1.0], [2]])) }
    }
}
