import Foundation

/// Read and write throughput of `.npy` files, in bytes of file per second.
///
/// For each dtype, an array of about `megabytes` MB is written to a
/// temporary folder and read back (so from the page cache), as an
/// ``NPYRawArray`` (elements as stored) and as an ``NPYArray`` (elements
/// widened to `Int` or `Double`, 8 bytes each, so an int8 file fills 8 times
/// its size in memory); the best of three runs of each counts.
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
        /// Bytes per second writing an ``NPYRawArray``.
        public let rawWriteRate: Double
        /// Bytes per second reading an ``NPYRawArray``.
        public let rawReadRate: Double
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
            let raw = NPYRawArray(array)
            let writeRaw = try PQBenchmarks.best { try raw.write(to: url) }
            let readRaw = try timedRead { try NPYRawArray.read(from: url) == raw }
            let write = try PQBenchmarks.best { try array.write(to: url) }
            let read = try timedRead { try NPYArray.read(from: url) == array }
            let bytes = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            guard read.equal && readRaw.equal else {
                throw NPYError.cannotRead(file: url.path, reason: "the values read back differ from those written")
            }
            return Figure(dtype: dtype, bytes: bytes, writeRate: Double(bytes) / write, readRate: Double(bytes) / read.seconds,
                          rawWriteRate: Double(bytes) / writeRaw, rawReadRate: Double(bytes) / readRaw.seconds)
        }
    }

    /// The best of three timed reads (each result compared with what was
    /// written, and freed, outside the timing).
    static func timedRead(_ body: () throws -> Bool) throws -> (seconds: Double, equal: Bool) {
        var best = Double.infinity, equal = true
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let same = try body()
            best = min(best, PQBenchmarks.seconds(ContinuousClock.now - start))
            equal = equal && same
        }
        return (best, equal)
    }
}
