/// An error in a PQ configuration, a layer's contents or the data handed to it.
///
/// Every message names the field (and index, where there is one), the value
/// that was found, and what to change.
public enum PQError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A numeric parameter is outside the range the model supports.
    case parameterOutOfRange(field: String, value: String, allowed: String)
    /// Two sizes that must agree do not.
    case sizeMismatch(field: String, expected: String, found: String)
    /// A value does not fit the integer format declared for its field.
    case valueOutOfFormat(field: String, index: [Int], value: Int, format: IntegerFormat)
    /// A prototype index (code) is not below `Np`.
    case codeOutOfRange(subspace: Int, code: Int, np: Int)
    /// A derived bound would not fit the exact 64-bit arithmetic of the reference model.
    case boundTooLarge(quantity: String, bound: String, fix: String)
    /// A floating-point value is NaN or infinite.
    case nonFiniteValue(field: String, index: Int)
    /// A matrix handed to the Cholesky solver is not positive definite.
    case notPositiveDefinite(pivot: Int, value: Double)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .parameterOutOfRange(field, value, allowed):
            return "\(field) is \(value), outside the supported range \(allowed); choose a value in \(allowed)"
        case let .sizeMismatch(field, expected, found):
            return "\(field) has \(found), expected \(expected); reshape or regenerate it to match"
        case let .valueOutOfFormat(field, index, value, format):
            let at = index.isEmpty ? "" : "[" + index.map(String.init).joined(separator: "][") + "]"
            return "\(field)\(at) is \(value), outside its format \(format) "
                + "[\(format.minValue), \(format.maxValue)]; requantize the value or widen the format"
        case let .codeOutOfRange(subspace, code, np):
            return "code for subspace \(subspace) is \(code), but Np is \(np); codes must lie in 0..<\(np)"
        case let .boundTooLarge(quantity, bound, fix):
            return "\(quantity) could reach \(bound), beyond the 62-bit limit of the reference model; \(fix)"
        case let .nonFiniteValue(field, index):
            return "\(field)[\(index)] is NaN or infinite; clean the data before using it"
        case let .notPositiveDefinite(pivot, value):
            return "the ridge system is not positive definite (pivot \(pivot) is \(value)); "
                + "use a larger lambda (it must be > 0)"
        }
    }
}
