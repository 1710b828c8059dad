import Testing
@testable import PQ

@Suite struct DistanceMetricTests {
    @Test func handComputedDistances() {
        let x: [Double] = [1, -2, 3], p: [Double] = [0, 1, 5]
        // differences 1, -3, -2
        #expect(DistanceMetric.l2.distance(x[...], p[...]) == 14)
        #expect(DistanceMetric.l1.distance(x[...], p[...]) == 6)
        #expect(DistanceMetric.chebyshev.distance(x[...], p[...]) == 3)
        let xi = [1, -2, 3], pi = [0, 1, 5]
        #expect(DistanceMetric.l2.distance(xi[...], pi[...]) == 14)
        #expect(DistanceMetric.l1.distance(xi[...], pi[...]) == 6)
        #expect(DistanceMetric.chebyshev.distance(xi[...], pi[...]) == 3)
    }

    @Test func rawValuesAreTheCommandLineNames() {
        #expect(DistanceMetric.allCases.map(\.rawValue) == ["l2", "l1", "chebyshev"])
        #expect(DistanceMetric(rawValue: "chebyshev") == .chebyshev)
    }
}
