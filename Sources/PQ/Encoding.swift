/// Encoding: each subvector of a column is replaced by the index of its
/// nearest prototype (its *code*). Ties go to the lowest prototype index.
///
/// A column may be given at its padded length `Ns * Ls` or shorter (at least
/// `(Ns - 1) * Ls + 1` values); a short column is padded with zeros.
extension Codebooks where Scalar == Double {
    /// The codes (one per subspace) of one column.
    public func encode(column: [Double], metric: DistanceMetric) throws -> [Int] {
        try encode(columns: Matrix(rows: 1, columns: column.count, values: column), metric: metric).values
    }

    /// The codes `[N, Ns]` of a batch of columns `[N, D]`.
    public func encode(columns: Matrix<Double>, metric: DistanceMetric) throws -> Matrix<Int> {
        try checkColumnLength(columns.columns)
        return EncoderKernel.encode(columns, self, metric: metric)
    }

    /// Every distance of one column to every prototype, flat `[Ns][Np]`.
    public func distances(column: [Double], metric: DistanceMetric) throws -> [Double] {
        try checkColumnLength(column.count)
        let x = column + Array(repeating: 0, count: ns * ls - column.count)
        var result: [Double] = []
        result.reserveCapacity(ns * np)
        for s in 0..<ns {
            for p in 0..<np {
                result.append(metric.distance(x[(s * ls)..<((s + 1) * ls)], prototype(subspace: s, index: p)))
            }
        }
        return result
    }

    private func checkColumnLength(_ count: Int) throws {
        try Codebooks.checkLength(count, ns: ns, ls: ls)
    }
}

extension Codebooks where Scalar == Int {
    /// The codes (one per subspace) of one integer column, in exact integer
    /// arithmetic. Throws when the values are so large that a distance could
    /// pass 2^62 (use ``IntegerPQLayer`` to have formats checked instead).
    public func encode(column: [Int], metric: DistanceMetric) throws -> [Int] {
        try encode(columns: Matrix(rows: 1, columns: column.count, values: column), metric: metric).values
    }

    /// The codes `[N, Ns]` of a batch of integer columns `[N, D]`.
    public func encode(columns: Matrix<Int>, metric: DistanceMetric) throws -> Matrix<Int> {
        try Codebooks.checkLength(columns.columns, ns: ns, ls: ls)
        try Codebooks.checkDistanceBound(values, columns.values, ls: ls)
        return encodeUnchecked(columns: columns, metric: metric)
    }

    /// Every distance of one column to every prototype, flat `[Ns][Np]`.
    public func distances(column: [Int], metric: DistanceMetric) throws -> [Int] {
        try Codebooks.checkLength(column.count, ns: ns, ls: ls)
        try Codebooks.checkDistanceBound(values, column, ls: ls)
        return distancesUnchecked(column: column + Array(repeating: 0, count: ns * ls - column.count), metric: metric)
    }

    /// Distances of a padded column whose values are known to be in bounds.
    func distancesUnchecked(column x: [Int], metric: DistanceMetric) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(ns * np)
        for s in 0..<ns {
            for p in 0..<np {
                result.append(metric.distance(x[(s * ls)..<((s + 1) * ls)], prototype(subspace: s, index: p)))
            }
        }
        return result
    }

    /// Codes of columns whose values are known to be in bounds (lengths checked by the caller).
    func encodeUnchecked(columns: Matrix<Int>, metric: DistanceMetric) -> Matrix<Int> {
        EncoderKernel.encode(columns, self, metric: metric)
    }

    /// Rejects value sets whose worst-case L2 distance (`Ls * (max|x| + max|p|)²`)
    /// could exceed 2^62; the same bound covers L1 and Chebyshev.
    static func checkDistanceBound(_ prototypes: [Int], _ inputs: [Int], ls: Int) throws {
        let px = prototypes.reduce(UInt(0)) { max($0, $1.magnitude) }
        let ix = inputs.reduce(UInt(0)) { max($0, $1.magnitude) }
        let limit = UInt(1) << 62
        let (diff, o1) = px.addingReportingOverflow(ix)
        let (square, o2) = diff.multipliedReportingOverflow(by: diff)
        let (total, o3) = square.multipliedReportingOverflow(by: UInt(ls))
        if o1 || o2 || o3 || total > limit {
            throw PQError.boundTooLarge(
                quantity: "an L2 distance over \(ls) values of magnitude up to \(ix) (inputs) and \(px) (prototypes)",
                bound: o1 || o2 || o3 ? "more than 2^64" : "\(total)",
                fix: "quantize inputs and prototypes to at most 16 bits")
        }
    }
}

extension Codebooks {
    static func checkLength(_ count: Int, ns: Int, ls: Int) throws {
        guard count > (ns - 1) * ls, count <= ns * ls else {
            throw PQError.sizeMismatch(
                field: "column", expected: "between \((ns - 1) * ls + 1) and \(ns * ls) values (Ns=\(ns), Ls=\(ls))",
                found: "\(count) values")
        }
    }
}

/// The batch encoder shared by the float and integer paths.
///
/// Prototypes are first transposed to `[Ns][Ls][Np]` so that, for each
/// subspace and each element `l`, the terms of all `Np` distances are
/// computed by one loop over contiguous prototypes: the loop has no
/// dependency between iterations and vectorizes, where the direct
/// per-prototype sum would wait on each addition. The result is the same
/// (each distance adds its terms in the same order `l = 0, 1, ...`).
enum EncoderKernel {
    static func encode<T: EncodingScalar>(
        _ columns: Matrix<T>, _ books: Codebooks<T>, metric: DistanceMetric
    ) -> Matrix<Int> {
        let (ns, np, ls, width) = (books.ns, books.np, books.ls, columns.columns)
        var transposed = [T](repeating: .zero, count: ns * ls * np)
        for s in 0..<ns {
            for p in 0..<np {
                for l in 0..<ls { transposed[(s * ls + l) * np + p] = books.values[(s * np + p) * ls + l] }
            }
        }
        var codes = [Int](repeating: 0, count: columns.rows * ns)
        var column = [T](repeating: .zero, count: ns * ls)
        var distances = [T](repeating: .zero, count: np)
        transposed.withUnsafeBufferPointer { pt in
            distances.withUnsafeMutableBufferPointer { dist in
                for r in 0..<columns.rows {
                    for k in 0..<width { column[k] = columns.values[r * width + k] }
                    for s in 0..<ns {
                        for p in 0..<np { dist[p] = .zero }
                        for l in 0..<ls {
                            let x = column[s * ls + l], base = (s * ls + l) * np
                            let row = UnsafeBufferPointer(rebasing: pt[base..<(base + np)])
                            switch metric {
                            case .l2:
                                for p in 0..<np { dist[p] = T.sum(dist[p], T.squaredDifference(x, row[p])) }
                            case .l1:
                                for p in 0..<np { dist[p] = T.sum(dist[p], T.absoluteDifference(x, row[p])) }
                            case .chebyshev:
                                for p in 0..<np { dist[p] = max(dist[p], T.absoluteDifference(x, row[p])) }
                            }
                        }
                        var best = 0
                        for p in 1..<max(np, 1) where dist[p] < dist[best] { best = p }  // strict: ties keep the lower index
                        codes[r * ns + s] = best
                    }
                }
            }
        }
        return Matrix(unchecked: columns.rows, ns, codes)
    }
}

/// The arithmetic of one distance term, per scalar type.
///
/// The integer versions wrap (`&+`, `&-`, `&*`) instead of trapping so the
/// loops vectorize; they never actually wrap, because every caller first
/// bounds the values: ``IntegerPQLayer`` through its formats and
/// ``HardwareWidths`` (every distance below 2^62), and
/// `Codebooks<Int>.encode` through `checkDistanceBound`.
protocol EncodingScalar: Comparable, Sendable, AdditiveArithmetic {
    static func squaredDifference(_ x: Self, _ p: Self) -> Self
    static func absoluteDifference(_ x: Self, _ p: Self) -> Self
    static func sum(_ a: Self, _ b: Self) -> Self
}

extension Double: EncodingScalar {
    @inline(__always) static func squaredDifference(_ x: Double, _ p: Double) -> Double { (x - p) * (x - p) }
    @inline(__always) static func absoluteDifference(_ x: Double, _ p: Double) -> Double { abs(x - p) }
    @inline(__always) static func sum(_ a: Double, _ b: Double) -> Double { a + b }
}

extension Int: EncodingScalar {
    @inline(__always) static func squaredDifference(_ x: Int, _ p: Int) -> Int {
        let d = x &- p
        return d &* d
    }

    @inline(__always) static func absoluteDifference(_ x: Int, _ p: Int) -> Int {
        let d = x &- p
        return d < 0 ? 0 &- d : d
    }

    @inline(__always) static func sum(_ a: Int, _ b: Int) -> Int { a &+ b }
}
