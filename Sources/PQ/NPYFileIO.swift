import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif

/// The data section of `.npy` files moved at memory speed: elements are
/// converted in bulk between the file's little-endian bytes and `Int` or
/// `Double` storage, chunk by chunk through a small aligned buffer (or read
/// straight into the destination when no conversion is needed), and files
/// are read and written with plain `read`/`write` calls, without
/// intermediate copies of the whole file.
enum NPYFileIO {
    /// Bytes converted per step: small enough to stay in cache.
    static let chunkBytes = 1 << 20

    /// Asks the kernel to back the fresh, untouched destination `buffer` with
    /// transparent huge pages, as NumPy does for large arrays: filling it
    /// then faults once per 2 MiB instead of once per 4 KiB, which on this
    /// kind of machine costs more than copying the data. A hint only: where
    /// huge pages are off or unknown, nothing changes.
    static func adviseHugePages(_ buffer: UnsafeMutableRawPointer?, bytes: Int) {
        #if os(Linux)
        let page = 4096, huge = 2 << 20
        guard let buffer, bytes >= 2 * huge else { return }
        let start = (Int(bitPattern: buffer) + page - 1) / page * page
        let end = (Int(bitPattern: buffer) + bytes) / page * page
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// The elements of `count` values of `dtype` from `raw` (exactly `count * itemSize` bytes).
    static func decode(_ raw: UnsafeRawBufferPointer, dtype: NPYDType, count: Int) -> NPYArray.Elements {
        if dtype.isInteger {
            return .integers([Int](unsafeUninitializedCapacity: count) { buffer, initialized in
                adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress), bytes: count * MemoryLayout<Int>.size)
                widen(raw, dtype: dtype, into: UnsafeMutableRawPointer(buffer.baseAddress), count: count)
                initialized = count
            })
        }
        return .floats([Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress), bytes: count * MemoryLayout<Double>.size)
            widen(raw, dtype: dtype, into: UnsafeMutableRawPointer(buffer.baseAddress), count: count)
            initialized = count
        })
    }

    /// Converts `count` elements of `dtype` at `raw` into `Int`s (integer
    /// dtypes) or `Double`s (float dtypes) at `out`.
    static func widen(_ raw: UnsafeRawBufferPointer, dtype: NPYDType, into out: UnsafeMutableRawPointer?, count: Int) {
        guard count > 0, let source = raw.baseAddress, let out else { return }
        func integers<T: FixedWidthInteger>(_: T.Type) {
            let target = out.assumingMemoryBound(to: Int.self)
            for i in 0..<count { target[i] = Int(T(littleEndian: source.loadUnaligned(fromByteOffset: i &* MemoryLayout<T>.size, as: T.self))) }
        }
        switch dtype {
        case .int8: integers(Int8.self)
        case .int16: integers(Int16.self)
        case .int32: integers(Int32.self)
        case .int64: integers(Int64.self)
        case .uint8: integers(UInt8.self)
        case .uint16: integers(UInt16.self)
        case .uint32: integers(UInt32.self)
        case .float32:
            let target = out.assumingMemoryBound(to: Double.self)
            for i in 0..<count {
                target[i] = Double(Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))))
            }
        case .float64:
            let target = out.assumingMemoryBound(to: Double.self)
            for i in 0..<count {
                target[i] = Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)))
            }
        }
    }

    /// Writes elements `range` of `elements` as `dtype` little-endian bytes
    /// at `out` (values are known to fit: ``NPYArray`` checks them).
    static func narrow(_ elements: NPYArray.Elements, _ range: Range<Int>, dtype: NPYDType, into out: UnsafeMutableRawPointer) {
        switch elements {
        case let .integers(values):
            values.withUnsafeBufferPointer { all in
                let source = UnsafeBufferPointer(rebasing: all[range])
                func store<T: FixedWidthInteger>(_: T.Type) {
                    let target = out.assumingMemoryBound(to: T.self)
                    for i in 0..<source.count { target[i] = T(truncatingIfNeeded: source[i]).littleEndian }
                }
                switch dtype {
                case .int8: store(Int8.self)
                case .int16: store(Int16.self)
                case .int32: store(Int32.self)
                case .uint8: store(UInt8.self)
                case .uint16: store(UInt16.self)
                case .uint32: store(UInt32.self)
                case .int64, .float32, .float64: store(Int64.self)
                }
            }
        case let .floats(values):
            values.withUnsafeBufferPointer { all in
                let source = UnsafeBufferPointer(rebasing: all[range])
                if dtype == .float32 {
                    let target = out.assumingMemoryBound(to: UInt32.self)
                    for i in 0..<source.count { target[i] = Float(source[i]).bitPattern.littleEndian }
                } else {
                    let target = out.assumingMemoryBound(to: UInt64.self)
                    for i in 0..<source.count { target[i] = source[i].bitPattern.littleEndian }
                }
            }
        }
    }

    /// Opens `url` and reads its prefix; `body` gets the descriptor (at
    /// the data section), the header, dtype and element count.
    static func withOpenFile<T>(_ url: URL, _ body: (Int32, NPYHeader, NPYDType, Int) throws -> T) throws -> T {
        let file = url.path
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { throw NPYError.cannotRead(file: file, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw NPYError.cannotRead(file: file, reason: String(cString: strerror(errno))) }
        let size = Int(status.st_size)
        var prefix = [UInt8](repeating: 0, count: min(size, 12))
        try readFully(descriptor, into: &prefix, file: file)
        let headerEnd = try NPYArray.headerEnd(prefix, file: file)
        guard size >= headerEnd else {
            throw NPYError.truncated(file: file, field: "header", expectedBytes: headerEnd - min(size, 12), foundBytes: size - min(size, 12))
        }
        var rest = [UInt8](repeating: 0, count: headerEnd - prefix.count)
        try readFully(descriptor, into: &rest, file: file)
        let (header, dtype, count) = try NPYArray.parsePrefix(prefix + rest, file: file)
        let expected = count * dtype.itemSize
        guard size - headerEnd == expected else {
            throw NPYError.sizeMismatch(file: file, shape: header.shape, descr: header.descr, expectedBytes: expected, foundBytes: size - headerEnd)
        }
        return try body(descriptor, header, dtype, count)
    }

    /// Reads the whole file at `url`, its elements widened to `Int` or `Double`.
    static func read(_ url: URL) throws -> NPYArray {
        try withOpenFile(url) { descriptor, header, dtype, count in
            let file = url.path
            let elements: NPYArray.Elements
            let direct = (dtype == .int64 || dtype == .float64) && 1.littleEndian == 1
            if dtype.isInteger {
                elements = .integers(try [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
                    try readData(descriptor, dtype: dtype, count: count, direct: direct, into: UnsafeMutableRawPointer(buffer.baseAddress), file: file)
                    initialized = count
                })
            } else {
                elements = .floats(try [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                    try readData(descriptor, dtype: dtype, count: count, direct: direct, into: UnsafeMutableRawPointer(buffer.baseAddress), file: file)
                    initialized = count
                })
            }
            return NPYArray(unchecked: dtype, header.shape, elements)
        }
    }

    /// Reads the data section of the file at `url` as it is stored.
    static func readRaw(_ url: URL) throws -> NPYRawArray {
        try withOpenFile(url) { descriptor, header, dtype, count in
            let bytes = try [UInt8](unsafeUninitializedCapacity: count * dtype.itemSize) { buffer, initialized in
                adviseHugePages(buffer.baseAddress, bytes: buffer.count)
                try readFully(descriptor, UnsafeMutableRawBufferPointer(buffer), file: url.path)
                initialized = buffer.count
            }
            return NPYRawArray(unchecked: dtype, header.shape, bytes)
        }
    }

    /// Writes `prefix` and `bytes` to the open file.
    static func write(prefix: [UInt8], bytes: [UInt8], to descriptor: Int32) throws {
        try prefix.withUnsafeBytes { try writeFully(descriptor, $0) }
        try bytes.withUnsafeBytes { try writeFully(descriptor, $0) }
    }

    /// Reads `count` elements into `out`: straight in when `direct`, else
    /// chunk by chunk through an aligned buffer, converting each.
    private static func readData(_ descriptor: Int32, dtype: NPYDType, count: Int, direct: Bool, into out: UnsafeMutableRawPointer?,
                                 file: String) throws {
        guard count > 0, let out else { return }
        adviseHugePages(out, bytes: count * 8)
        if direct {
            try readFully(descriptor, UnsafeMutableRawBufferPointer(start: out, count: count * dtype.itemSize), file: file)
            return
        }
        let perChunk = chunkBytes / dtype.itemSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: perChunk * dtype.itemSize, alignment: 64)
        defer { buffer.deallocate() }
        let outputSize = dtype.isInteger ? MemoryLayout<Int>.size : MemoryLayout<Double>.size
        var done = 0
        while done < count {
            let n = min(perChunk, count - done)
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(n * dtype.itemSize)])
            try readFully(descriptor, chunk, file: file)
            widen(UnsafeRawBufferPointer(chunk), dtype: dtype, into: out + done * outputSize, count: n)
            done += n
        }
    }

    private static func readFully(_ descriptor: Int32, into bytes: inout [UInt8], file: String) throws {
        try bytes.withUnsafeMutableBytes { try readFully(descriptor, $0, file: file) }
    }

    private static func readFully(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer, file: String) throws {
        var done = 0
        while done < buffer.count {
            let got = systemRead(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw got == 0 ? NPYError.truncated(file: file, field: "data", expectedBytes: buffer.count, foundBytes: done)
                    : NPYError.cannotRead(file: file, reason: String(cString: strerror(errno)))
            }
            done += got
        }
    }

    /// Writes `prefix` and the elements of `array` to the open file, chunk by chunk.
    static func write(_ array: NPYArray, prefix: [UInt8], to descriptor: Int32) throws {
        try prefix.withUnsafeBytes { try writeFully(descriptor, $0) }
        let count = array.count, perChunk = chunkBytes / array.dtype.itemSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: perChunk * array.dtype.itemSize, alignment: 64)
        defer { buffer.deallocate() }
        var done = 0
        while done < count, let base = buffer.baseAddress {
            let n = min(perChunk, count - done)
            narrow(array.elements, done..<(done + n), dtype: array.dtype, into: base)
            try writeFully(descriptor, UnsafeRawBufferPointer(rebasing: buffer[0..<(n * array.dtype.itemSize)]))
            done += n
        }
    }

    private static func writeFully(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < buffer.count {
            let wrote = systemWrite(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done)
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw AtomicFile.Failure(reason: String(cString: strerror(errno))) }
            done += wrote
        }
    }
}
