import Foundation
import Testing
@testable import PQ

/// Runs python3 when it is installed with numpy.
enum NumPy {
    /// Whether `python3 -c "import numpy"` succeeds on this machine.
    static let available: Bool = (try? run("import numpy").status) == 0

    /// Runs a Python program; returns its exit status and combined output.
    static func run(_ program: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", program]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()  // read before waiting
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite(.enabled(if: NumPy.available, "python3 with numpy is not installed: skipping the numpy interop tests"))
struct NPYNumpyInteropTests {
    @Test func numpyLoadsWhatWeWrite() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var checks: [String] = []
        for dtype in NPYDType.allCases {
            let url = dir.appendingPathComponent("\(dtype.rawValue).npy")
            if let range = dtype.integerRange {
                let values = [range.lowerBound, -1 < range.lowerBound ? 0 : -1, 7, range.upperBound]
                try NPYArray(integers: values, shape: [2, 2], dtype: dtype).write(to: url)
                checks.append("check('\(url.path)', '\(dtype.rawValue)', (2, 2), \(values))")
            } else {
                try NPYArray(floats: [0.5, -1.25, 3, 1e-3], shape: [4], dtype: dtype).write(to: url)
                checks.append("check('\(url.path)', '\(dtype.rawValue)', (4,), [0.5, -1.25, 3, numpy.\(dtype.rawValue)(1e-3)])")
            }
        }
        let program = """
            import numpy
            def check(path, dtype, shape, values):
                a = numpy.load(path)
                assert a.dtype == numpy.dtype(dtype), (path, a.dtype)
                assert a.shape == shape, (path, a.shape)
                assert a.flags['C_CONTIGUOUS']
                assert numpy.array_equal(a.ravel(), numpy.array(values, dtype=dtype)), (path, a)
            \(checks.joined(separator: "\n"))
            print('ok')
            """
        let result = try NumPy.run(program)
        #expect(result.status == 0 && result.output.contains("ok"), "\(result.output)")
    }

    @Test func weLoadWhatNumpyWrites() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = """
            import numpy
            from numpy.lib import format as F
            d = '\(dir.path)'
            def w(name, a, v):
                with open(d + '/' + name, 'wb') as f:
                    F.write_array(f, a, version=v)
            for v in [(1, 0), (2, 0)]:
                s = '%d' % v[0]
                w('i8_' + s + '.npy', numpy.arange(-6, 6, dtype=numpy.int8).reshape(3, 4), v)
                w('i64_' + s + '.npy', numpy.array([-2**40, 2**40], dtype=numpy.int64), v)
                w('f32_' + s + '.npy', numpy.linspace(-1, 1, 5, dtype=numpy.float32), v)
                w('f64_' + s + '.npy', numpy.eye(3), v)
            w('slice.npy', numpy.arange(20, dtype=numpy.int16).reshape(4, 5)[:, 1:3], (1, 0))
            print('ok')
            """
        let result = try NumPy.run(program)
        try #require(result.status == 0, "\(result.output)")
        for v in [1, 2] {
            let i8 = try NPYArray.read(from: dir.appendingPathComponent("i8_\(v).npy"))
            #expect(i8.shape == [3, 4] && i8.elements == .integers(Array(-6..<6)))
            let i64 = try NPYArray.read(from: dir.appendingPathComponent("i64_\(v).npy"))
            #expect(i64.elements == .integers([-(1 << 40), 1 << 40]))
            let f32 = try NPYArray.read(from: dir.appendingPathComponent("f32_\(v).npy"))
            #expect(f32.doubles == [-1, -0.5, 0, 0.5, 1])
            let f64 = try NPYArray.read(from: dir.appendingPathComponent("f64_\(v).npy"))
            #expect(f64.doubles == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        }
        // A non-contiguous slice is saved in C order by numpy.
        let slice = try NPYArray.read(from: dir.appendingPathComponent("slice.npy"))
        #expect(slice.shape == [4, 2] && slice.elements == .integers([1, 2, 6, 7, 11, 12, 16, 17]))
    }
}
