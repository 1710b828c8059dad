/// An error reading or writing a NumPy `.npy` file. Every message starts
/// with the file, names the part of the file at fault and what was found.
public enum NPYError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read.
    case cannotRead(file: String, reason: String)
    /// The file could not be written.
    case cannotWrite(file: String, reason: String)
    /// The file does not start with `\x93NUMPY`.
    case badMagic(file: String, found: String)
    /// The format version is not 1.0, 2.0 or 3.0.
    case unsupportedVersion(file: String, major: Int, minor: Int)
    /// The file ends before the part named by `field` does.
    case truncated(file: String, field: String, expectedBytes: Int, foundBytes: Int)
    /// The header dictionary is malformed.
    case badHeader(file: String, field: String, found: String)
    /// The element type is not one this reader handles.
    case unsupportedDType(file: String, descr: String)
    /// The data is big-endian.
    case bigEndian(file: String, descr: String)
    /// The data is stored in Fortran (column-major) order.
    case fortranOrder(file: String)
    /// The data section's size does not match the header's shape and dtype.
    case sizeMismatch(file: String, shape: [Int], descr: String, expectedBytes: Int, foundBytes: Int)
    /// Element count does not match the shape (when building an array).
    case countMismatch(shape: [Int], expected: Int, found: Int)
    /// A value does not fit the dtype it is written as.
    case valueOutOfRange(index: Int, value: String, dtype: String)
    /// An integer array was needed but the array holds floats, or the reverse.
    case wrongKind(file: String, expected: String, found: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .cannotRead(file, reason):
            return "\(file): cannot read the file: \(reason)"
        case let .cannotWrite(file, reason):
            return "\(file): cannot write the file: \(reason)"
        case let .badMagic(file, found):
            return "\(file): bad magic: expected the bytes \\x93NUMPY, found \(found); is this a .npy file (not .npz or text)?"
        case let .unsupportedVersion(file, major, minor):
            return "\(file): format version \(major).\(minor) is not supported; write it with numpy.save (versions 1.0, 2.0, 3.0)"
        case let .truncated(file, field, expected, found):
            return "\(file): the \(field) needs \(expected) bytes but only \(found) remain; the file is truncated"
        case let .badHeader(file, field, found):
            return "\(file): bad header dict: \(field): found \(found); rewrite the file with numpy.save"
        case let .unsupportedDType(file, descr):
            return "\(file): unsupported dtype \(descr); convert with a.astype(numpy.int32), numpy.int64, numpy.float32 or numpy.float64 "
                + "(int8/16/32/64, uint8/16/32, float32/64 are read)"
        case let .bigEndian(file, descr):
            return "\(file): dtype \(descr) is big-endian; convert with a.astype(a.dtype.newbyteorder('<'))"
        case let .fortranOrder(file):
            return "\(file): the array is in Fortran order; save numpy.ascontiguousarray(a) instead"
        case let .sizeMismatch(file, shape, descr, expected, found):
            return "\(file): shape \(shape) of \(descr) needs \(expected) data bytes, found \(found); the file is truncated or corrupt"
        case let .countMismatch(shape, expected, found):
            return "array of shape \(shape) needs \(expected) values, got \(found)"
        case let .valueOutOfRange(index, value, dtype):
            return "value \(value) at flat index \(index) does not fit \(dtype); choose a wider dtype"
        case let .wrongKind(file, expected, found):
            return "\(file): expected \(expected) values, found dtype \(found); convert the array with astype"
        }
    }
}
