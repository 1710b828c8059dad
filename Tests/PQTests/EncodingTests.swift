import Testing
@testable import PQ

@Suite struct EncodingTests {
    /// Two subspaces of length 2, three prototypes each.
    let books: Codebooks<Int> = {
        try! Codebooks(nested: [[[0, 0], [10, 0], [0, 10]], [[1, 1], [-5, -5], [5, 5]]])
    }()

    @Test func handComputedCodes() throws {
        #expect(try books.encode(column: [9, 1, 4, 6], metric: .l2) == [1, 2])
        #expect(try books.encode(column: [1, 8, -4, -3], metric: .l1) == [2, 1])
        #expect(try books.map(Double.init).encode(column: [9, 1, 4, 6], metric: .l2) == [1, 2])
    }

    @Test(arguments: DistanceMetric.allCases)
    func tiesGoToTheLowestIndex(metric: DistanceMetric) throws {
        // [5, 5] is equally far from all three prototypes under every metric.
        let tie = try Codebooks(nested: [[[10, 0], [0, 10], [10, 0]]])
        #expect(try tie.encode(column: [5, 5], metric: metric) == [0])
        let same = try Codebooks(nested: [[[3, 3], [3, 3], [3, 3]]])
        #expect(try same.encode(column: [7, -2], metric: metric) == [0])
        #expect(try same.map(Double.init).encode(column: [7, -2], metric: metric) == [0])
        // Only the later two tie: the lower of them wins.
        let later = try Codebooks(nested: [[[100, 100], [1, 0], [0, 1]]])
        #expect(try later.encode(column: [0, 0], metric: metric) == [1])
    }

    @Test(arguments: DistanceMetric.allCases)
    func batchEncoderMatchesBruteForce(metric: DistanceMetric) throws {
        let (ns, np, ls, n) = (4, 5, 3, 40)
        let protos = try Codebooks(ns: ns, np: np, ls: ls, values: TestSupport.integers(ns * np * ls, in: -9...9, seed: 1))
        let x = try Matrix(rows: n, columns: ns * ls - 1, values: TestSupport.integers(n * (ns * ls - 1), in: -9...9, seed: 2))
        let codes = try protos.encode(columns: x, metric: metric)
        let floatCodes = try protos.map(Double.init).encode(columns: x.map(Double.init), metric: metric)
        #expect(codes == floatCodes)
        for r in 0..<n {
            let column = Array(x.row(r)) + [0]
            for s in 0..<ns {
                let sub = column[(s * ls)..<((s + 1) * ls)]
                let distances = (0..<np).map { metric.distance(sub, protos.prototype(subspace: s, index: $0)) }
                let expected = distances.firstIndex(of: distances.min() ?? 0) ?? -1
                #expect(codes[r, s] == expected)
            }
            let all = try protos.distances(column: column, metric: metric)
            #expect(all.count == ns * np)
        }
    }

    @Test func prototypesEqualToTheDataAreFoundExactly() throws {
        let data = TestSupport.gaussian(rows: 6, columns: 4, seed: 3)
        // Subspace s's prototypes are the data rows' subvectors.
        var values: [Double] = []
        for s in 0..<2 { for r in 0..<6 { values += [data[r, 2 * s], data[r, 2 * s + 1]] } }
        let books = try Codebooks(ns: 2, np: 6, ls: 2, values: values)
        let codes = try books.encode(columns: data, metric: .l2)
        for r in 0..<6 { #expect(Array(codes.row(r)) == [r, r]) }
    }

    @Test func rejectsBadColumnsAndHugeValues() throws {
        #expect(throws: PQError.self) { try books.encode(column: [1, 2], metric: .l2) }
        #expect(throws: PQError.self) { try books.encode(column: [1, 2, 3, 4, 5], metric: .l2) }
        let error = #expect(throws: PQError.self) { try books.encode(column: [Int.max, 0, 0, 0], metric: .l2) }
        #expect(error?.description.contains("16 bits") == true)
        #expect(throws: PQError.self) { try books.distances(column: [1 << 40, 0, 0, 0], metric: .l1) }
    }
}
