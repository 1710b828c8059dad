import Foundation

/// Reading and writing the `.npy` byte format (versions 1.0, 2.0 and 3.0 read;
/// 1.0 written, or 2.0 when the header is too long for 1.0).
///
/// Layout: the magic `\x93NUMPY`, a major and a minor version byte, the header
/// length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header
/// dictionary (Latin-1, UTF-8 in 3.0) padded with spaces and a newline so the
/// data starts at a multiple of 64 bytes, then the data in C order.
extension NPYArray {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Decodes the bytes of a `.npy` file; `file` names it in errors.
    public static func decode(_ data: Data, file: String = "array") throws -> NPYArray {
        let bytes = [UInt8](data)
        let prefix = bytes.prefix(6)
        guard prefix.elementsEqual(magic.prefix(prefix.count)), bytes.count >= 8 else {
            if prefix.elementsEqual(magic.prefix(prefix.count)) {
                throw NPYError.truncated(file: file, field: "magic and version", expectedBytes: 8, foundBytes: bytes.count)
            }
            throw NPYError.badMagic(file: file, found: prefix.map { String(format: "\\x%02x", $0) }.joined())
        }
        let major = Int(bytes[6]), minor = Int(bytes[7])
        guard (1...3).contains(major), minor == 0 else {
            throw NPYError.unsupportedVersion(file: file, major: major, minor: minor)
        }
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else {
            throw NPYError.truncated(file: file, field: "header length", expectedBytes: lengthBytes, foundBytes: bytes.count - 8)
        }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let headerStart = 8 + lengthBytes, dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else {
            throw NPYError.truncated(file: file, field: "header", expectedBytes: headerLength, foundBytes: bytes.count - headerStart)
        }
        let headerBytes = bytes[headerStart..<dataStart]
        let text = major == 3
            ? String(decoding: headerBytes, as: UTF8.self)
            : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        let header = try NPYHeader.parse(text, file: file)
        guard !header.fortranOrder else { throw NPYError.fortranOrder(file: file) }
        let dtype = try dtypeOf(header.descr, file: file)
        var count = 1
        for dim in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= Int(Int32.max) * 64 else {
                throw NPYError.badHeader(file: file, field: "shape", found: "\(header.shape), too many elements")
            }
            count = product
        }
        let found = bytes.count - dataStart, expected = count * dtype.itemSize
        guard found == expected else {
            throw NPYError.sizeMismatch(file: file, shape: header.shape, descr: header.descr, expectedBytes: expected, foundBytes: found)
        }
        let elements = bytes.withUnsafeBytes { raw in
            decodeElements(UnsafeRawBufferPointer(rebasing: raw[dataStart...]), dtype: dtype, count: count)
        }
        return NPYArray(unchecked: dtype, header.shape, elements)
    }

    private static func dtypeOf(_ descr: String, file: String) throws -> NPYDType {
        if let dtype = NPYDType(descr: descr) { return dtype }
        if descr.hasPrefix(">") {
            if let dtype = NPYDType(descr: "|" + descr.dropFirst()), dtype.itemSize == 1 { return dtype }
            if NPYDType(descr: "<" + descr.dropFirst()) != nil { throw NPYError.bigEndian(file: file, descr: descr) }
        }
        throw NPYError.unsupportedDType(file: file, descr: descr)
    }

    private static func decodeElements(_ raw: UnsafeRawBufferPointer, dtype: NPYDType, count: Int) -> Elements {
        func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
            T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
        }
        switch dtype {
        case .int8: return .integers((0..<count).map { Int(load(Int8.self, $0)) })
        case .int16: return .integers((0..<count).map { Int(load(Int16.self, $0)) })
        case .int32: return .integers((0..<count).map { Int(load(Int32.self, $0)) })
        case .int64: return .integers((0..<count).map { Int(load(Int64.self, $0)) })
        case .uint8: return .integers((0..<count).map { Int(load(UInt8.self, $0)) })
        case .uint16: return .integers((0..<count).map { Int(load(UInt16.self, $0)) })
        case .uint32: return .integers((0..<count).map { Int(load(UInt32.self, $0)) })
        case .float32: return .floats((0..<count).map { Double(Float(bitPattern: load(UInt32.self, $0))) })
        case .float64: return .floats((0..<count).map { Double(bitPattern: load(UInt64.self, $0)) })
        }
    }

    /// The bytes of this array as a `.npy` file.
    public func encoded() -> Data {
        let dictionary = NPYHeader(descr: dtype.descr, fortranOrder: false, shape: shape).dictionary
        // Version 1.0 unless the padded header does not fit a 2-byte length.
        var major: UInt8 = 1
        var prefixLength = 10
        var padded = Self.pad(dictionary, prefixLength: prefixLength)
        if padded.count > Int(UInt16.max) {
            major = 2
            prefixLength = 12
            padded = Self.pad(dictionary, prefixLength: prefixLength)
        }
        var bytes = Self.magic + [major, 0]
        for i in 0..<(prefixLength - 8) { bytes.append(UInt8(truncatingIfNeeded: padded.count >> (8 * i))) }
        bytes += padded.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let start = bytes.count
        bytes += [UInt8](repeating: 0, count: count * dtype.itemSize)
        bytes.withUnsafeMutableBytes { raw in
            let out = UnsafeMutableRawBufferPointer(rebasing: raw[start...])
            func store<T: FixedWidthInteger>(_ value: T, _ i: Int) {
                out.storeBytes(of: value.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
            }
            switch elements {
            case let .integers(values):
                for (i, v) in values.enumerated() {
                    switch dtype {
                    case .int8: store(Int8(truncatingIfNeeded: v), i)
                    case .int16: store(Int16(truncatingIfNeeded: v), i)
                    case .int32: store(Int32(truncatingIfNeeded: v), i)
                    case .uint8: store(UInt8(truncatingIfNeeded: v), i)
                    case .uint16: store(UInt16(truncatingIfNeeded: v), i)
                    case .uint32: store(UInt32(truncatingIfNeeded: v), i)
                    default: store(Int64(v), i)
                    }
                }
            case let .floats(values):
                for (i, v) in values.enumerated() {
                    if dtype == .float32 { store(Float(v).bitPattern, i) } else { store(v.bitPattern, i) }
                }
            }
        }
        return Data(bytes)
    }

    /// The header text padded with spaces and ending in a newline so that
    /// `prefixLength + header` is a multiple of 64.
    private static func pad(_ dictionary: String, prefixLength: Int) -> String {
        let unpadded = prefixLength + dictionary.unicodeScalars.count + 1
        let spaces = (64 - unpadded % 64) % 64
        return dictionary + String(repeating: " ", count: spaces) + "\n"
    }

    /// Reads a `.npy` file.
    public static func read(from url: URL) throws -> NPYArray {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NPYError.cannotRead(file: url.path, reason: error.localizedDescription)
        }
        return try decode(data, file: url.path)
    }

    /// Writes a `.npy` file atomically: to a temporary sibling first, then
    /// renamed into place, so `url` never holds half an array.
    public func write(to url: URL) throws {
        do {
            try AtomicFile.write(encoded(), to: url)
        } catch let error as AtomicFile.Failure {
            throw NPYError.cannotWrite(file: url.path, reason: error.reason)
        }
    }
}
