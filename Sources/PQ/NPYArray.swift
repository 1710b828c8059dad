/// The element types read and written in `.npy` files (always little-endian).
public enum NPYDType: String, Sendable, CaseIterable, Codable {
    /// Signed and unsigned integers of 8 to 64 bits, IEEE floats of 32 and 64 bits.
    case int8, int16, int32, int64, uint8, uint16, uint32, float32, float64

    /// NumPy's type string, as written in the header (`<i4`, `|u1`, `<f8`...).
    public var descr: String {
        switch self {
        case .int8: return "|i1"
        case .int16: return "<i2"
        case .int32: return "<i4"
        case .int64: return "<i8"
        case .uint8: return "|u1"
        case .uint16: return "<u2"
        case .uint32: return "<u4"
        case .float32: return "<f4"
        case .float64: return "<f8"
        }
    }

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .float64: return 8
        }
    }

    /// Whether elements are integers.
    public var isInteger: Bool { self != .float32 && self != .float64 }

    /// The values an integer dtype holds (nil for floats).
    public var integerRange: ClosedRange<Int>? {
        switch self {
        case .int8: return Int(Int8.min)...Int(Int8.max)
        case .int16: return Int(Int16.min)...Int(Int16.max)
        case .int32: return Int(Int32.min)...Int(Int32.max)
        case .int64: return Int.min...Int.max
        case .uint8: return 0...Int(UInt8.max)
        case .uint16: return 0...Int(UInt16.max)
        case .uint32: return 0...Int(UInt32.max)
        case .float32, .float64: return nil
        }
    }

    /// The dtype of a little-endian or byte-order-free type string, or nil.
    /// `=` (native order) is read as little-endian only for one-byte types.
    init?(descr: String) {
        guard let order = descr.first, descr.count >= 3 else { return nil }
        let code = String(descr.dropFirst())
        guard let match = NPYDType.allCases.first(where: { String($0.descr.dropFirst()) == code }) else { return nil }
        switch order {
        case "<": self = match
        case "|", "=": if match.itemSize == 1 { self = match } else { return nil }
        default: return nil
        }
    }

    /// The narrowest dtype holding every value of `format` (signed formats
    /// take intN, unsigned ones uintN).
    public static func narrowest(for format: IntegerFormat) -> NPYDType {
        switch (format.signed, format.bits) {
        case (true, ...8): return .int8
        case (true, ...16): return .int16
        case (true, _): return .int32
        case (false, ...8): return .uint8
        case (false, ...16): return .uint16
        case (false, _): return .uint32
        }
    }
}

/// An n-dimensional array as stored in a `.npy` file: dtype, shape, and the
/// values in C (row-major) order, as `Int` or `Double`.
public struct NPYArray: Sendable, Equatable {
    /// The values, integers for integer dtypes, doubles for float ones.
    public enum Elements: Sendable, Equatable {
        /// Values of an integer dtype.
        case integers([Int])
        /// Values of a float dtype.
        case floats([Double])
    }

    /// The element type in the file.
    public let dtype: NPYDType
    /// The shape (empty for a 0-d array).
    public let shape: [Int]
    /// The values in C order.
    public let elements: Elements

    /// An integer array; throws when the count does not match the shape or a
    /// value does not fit `dtype`.
    public init(integers: [Int], shape: [Int], dtype: NPYDType = .int64) throws {
        guard let range = dtype.integerRange else {
            throw NPYError.wrongKind(file: "array", expected: "an integer dtype", found: dtype.rawValue)
        }
        try NPYArray.checkCount(integers.count, shape: shape)
        if let bad = integers.firstIndex(where: { !range.contains($0) }) {
            throw NPYError.valueOutOfRange(index: bad, value: "\(integers[bad])", dtype: dtype.rawValue)
        }
        self.dtype = dtype
        self.shape = shape
        self.elements = .integers(integers)
    }

    /// A float array; throws when the count does not match the shape.
    public init(floats: [Double], shape: [Int], dtype: NPYDType = .float64) throws {
        guard !dtype.isInteger else {
            throw NPYError.wrongKind(file: "array", expected: "a float dtype", found: dtype.rawValue)
        }
        try NPYArray.checkCount(floats.count, shape: shape)
        self.dtype = dtype
        self.shape = shape
        self.elements = .floats(floats)
    }

    init(unchecked dtype: NPYDType, _ shape: [Int], _ elements: Elements) {
        self.dtype = dtype
        self.shape = shape
        self.elements = elements
    }

    /// Number of elements (the product of the shape; 1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }

    /// The values as doubles (integers converted).
    public var doubles: [Double] {
        switch elements {
        case let .integers(values): return values.map(Double.init)
        case let .floats(values): return values
        }
    }

    /// The values as integers; throws for float arrays. `file` names the
    /// array in the error.
    public func integers(file: String = "array") throws -> [Int] {
        guard case let .integers(values) = elements else {
            throw NPYError.wrongKind(file: file, expected: "integer", found: dtype.rawValue)
        }
        return values
    }

    static func checkCount(_ count: Int, shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw NPYError.countMismatch(shape: shape, expected: 0, found: count)
        }
        let expected = shape.reduce(1, *)
        guard expected == count else {
            throw NPYError.countMismatch(shape: shape, expected: expected, found: count)
        }
    }
}
