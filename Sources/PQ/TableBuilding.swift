/// Building the lookup table from prototypes and weights, and refitting it.
extension LookupTable where Scalar == Double {
    /// The table of prototype-weight dot products:
    /// `table[s][p][c] = Σ_l proto[s][p][l] * W[c][s*Ls + l]`, with `W` the
    /// weight matrix `[Cout, D]` (PyTorch's linear layout, or a conv weight
    /// reshaped to `[Cout, Cin*kH*kW]`) and its columns past `D` taken as zero.
    public static func build(prototypes: Codebooks<Double>, weights: Matrix<Double>) throws -> LookupTable<Double> {
        let (ns, np, ls, cout, d) = (prototypes.ns, prototypes.np, prototypes.ls, weights.rows, weights.columns)
        guard d > (ns - 1) * ls, d <= ns * ls, cout >= 1 else {
            throw PQError.sizeMismatch(
                field: "weights", expected: "[Cout >= 1, D] with D in \((ns - 1) * ls + 1)...\(ns * ls) (Ns=\(ns), Ls=\(ls))",
                found: "[\(cout), \(d)]")
        }
        var table = [Double](repeating: 0, count: ns * np * cout)
        for s in 0..<ns {
            for p in 0..<np {
                for c in 0..<cout {
                    var sum = 0.0
                    for l in 0..<ls where s * ls + l < d {
                        sum += prototypes.values[(s * np + p) * ls + l] * weights.values[c * d + s * ls + l]
                    }
                    table[(s * np + p) * cout + c] = sum
                }
            }
        }
        return LookupTable(unchecked: ns, np, cout, table)
    }

    /// The largest `Ns * Np` the refit accepts (its normal matrix is dense
    /// `(Ns*Np)²` doubles: 8192 means 512 MiB).
    public static let maxRefitUnknowns = 8192

    /// The ridge-regression refit of the table (the MADDNESS refinement):
    /// with `G` the one-hot encoding matrix `[N, Ns*Np]` of the training codes
    /// and `Y` the exact outputs `[N, Cout]`, solves
    /// `(GᵀG + λI) T = GᵀY` by Cholesky, in Double, and returns `T` as the
    /// table `[Ns][Np][Cout]`. `lambda` must be positive (`GᵀG` alone is
    /// singular: every subspace's one-hot columns sum to the same vector).
    public static func ridgeRefit(codes: Matrix<Int>, np: Int, targets: Matrix<Double>, lambda: Double) throws -> LookupTable<Double> {
        let (n, ns, cout) = (codes.rows, codes.columns, targets.columns)
        guard lambda > 0, lambda.isFinite else {
            throw PQError.parameterOutOfRange(field: "refit lambda", value: "\(lambda)", allowed: "a finite value > 0")
        }
        guard targets.rows == n, n >= 1 else {
            throw PQError.sizeMismatch(field: "refit targets", expected: "\(n) rows (one per encoded column, at least 1)", found: "\(targets.rows)")
        }
        let unknowns = ns * np
        guard unknowns <= maxRefitUnknowns else {
            throw PQError.parameterOutOfRange(
                field: "Ns*Np for the refit", value: "\(unknowns)", allowed: "1...\(maxRefitUnknowns) (use fewer prototypes or skip the refit)")
        }
        for (i, code) in codes.values.enumerated() where code < 0 || code >= np {
            throw PQError.codeOutOfRange(subspace: i % max(ns, 1), code: code, np: np)
        }
        var normal = [Double](repeating: 0, count: unknowns * unknowns)
        var rhs = [Double](repeating: 0, count: unknowns * cout)
        for r in 0..<n {
            for s in 0..<ns {
                let i = s * np + codes.values[r * ns + s]
                for t in 0..<ns {
                    normal[i * unknowns + t * np + codes.values[r * ns + t]] += 1
                }
                for c in 0..<cout { rhs[i * cout + c] += targets.values[r * cout + c] }
            }
        }
        for i in 0..<unknowns { normal[i * unknowns + i] += lambda }
        let solution = try Cholesky.solve(
            Matrix(unchecked: unknowns, unknowns, normal), Matrix(unchecked: unknowns, cout, rhs))
        return LookupTable(unchecked: ns, np, cout, solution.values)
    }
}
