/// k-means clustering under squared Euclidean distance, used to learn the
/// prototypes of one subspace.
///
/// Seeding is k-means++ (Arthur and Vassilvitskii): the first centre is a
/// uniformly chosen point, each next one a point drawn with probability
/// proportional to its squared distance to the nearest centre so far. Then
/// Lloyd iterations alternate assignment (nearest centre, ties to the lowest
/// index) and update (each centre moves to the mean of its points) until no
/// assignment changes or `maxIterations` is reached.
///
/// A cluster left empty after an assignment is re-seeded with the point that
/// lies farthest from its own centre (ties to the lowest point index), and
/// that point is not used again in the same iteration.
///
/// Everything is deterministic for a given seed: the only randomness comes
/// from the ``SeededGenerator`` passed in.
public enum KMeans {
    /// The outcome of a clustering.
    public struct Result: Sendable, Equatable {
        /// The `k` centres, flat `[k][dimension]`.
        public var centroids: [Double]
        /// For each point, the index of its centre.
        public var assignments: [Int]
        /// Lloyd iterations performed.
        public var iterations: Int
        /// Sum of squared distances of points to their centres.
        public var inertia: Double
    }

    /// Clusters the rows of `points` into `k` clusters.
    ///
    /// With fewer distinct points than `k`, some centres coincide (they are
    /// drawn uniformly once every point is already a centre).
    public static func fit(
        points: Matrix<Double>, k: Int, generator: inout SeededGenerator, maxIterations: Int = 25
    ) throws -> Result {
        guard points.rows >= 1, points.columns >= 1 else {
            throw PQError.parameterOutOfRange(
                field: "k-means points", value: "[\(points.rows), \(points.columns)]", allowed: "at least one row and one column")
        }
        guard k >= 1 else {
            throw PQError.parameterOutOfRange(field: "k (Np)", value: "\(k)", allowed: ">= 1")
        }
        for (i, v) in points.values.enumerated() where !v.isFinite {
            throw PQError.nonFiniteValue(field: "k-means points", index: i)
        }
        var centroids = seed(points: points, k: k, generator: &generator)
        let n = points.rows, dim = points.columns
        var assignments = [Int](repeating: -1, count: n)
        var distances = [Double](repeating: 0, count: n)
        var iterations = 0
        while true {
            let changed = assign(points, centroids, k, &assignments, &distances)
            if !changed || iterations >= maxIterations { break }
            iterations += 1
            var sums = [Double](repeating: 0, count: k * dim)
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                let c = assignments[i]
                counts[c] += 1
                for j in 0..<dim { sums[c * dim + j] += points.values[i * dim + j] }
            }
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<dim { centroids[c * dim + j] = sums[c * dim + j] / Double(counts[c]) }
            }
            for c in 0..<k where counts[c] == 0 {
                // Re-seed an empty cluster with the worst-served point.
                var far = 0
                for i in 1..<n where distances[i] > distances[far] { far = i }
                for j in 0..<dim { centroids[c * dim + j] = points.values[far * dim + j] }
                distances[far] = -1
            }
        }
        let inertia = distances.reduce(0) { $0 + max($1, 0) }
        return Result(centroids: centroids, assignments: assignments, iterations: iterations, inertia: inertia)
    }

    /// Clusters with a fresh generator made from `seed`.
    public static func fit(points: Matrix<Double>, k: Int, seed: UInt64, maxIterations: Int = 25) throws -> Result {
        var generator = SeededGenerator(seed: seed)
        return try fit(points: points, k: k, generator: &generator, maxIterations: maxIterations)
    }

    /// k-means++ seeding; returns `k` centres flat `[k][dim]`.
    static func seed(points: Matrix<Double>, k: Int, generator: inout SeededGenerator) -> [Double] {
        let n = points.rows, dim = points.columns
        var centroids = [Double](repeating: 0, count: k * dim)
        var nearest = [Double](repeating: .infinity, count: n)
        var chosen = generator.nextInt(below: n)
        for c in 0..<k {
            if c > 0 {
                let total = nearest.reduce(0, +)
                if total > 0 {
                    let target = generator.nextDouble() * total
                    var cumulative = 0.0
                    chosen = -1
                    for i in 0..<n where nearest[i] > 0 {
                        chosen = i
                        cumulative += nearest[i]
                        if cumulative > target { break }
                    }
                } else {
                    chosen = generator.nextInt(below: n)
                }
            }
            for j in 0..<dim { centroids[c * dim + j] = points.values[chosen * dim + j] }
            for i in 0..<n {
                var d = 0.0
                for j in 0..<dim {
                    let e = points.values[i * dim + j] - centroids[c * dim + j]
                    d += e * e
                }
                nearest[i] = min(nearest[i], d)
            }
        }
        return centroids
    }

    /// Assigns every point to its nearest centre; returns whether any
    /// assignment changed, and stores each point's squared distance.
    static func assign(
        _ points: Matrix<Double>, _ centroids: [Double], _ k: Int,
        _ assignments: inout [Int], _ distances: inout [Double]
    ) -> Bool {
        let n = points.rows, dim = points.columns
        var changed = false
        points.values.withUnsafeBufferPointer { x in
            centroids.withUnsafeBufferPointer { cs in
                for i in 0..<n {
                    var best = 0
                    var bestDistance = Double.infinity
                    for c in 0..<k {
                        let d = DistanceKernel.distance(.l2, x, i * dim, cs, c * dim, dim)
                        if d < bestDistance {
                            bestDistance = d
                            best = c
                        }
                    }
                    if assignments[i] != best { changed = true }
                    assignments[i] = best
                    distances[i] = bestDistance
                }
            }
        }
        return changed
    }
}
