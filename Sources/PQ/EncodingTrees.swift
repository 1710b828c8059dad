/// How a PQ layer finds each subvector's code.
public enum EncoderKind: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The nearest prototype under the layer's ``DistanceMetric`` (ties to the lowest index).
    case distance
    /// A balanced binary decision tree per subspace (MADDNESS): see ``EncodingTrees``.
    case tree

    public var description: String { rawValue }
}

/// Balanced binary decision trees, one per subspace, that encode a subvector
/// with `log2(Np)` comparisons instead of `Np` distances (MADDNESS, Blalock
/// and Guttag, ICML 2021).
///
/// Every tree has `depth` levels and `Np = 2^depth` leaves. All nodes of a
/// level compare the same element of the subvector, `split(subspace:level:)`
/// (an index in `0..<Ls`), each with its own threshold. Starting at node 0 of
/// level 0, a value **greater than or equal to** the node's threshold goes
/// right: node `k` of level `l` leads to node `2k + 1` of level `l + 1`, and a
/// smaller value goes left, to node `2k`. The node reached after the last
/// level is the code. Thresholds are stored level by level: node `k` of level
/// `l` at `2^l - 1 + k` of its subspace's `Np - 1`.
///
/// Elements past the end of an unpadded column read as zero, as in the
/// distance encoder.
public struct EncodingTrees<Scalar: Comparable & AdditiveArithmetic & Sendable>: Sendable, Equatable {
    /// Subspaces (trees) `Ns`.
    public let ns: Int
    /// Subvector length `Ls`.
    public let ls: Int
    /// Levels of every tree: `Np = 2^depth`.
    public let depth: Int
    /// The element each level compares, `[Ns][depth]`, each in `0..<Ls`.
    public let splits: [Int]
    /// The thresholds, `[Ns][Np - 1]`, level by level.
    public let thresholds: [Scalar]

    /// The largest depth accepted (`Np` up to 2^16, as ``PQShape/maxNp``).
    public static var maxDepth: Int { 16 }

    /// Trees from their splits and thresholds; throws a ``PQError`` naming
    /// the first size or split index that is wrong.
    public init(ns: Int, ls: Int, depth: Int, splits: [Int], thresholds: [Scalar]) throws {
        try PQShape.check("Ns", ns, 1...PQShape.maxNsOrCout)
        try PQShape.check("Ls", ls, 1...PQShape.maxLs)
        try PQShape.check("tree depth", depth, 0...EncodingTrees.maxDepth)
        guard splits.count == ns * depth else {
            throw PQError.sizeMismatch(field: "splits", expected: "[\(ns), \(depth)] (Ns, depth) = \(ns * depth) values",
                                       found: "\(splits.count) values")
        }
        let nodes = (1 << depth) - 1
        guard thresholds.count == ns * nodes else {
            throw PQError.sizeMismatch(field: "thresholds", expected: "[\(ns), \(nodes)] (Ns, Np - 1) = \(ns * nodes) values",
                                       found: "\(thresholds.count) values")
        }
        if let bad = splits.firstIndex(where: { !(0..<ls).contains($0) }) {
            throw PQError.parameterOutOfRange(field: "splits[\(bad / max(depth, 1))][\(bad % max(depth, 1))]", value: "\(splits[bad])",
                                              allowed: "0...\(ls - 1) (an element of the subvector, Ls = \(ls))")
        }
        self.ns = ns
        self.ls = ls
        self.depth = depth
        self.splits = splits
        self.thresholds = thresholds
    }

    /// Leaves of every tree: `2^depth`.
    public var np: Int { 1 << depth }

    /// The element of the subvector that level `level` of subspace `subspace`'s tree compares.
    public func split(subspace: Int, level: Int) -> Int { splits[subspace * depth + level] }

    /// The threshold of node `node` of level `level` of subspace `subspace`'s tree.
    public func threshold(subspace: Int, level: Int, node: Int) -> Scalar {
        thresholds[subspace * (np - 1) + (1 << level) - 1 + node]
    }

    /// The codes `[N, Ns]` of columns `[N, width]` (`width` at most `Ns * Ls`;
    /// elements past it read as zero).
    func encode(_ columns: Matrix<Scalar>) -> Matrix<Int> {
        let width = columns.columns
        var codes = [Int](repeating: 0, count: columns.rows * ns)
        for r in 0..<columns.rows {
            let row = r * width
            for s in 0..<ns {
                var node = 0
                for level in 0..<depth {
                    let element = s * ls + split(subspace: s, level: level)
                    let x = element < width ? columns.values[row + element] : .zero
                    node = 2 * node + (x >= threshold(subspace: s, level: level, node: node) ? 1 : 0)
                }
                codes[r * ns + s] = node
            }
        }
        return Matrix(unchecked: columns.rows, ns, codes)
    }

    /// Checks that the trees fit `shape`: the same `Ns` and `Ls`, `Np = 2^depth`.
    func check(against shape: PQShape) throws {
        guard ns == shape.ns, ls == shape.ls else {
            throw PQError.sizeMismatch(field: "trees", expected: "Ns = \(shape.ns), Ls = \(shape.ls)", found: "Ns = \(ns), Ls = \(ls)")
        }
        guard np == shape.np else {
            throw PQError.parameterOutOfRange(
                field: "Np", value: "\(shape.np)",
                allowed: "2^depth = \(np) for trees of depth \(depth) (a tree encoder needs a power of two)")
        }
    }
}
