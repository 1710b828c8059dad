/// A dense row-major matrix: `rows` rows of `columns` values each.
///
/// The reference model keeps one input column (one im2col patch, length `D`)
/// per matrix row, so a batch of `N` columns is a `Matrix` of `N` rows.
public struct Matrix<Scalar: Sendable & Equatable>: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of values per row.
    public let columns: Int
    /// The values, row after row (`values[r * columns + c]`).
    public private(set) var values: [Scalar]

    /// A matrix over existing values; `values.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, values: [Scalar]) throws {
        guard rows >= 0, columns >= 0 else {
            throw PQError.parameterOutOfRange(
                field: "matrix shape", value: "[\(rows), \(columns)]", allowed: "non-negative sizes")
        }
        guard values.count == rows * columns else {
            throw PQError.sizeMismatch(
                field: "matrix values", expected: "\(rows) x \(columns) = \(rows * columns) values",
                found: "\(values.count) values")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix with every value equal to `value` (negative sizes count as 0).
    public init(rows: Int, columns: Int, repeating value: Scalar) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        self.values = Array(repeating: value, count: self.rows * self.columns)
    }

    /// A matrix from an array of equal-length rows.
    public init(rowArrays: [[Scalar]]) throws {
        let width = rowArrays.first?.count ?? 0
        for (index, row) in rowArrays.enumerated() where row.count != width {
            throw PQError.sizeMismatch(
                field: "matrix row \(index)", expected: "\(width) values", found: "\(row.count) values")
        }
        try self.init(rows: rowArrays.count, columns: width, values: rowArrays.flatMap { $0 })
    }

    /// The value at (`row`, `column`).
    public subscript(row: Int, column: Int) -> Scalar {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// One row as a slice of `values`.
    public func row(_ index: Int) -> ArraySlice<Scalar> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    /// The rows as separate arrays.
    public var rowArrays: [[Scalar]] {
        (0..<rows).map { Array(row($0)) }
    }

    /// A matrix of the same shape with `transform` applied to every value.
    public func map<Other>(_ transform: (Scalar) throws -> Other) rethrows -> Matrix<Other> {
        Matrix<Other>(unchecked: rows, columns, try values.map(transform))
    }

    /// Internal initializer for callers that already know the sizes agree.
    init(unchecked rows: Int, _ columns: Int, _ values: [Scalar]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

extension Matrix where Scalar == Double {
    /// The straightforward product `self * weightsᵀ`: `self` is [N, D], `weights`
    /// is [Cout, D] (one output channel per row, as PyTorch stores a linear
    /// layer), the result is [N, Cout]. Columns of `self` beyond the weights'
    /// `D` (zero padding) are ignored. This is the exact reference the PQ
    /// approximation is measured against, and the float baseline of the bench.
    public func multipliedTransposed(_ weights: Matrix<Double>) throws -> Matrix<Double> {
        guard weights.columns <= columns else {
            throw PQError.sizeMismatch(
                field: "weights", expected: "at most \(columns) input values per row",
                found: "\(weights.columns)")
        }
        let n = rows, d = weights.columns, cout = weights.rows, stride = columns
        // Loop order row, k, channel over the transposed weights: the inner
        // loop runs over contiguous channels, which the compiler vectorizes.
        var transposed = [Double](repeating: 0, count: d * cout)
        for c in 0..<cout {
            for k in 0..<d { transposed[k * cout + c] = weights.values[c * d + k] }
        }
        var out = [Double](repeating: 0, count: n * cout)
        values.withUnsafeBufferPointer { x in
            transposed.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    for r in 0..<n {
                        let yRow = UnsafeMutableBufferPointer(rebasing: y[(r * cout)..<((r + 1) * cout)])
                        for k in 0..<d {
                            let xv = x[r * stride + k]
                            let wRow = UnsafeBufferPointer(rebasing: w[(k * cout)..<((k + 1) * cout)])
                            for c in 0..<cout { yRow[c] += xv * wRow[c] }
                        }
                    }
                }
            }
        }
        return Matrix(unchecked: n, cout, out)
    }

    /// The squared Frobenius norm (sum of squares of all values).
    public var squaredNorm: Double {
        values.reduce(0) { $0 + $1 * $1 }
    }

    /// `‖self − exact‖_F / ‖exact‖_F`, the relative Frobenius error used in
    /// every accuracy report; 0 when both are zero.
    public func relativeError(to exact: Matrix<Double>) throws -> Double {
        guard rows == exact.rows, columns == exact.columns else {
            throw PQError.sizeMismatch(
                field: "approximation", expected: "[\(exact.rows), \(exact.columns)]",
                found: "[\(rows), \(columns)]")
        }
        var diff = 0.0
        for i in values.indices {
            let e = values[i] - exact.values[i]
            diff += e * e
        }
        let reference = exact.squaredNorm
        if reference == 0 { return diff == 0 ? 0 : .infinity }
        return (diff / reference).squareRoot()
    }
}
