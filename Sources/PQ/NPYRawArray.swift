import Foundation

/// A `.npy` array kept in its file's own element type: the little-endian
/// bytes of the data section as stored, read and written at page-cache
/// speed (one `read` or `write` of the whole section). ``NPYArray`` widens
/// every element to `Int` or `Double`; use this type to move large arrays
/// (activations, images) without that cost, and ``array`` or
/// ``init(_:)`` to convert.
public struct NPYRawArray: Sendable, Equatable {
    /// The element type.
    public let dtype: NPYDType
    /// The shape (empty for a 0-d array).
    public let shape: [Int]
    /// The data section: `count * dtype.itemSize` little-endian bytes in C order.
    public let bytes: [UInt8]

    init(unchecked dtype: NPYDType, _ shape: [Int], _ bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// The raw form of `array`.
    public init(_ array: NPYArray) {
        let count = array.count, size = array.dtype.itemSize
        self.init(unchecked: array.dtype, array.shape, [UInt8](unsafeUninitializedCapacity: count * size) { buffer, initialized in
            NPYFileIO.adviseHugePages(buffer.baseAddress, bytes: buffer.count)
            if let base = buffer.baseAddress, count > 0 { NPYFileIO.narrow(array.elements, 0..<count, dtype: array.dtype, into: base) }
            initialized = count * size
        })
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The array with its elements as `Int` or `Double`.
    public var array: NPYArray {
        NPYArray(unchecked: dtype, shape, bytes.withUnsafeBytes { NPYFileIO.decode($0, dtype: dtype, count: count) })
    }

    /// Reads a `.npy` file, keeping its elements as stored.
    public static func read(from url: URL) throws -> NPYRawArray {
        try NPYFileIO.readRaw(url)
    }

    /// Writes a `.npy` file atomically (a temporary sibling renamed into place).
    public func write(to url: URL) throws {
        let prefix = NPYArray(unchecked: dtype, shape, .integers([])).encodedPrefix()
        do {
            try AtomicFile.write(to: url) { descriptor in try NPYFileIO.write(prefix: prefix, bytes: bytes, to: descriptor) }
        } catch let error as AtomicFile.Failure {
            throw NPYError.cannotWrite(file: url.path, reason: error.reason)
        }
    }
}
