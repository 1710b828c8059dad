import Testing
@testable import PQ

@Suite struct KMeansTests {
    @Test func findsWellSeparatedClusters() throws {
        // Three tight clusters around (0,0), (10,10), (-10,5).
        var g = SeededGenerator(seed: 11)
        let centres: [(Double, Double)] = [(0, 0), (10, 10), (-10, 5)]
        var values: [Double] = []
        for i in 0..<60 {
            let c = centres[i % 3]
            values += [c.0 + 0.1 * g.nextGaussian(), c.1 + 0.1 * g.nextGaussian()]
        }
        let points = try Matrix(rows: 60, columns: 2, values: values)
        let result = try KMeans.fit(points: points, k: 3, seed: 1)
        for c in centres {
            let nearest = (0..<3).map { k in
                let dx = result.centroids[2 * k] - c.0, dy = result.centroids[2 * k + 1] - c.1
                return dx * dx + dy * dy
            }.min() ?? .infinity
            #expect(nearest < 0.01)
        }
        // Points of one true cluster share an assignment.
        for i in 3..<60 { #expect(result.assignments[i] == result.assignments[i % 3]) }
        #expect(result.inertia < 60 * 0.1)
    }

    @Test func deterministicForASeed() throws {
        let points = TestSupport.gaussian(rows: 200, columns: 3, seed: 4)
        let a = try KMeans.fit(points: points, k: 8, seed: 99)
        let b = try KMeans.fit(points: points, k: 8, seed: 99)
        let c = try KMeans.fit(points: points, k: 8, seed: 100)
        #expect(a == b)
        #expect(a.centroids != c.centroids)
    }

    @Test func inertiaFallsAsKGrows() throws {
        let points = TestSupport.gaussian(rows: 300, columns: 2, seed: 5)
        let inertias = try [1, 2, 4, 8, 16].map { try KMeans.fit(points: points, k: $0, seed: 3).inertia }
        for (a, b) in zip(inertias, inertias.dropFirst()) { #expect(b < a) }
    }

    @Test func moreClustersThanDistinctPoints() throws {
        let points = try Matrix(rows: 4, columns: 1, values: [1.0, 1, 5, 5])
        let result = try KMeans.fit(points: points, k: 3, seed: 0)
        #expect(result.centroids.count == 3)
        #expect(Set(result.centroids).isSubset(of: [1, 5]))
        #expect(result.inertia == 0)
    }

    @Test func emptyClusterIsReseededWithTheWorstServedPoint() throws {
        // Centroids seeded at 0 and at 100 with k = 3 on points {0, 0, 100, 101, 102}:
        // every cluster ends up non-empty and the spread cluster is split.
        let points = try Matrix(rows: 5, columns: 1, values: [0.0, 0, 100, 101, 102])
        let result = try KMeans.fit(points: points, k: 3, seed: 7)
        #expect(Set(result.assignments).count == 3)
        #expect(result.inertia <= 0.5 + 1e-9)
    }

    @Test func rejectsBadInput() throws {
        #expect(throws: PQError.self) { try KMeans.fit(points: Matrix(rows: 0, columns: 2, values: []), k: 2, seed: 0) }
        #expect(throws: PQError.self) { try KMeans.fit(points: Matrix(rows: 1, columns: 1, values: [1.0]), k: 0, seed: 0) }
        #expect(throws: PQError.self) { try KMeans.fit(points: Matrix(rows: 1, columns: 1, values: [Double.nan]), k: 1, seed: 0) }
    }
}
