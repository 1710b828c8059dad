/// Learning the trees of a tree encoder from calibration subvectors.
extension EncodingTrees where Scalar == Double {
    /// One subspace's tree learned greedily, level by level (the MADDNESS
    /// split): at each level, the element that, with each node's best
    /// threshold on it, leaves the least summed squared error of the buckets
    /// around their means (over all `Ls` elements); ties go to the lowest
    /// element. A node's threshold is the midpoint between the two
    /// neighbouring values where its bucket splits best; a bucket that no
    /// threshold improves (fewer than two distinct values) sends everything
    /// right, its threshold its smallest value, which quantization keeps
    /// exact when the value is on the grid (a zero,
    /// ``Quantizer/threshold(_:scale:format:)``).
    ///
    /// - Parameters:
    ///   - points: the subspace's calibration subvectors `[N, Ls]`.
    ///   - depth: levels (`Np = 2^depth`).
    /// - Returns: the split per level, the thresholds level by level, and the
    ///   leaves' centres `[Np][Ls]` (a leaf no point reaches takes its parent's).
    static func learnTree(points: Matrix<Double>, depth: Int) -> (splits: [Int], thresholds: [Double], centres: [Double]) {
        let ls = points.columns
        var buckets: [[Int]] = [Array(0..<points.rows)]
        var centres: [[Double]] = [mean(of: buckets[0], points, fallback: Array(repeating: 0, count: ls))]
        var splits: [Int] = [], thresholds: [Double] = []
        for _ in 0..<depth {
            var best: (element: Int, loss: Double, splits: [BucketSplit])?
            for element in 0..<ls {
                let candidates = buckets.map { bestSplit(of: $0, on: element, points) }
                let loss = candidates.reduce(0) { $0 + $1.loss }
                if best == nil || loss < best!.loss { best = (element, loss, candidates) }
            }
            guard let best else { break }
            splits.append(best.element)
            var next: [[Int]] = [], nextCentres: [[Double]] = []
            for (bucket, split) in zip(buckets.indices, best.splits) {
                thresholds.append(split.threshold)
                let rows = buckets[bucket]
                let left = rows.filter { points.values[$0 * ls + best.element] < split.threshold }
                let right = rows.filter { points.values[$0 * ls + best.element] >= split.threshold }
                next += [left, right]
                nextCentres += [mean(of: left, points, fallback: centres[bucket]), mean(of: right, points, fallback: centres[bucket])]
            }
            buckets = next
            centres = nextCentres
        }
        return (splits, thresholds, centres.flatMap { $0 })
    }

    /// A bucket's best threshold on one element and the squared error it leaves.
    struct BucketSplit {
        let threshold: Double
        let loss: Double
    }

    /// The threshold on `element` that leaves the least summed squared error
    /// of the two halves of `rows` (a value at or above it goes right).
    static func bestSplit(of rows: [Int], on element: Int, _ points: Matrix<Double>) -> BucketSplit {
        let ls = points.columns
        let value = { (row: Int) in points.values[row * ls + element] }
        let sorted = rows.sorted { value($0) < value($1) }
        guard let first = sorted.first else { return BucketSplit(threshold: 0, loss: 0) }
        var totalSum = [Double](repeating: 0, count: ls), totalSquares = 0.0
        for row in sorted {
            for d in 0..<ls {
                let x = points.values[row * ls + d]
                totalSum[d] += x
                totalSquares += x * x
            }
        }
        // No split: everything goes right (the smallest value as threshold).
        let totalNorm = totalSum.reduce(0) { $0 + $1 * $1 }
        var best = BucketSplit(threshold: value(first), loss: max(0, totalSquares - totalNorm / Double(sorted.count)))
        var leftSum = [Double](repeating: 0, count: ls), leftSquares = 0.0
        for i in 1..<sorted.count {
            let row = sorted[i - 1]
            for d in 0..<ls {
                let x = points.values[row * ls + d]
                leftSum[d] += x
                leftSquares += x * x
            }
            let (below, above) = (value(row), value(sorted[i]))
            guard below < above else { continue }
            var leftNorm = 0.0, rightNorm = 0.0
            for d in 0..<ls {
                leftNorm += leftSum[d] * leftSum[d]
                rightNorm += (totalSum[d] - leftSum[d]) * (totalSum[d] - leftSum[d])
            }
            let loss = max(0, leftSquares - leftNorm / Double(i))
                + max(0, totalSquares - leftSquares - rightNorm / Double(sorted.count - i))
            if loss < best.loss { best = BucketSplit(threshold: (below + above) / 2, loss: loss) }
        }
        return best
    }

    /// The mean of `rows` of `points`, or `fallback` when there are none.
    static func mean(of rows: [Int], _ points: Matrix<Double>, fallback: [Double]) -> [Double] {
        guard !rows.isEmpty else { return fallback }
        let ls = points.columns
        var sum = [Double](repeating: 0, count: ls)
        for row in rows { for d in 0..<ls { sum[d] += points.values[row * ls + d] } }
        return sum.map { $0 / Double(rows.count) }
    }
}
