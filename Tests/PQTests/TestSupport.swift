import Foundation
import Testing
@testable import PQ

/// Shared helpers of the PQ tests.
enum TestSupport {
    /// The URL of a fixture file under `Tests/PQTests/Fixtures`.
    static func fixture(_ name: String) throws -> URL {
        let base = try #require(Bundle.module.resourceURL, "test resource bundle not found")
        return base.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pq-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A matrix of standard normal values.
    static func gaussian(rows: Int, columns: Int, seed: UInt64) -> Matrix<Double> {
        var generator = SeededGenerator(seed: seed)
        return Matrix(unchecked: rows, columns, (0..<(rows * columns)).map { _ in generator.nextGaussian() })
    }

    /// Uniform integers in `range`.
    static func integers(_ count: Int, in range: ClosedRange<Int>, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextInt(in: range) }
    }

    /// A small valid integer layer with random contents within its formats.
    static func integerLayer(
        ls: Int = 3, np: Int = 4, ns: Int = 3, cout: Int = 5, inputLength: Int? = nil, metric: DistanceMetric = .l2,
        bits: Int = 8, requantization: Requantization = Requantization(multiplier: 3, shift: 4), seed: UInt64 = 7
    ) throws -> IntegerPQLayer {
        let shape = try PQShape(ls: ls, np: np, ns: ns, cout: cout, inputLength: inputLength)
        let f = try IntegerFormat.signed(bits)
        let formats = LayerFormats(activation: f, prototype: f, entry: f, bias: try .signed(16), output: f)
        let configuration = try PQConfiguration(shape: shape, metric: metric, formats: formats, multiplierBits: 8, maxShift: 8)
        return try IntegerPQLayer(
            configuration: configuration,
            prototypes: Codebooks(ns: ns, np: np, ls: ls, values: integers(ns * np * ls, in: f.minValue...f.maxValue, seed: seed)),
            table: LookupTable(ns: ns, np: np, cout: cout, values: integers(ns * np * cout, in: f.minValue...f.maxValue, seed: seed + 1)),
            bias: integers(cout, in: -1000...1000, seed: seed + 2), requantization: requantization)
    }
}
