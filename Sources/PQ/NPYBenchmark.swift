import Foundation

/// Read and write throughput of `.npy` files, in bytes of file per second.
///
/// For each dtype, an array of about `megabytes` MB is written to a
/// temporary folder (`NPYArray.write(to:)`, encoding included) and read
/// back (`NPYArray.read(from:)`, decoding included, so from the page
/// cache); the best of three runs of each counts.
public enum NPYBenchmark {
    /// One dtype's figures.
    public struct Figure: Sendable {
        /// The element type.
        public let dtype: NPYDType
        /// File size in bytes.
        public let bytes: Int
        /// Bytes per second writing.
        public let writeRate: Double
        /// Bytes per second reading.
        public let readRate: Double
    }

    /// Measures float32 and int8 (or `dtypes`) arrays of about `megabytes` MB.
    public static func run(megabytes: Int, dtypes: [NPYDType] = [.float32, .int8]) throws -> [Figure] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-npy-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SeededGenerator(seed: 1)
        return try dtypes.map { dtype in
            let count = megabytes * 1_000_000 / dtype.itemSize, columns = 576
            let shape = [count / columns, columns]
            let array: NPYArray
            if let range = dtype.integerRange {
                array = try NPYArray(integers: (0..<(shape[0] * columns)).map { _ in generator.nextInt(in: range) }, shape: shape, dtype: dtype)
            } else {
                array = try NPYArray(floats: (0..<(shape[0] * columns)).map { _ in Double(Float(generator.nextGaussian())) }, shape: shape, dtype: dtype)
            }
            let url = folder.appendingPathComponent("\(dtype.rawValue).npy")
            let write = try PQBenchmarks.best { try array.write(to: url) }
            var back: NPYArray?
            let read = try PQBenchmarks.best { back = try NPYArray.read(from: url) }
            guard back == array else {
                throw NPYError.cannotRead(file: url.path, reason: "the values read back differ from those written")
            }
            let bytes = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            return Figure(dtype: dtype, bytes: bytes, writeRate: Double(bytes) / write, readRate: Double(bytes) / read)
        }
    }
}
