/// Cholesky factorization and solves for symmetric positive definite systems,
/// in Double. Used by the ridge-regression refit of the lookup table.
public enum Cholesky {
    /// The lower-triangular factor `L` with `A = L Lᵀ` of a symmetric positive
    /// definite `n x n` matrix (only the lower triangle of `A` is read).
    public static func factor(_ a: Matrix<Double>) throws -> Matrix<Double> {
        guard a.rows == a.columns else {
            throw PQError.sizeMismatch(field: "Cholesky matrix", expected: "a square matrix", found: "[\(a.rows), \(a.columns)]")
        }
        let n = a.rows
        var l = a.values
        l.withUnsafeMutableBufferPointer { m in
            for j in 0..<n {
                for i in (j + 1)..<max(j + 1, n) { m[j * n + i] = 0 }  // clear the upper triangle
            }
        }
        try l.withUnsafeMutableBufferPointer { m in
            for j in 0..<n {
                var diagonal = m[j * n + j]
                for k in 0..<j { diagonal -= m[j * n + k] * m[j * n + k] }
                guard diagonal > 0, diagonal.isFinite else {
                    throw PQError.notPositiveDefinite(pivot: j, value: diagonal)
                }
                let root = diagonal.squareRoot()
                m[j * n + j] = root
                for i in (j + 1)..<max(j + 1, n) {
                    var value = m[i * n + j]
                    for k in 0..<j { value -= m[i * n + k] * m[j * n + k] }
                    m[i * n + j] = value / root
                }
            }
        }
        return Matrix(unchecked: n, n, l)
    }

    /// Solves `A X = B` for `X`, with `A` symmetric positive definite
    /// (`n x n`) and `B` of `n` rows and any number of right-hand sides.
    public static func solve(_ a: Matrix<Double>, _ b: Matrix<Double>) throws -> Matrix<Double> {
        guard b.rows == a.rows else {
            throw PQError.sizeMismatch(field: "right-hand side", expected: "\(a.rows) rows", found: "\(b.rows) rows")
        }
        let l = try factor(a)
        return solve(factor: l, b)
    }

    /// Solves `L Lᵀ X = B` given the factor `L` from ``factor(_:)``.
    public static func solve(factor l: Matrix<Double>, _ b: Matrix<Double>) -> Matrix<Double> {
        let n = l.rows, m = b.columns
        var x = b.values
        l.values.withUnsafeBufferPointer { f in
            x.withUnsafeMutableBufferPointer { y in
                // Forward substitution: L Z = B.
                for i in 0..<n {
                    for k in 0..<i {
                        let factor = f[i * n + k]
                        if factor == 0 { continue }
                        for c in 0..<m { y[i * m + c] -= factor * y[k * m + c] }
                    }
                    let d = f[i * n + i]
                    for c in 0..<m { y[i * m + c] /= d }
                }
                // Back substitution: Lᵀ X = Z.
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for k in (i + 1)..<max(i + 1, n) {
                        let factor = f[k * n + i]
                        if factor == 0 { continue }
                        for c in 0..<m { y[i * m + c] -= factor * y[k * m + c] }
                    }
                    let d = f[i * n + i]
                    for c in 0..<m { y[i * m + c] /= d }
                }
            }
        }
        return Matrix(unchecked: n, m, x)
    }
}
