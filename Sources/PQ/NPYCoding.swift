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
        let bytes = [UInt8](data.prefix(12))
        let dataStart = try headerEnd(bytes, file: file)
        guard data.count >= dataStart else {
            throw NPYError.truncated(file: file, field: "header", expectedBytes: dataStart - bytes.count, foundBytes: data.count - bytes.count)
        }
        let (header, dtype, count) = try parsePrefix([UInt8](data.prefix(dataStart)), file: file)
        let found = data.count - dataStart, expected = count * dtype.itemSize
        guard found == expected else {
            throw NPYError.sizeMismatch(file: file, shape: header.shape, descr: header.descr, expectedBytes: expected, foundBytes: found)
        }
        let elements = data.withUnsafeBytes { raw in
            NPYFileIO.decode(UnsafeRawBufferPointer(rebasing: raw[dataStart...]), dtype: dtype, count: count)
        }
        return NPYArray(unchecked: dtype, header.shape, elements)
    }

    /// Where the data section starts, from the first (up to) 12 bytes of a
    /// file: magic, version and header length are checked.
    static func headerEnd(_ bytes: [UInt8], file: String) throws -> Int {
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
        return 8 + lengthBytes + headerLength
    }

    /// The header, dtype and element count of a file whose bytes up to the
    /// data section are `bytes` (see ``headerEnd(_:file:)``).
    static func parsePrefix(_ bytes: [UInt8], file: String) throws -> (NPYHeader, NPYDType, Int) {
        let major = Int(bytes[6])
        let headerBytes = bytes[(major == 1 ? 10 : 12)...]
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
        return (header, dtype, count)
    }

    private static func dtypeOf(_ descr: String, file: String) throws -> NPYDType {
        if let dtype = NPYDType(descr: descr) { return dtype }
        if descr.hasPrefix(">") {
            if let dtype = NPYDType(descr: "|" + descr.dropFirst()), dtype.itemSize == 1 { return dtype }
            if NPYDType(descr: "<" + descr.dropFirst()) != nil { throw NPYError.bigEndian(file: file, descr: descr) }
        }
        throw NPYError.unsupportedDType(file: file, descr: descr)
    }

    /// The bytes of this array as a `.npy` file.
    public func encoded() -> Data {
        let prefix = encodedPrefix()
        var data = Data(count: prefix.count + count * dtype.itemSize)
        data.withUnsafeMutableBytes { raw in
            raw.copyBytes(from: prefix)
            if let base = raw.baseAddress, count > 0 {
                NPYFileIO.narrow(elements, 0..<count, dtype: dtype, into: base + prefix.count)
            }
        }
        return data
    }

    /// Magic, version, header length and the padded header dictionary.
    func encodedPrefix() -> [UInt8] {
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
        return bytes
    }

    /// The header text padded with spaces and ending in a newline so that
    /// `prefixLength + header` is a multiple of 64.
    private static func pad(_ dictionary: String, prefixLength: Int) -> String {
        let unpadded = prefixLength + dictionary.unicodeScalars.count + 1
        let spaces = (64 - unpadded % 64) % 64
        return dictionary + String(repeating: " ", count: spaces) + "\n"
    }

    /// Reads a `.npy` file (at page-cache speed: see `pqa bench npy`).
    public static func read(from url: URL) throws -> NPYArray {
        try NPYFileIO.read(url)
    }

    /// Writes a `.npy` file atomically: to a temporary sibling first, then
    /// renamed into place, so `url` never holds half an array.
    public func write(to url: URL) throws {
        do {
            try AtomicFile.write(to: url) { descriptor in try NPYFileIO.write(self, prefix: encodedPrefix(), to: descriptor) }
        } catch let error as AtomicFile.Failure {
            throw NPYError.cannotWrite(file: url.path, reason: error.reason)
        }
    }
}
