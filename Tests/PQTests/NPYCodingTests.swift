import Foundation
import Testing
@testable import PQ

@Suite struct NPYCodingTests {
    func read(_ name: String) throws -> NPYArray { try NPYArray.read(from: TestSupport.fixture(name)) }

    @Test func readsNumPyWrittenFixtures() throws {
        let i8 = try read("v1_int8_2x3.npy")
        #expect(i8.dtype == .int8 && i8.shape == [2, 3] && i8.elements == .integers([-128, -1, 0, 1, 2, 127]))
        let i16 = try read("v2_int16_3.npy")
        #expect(i16.dtype == .int16 && i16.shape == [3] && i16.elements == .integers([-32768, 5, 32767]))
        let i32 = try read("v1_int32_2x2.npy")
        #expect(i32.elements == .integers([Int(Int32.min), 7, -7, Int(Int32.max)]))
        let i64 = try read("v2_int64_2x2x2.npy")
        #expect(i64.shape == [2, 2, 2] && i64.elements == .integers((-4..<4).map { $0 * 1_000_000_000_000 }))
        let f32 = try read("v1_float32_4.npy")
        #expect(f32.dtype == .float32 && f32.elements == .floats([0.5, -1.25, 3.0, Double(Float(1e-3))]))
        let f64 = try read("v2_float64_2x2.npy")
        #expect(f64.elements == .floats([1.5, -2.25, 1e300, -0.0]))
        #expect(try read("v1_uint8_3.npy").elements == .integers([0, 128, 255]))
        let scalar = try read("v1_float64_scalar.npy")
        #expect(scalar.shape == [] && scalar.count == 1 && scalar.doubles == [3.5])
        let empty = try read("v1_int32_empty_0x3.npy")
        #expect(empty.shape == [0, 3] && empty.count == 0)
    }

    @Test(arguments: [
        "v1_int8_2x3.npy", "v1_int32_2x2.npy", "v1_float32_4.npy", "v1_uint8_3.npy", "v1_float64_scalar.npy",
        "v1_int32_empty_0x3.npy",
    ])
    func writesTheSameBytesAsNumPy(name: String) throws {
        let url = try TestSupport.fixture(name)
        #expect(try NPYArray.read(from: url).encoded() == (try Data(contentsOf: url)))
    }

    @Test(arguments: NPYDType.allCases)
    func roundTripsEveryDType(dtype: NPYDType) throws {
        let array: NPYArray
        if let range = dtype.integerRange {
            let values = [range.lowerBound, 0, 1, range.upperBound, range.lowerBound / 2 + 3, 42]
            array = try NPYArray(integers: values, shape: [3, 2], dtype: dtype)
        } else {
            array = try NPYArray(floats: [0.5, -2, 1e-3, 7, 1024, -0.25].map { dtype == .float32 ? Double(Float($0)) : $0 }, shape: [2, 3], dtype: dtype)
        }
        let data = array.encoded()
        #expect(data.count % 64 == array.count * dtype.itemSize % 64)
        #expect(try NPYArray.decode(data) == array)
    }

    @Test func switchesToVersion2ForLongHeaders() throws {
        let shape = Array(repeating: 1, count: 25000)
        let array = try NPYArray(integers: [7], shape: shape, dtype: .int16)
        let data = array.encoded()
        #expect(data[6] == 2)
        #expect((data.count - 2) % 64 == 0)
        #expect(try NPYArray.decode(data) == array)
    }

    @Test func rejectsTheUnsupportedFixtures() throws {
        #expect(throws: NPYError.fortranOrder(file: try TestSupport.fixture("bad_fortran_2x3.npy").path)) { try read("bad_fortran_2x3.npy") }
        let big = #expect(throws: NPYError.self) { try read("bad_bigendian_i4.npy") }
        #expect(big?.description.contains(">i4 is big-endian") == true)
        let complex = #expect(throws: NPYError.self) { try read("bad_complex64.npy") }
        #expect(complex?.description.contains("unsupported dtype <c8") == true)
        let structured = #expect(throws: NPYError.self) { try read("bad_structured.npy") }
        #expect(structured?.description.contains("structured") == true)
    }

    @Test func rejectsCorruptBytes() throws {
        let good = try Data(contentsOf: TestSupport.fixture("v1_int32_2x2.npy"))
        func decodeError(_ data: Data) -> String {
            do {
                _ = try NPYArray.decode(data, file: "t.npy")
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(decodeError(Data("hello world".utf8)).contains("bad magic"))
        #expect(decodeError(Data("PK\u{3}\u{4}zipfile".utf8)).contains("bad magic"))
        #expect(decodeError(good.prefix(7)).contains("truncated"))
        #expect(decodeError(good.prefix(9)).contains("header length"))
        #expect(decodeError(good.prefix(40)).contains("the header needs"))
        #expect(decodeError(good.dropLast(3)).contains("needs 16 data bytes, found 13"))
        #expect(decodeError(good + Data([0])).contains("needs 16 data bytes, found 17"))
        var version = good
        version[6] = 4
        #expect(decodeError(version).contains("version 4.0"))
        version[6] = 1
        version[7] = 1
        #expect(decodeError(version).contains("version 1.1"))
        #expect(decodeError(Data()).contains("bad magic") || decodeError(Data()).contains("truncated"))
    }

    @Test func readsAndWritesFilesAtomically() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.npy")
        let array = try NPYArray(integers: [1, 2, 3], shape: [3], dtype: .int32)
        try array.write(to: url)
        try NPYArray(integers: [4, 5], shape: [2], dtype: .int32).write(to: url)  // replaces
        #expect(try NPYArray.read(from: url).elements == .integers([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.npy"])
        let missing = #expect(throws: NPYError.self) { try NPYArray.read(from: dir.appendingPathComponent("none.npy")) }
        #expect(missing?.description.contains("none.npy: cannot read") == true)
        #expect(throws: NPYError.self) { try array.write(to: dir.appendingPathComponent("no/such/dir/a.npy")) }
    }
}

@Suite struct NPYRawArrayTests {
    /// Arrays larger than one conversion chunk, of every dtype, through both
    /// readers and writers.
    @Test(arguments: NPYDType.allCases)
    func rawAndWidenedFilesAgree(_ dtype: NPYDType) throws {
        let count = NPYFileIO.chunkBytes / dtype.itemSize + 3
        let array: NPYArray
        if let range = dtype.integerRange {
            let low = max(range.lowerBound, -1000), high = min(range.upperBound, 1000)
            array = try NPYArray(integers: (0..<count).map { low + $0 % (high - low + 1) }, shape: [count], dtype: dtype)
        } else {
            array = try NPYArray(floats: (0..<count).map { Double(Float($0) * 0.25 - 7) }, shape: [count], dtype: dtype)
        }
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wide = folder.appendingPathComponent("wide.npy"), raw = folder.appendingPathComponent("raw.npy")
        try array.write(to: wide)
        try NPYRawArray(array).write(to: raw)
        #expect(try Data(contentsOf: wide) == Data(contentsOf: raw))
        #expect(try Data(contentsOf: wide) == array.encoded())
        #expect(try NPYArray.read(from: raw) == array)
        #expect(try NPYRawArray.read(from: wide).array == array)
        #expect(try NPYArray.decode(Data(contentsOf: wide)) == array)
    }
}
