/// An error in a network folder, a converted network or the data handed to
/// one. Every message names the file or layer at fault, the field, the value
/// found and what to do about it.
public enum NetworkError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file the network needs is missing.
    case missingFile(file: String, needed: String)
    /// A JSON file is malformed or holds a value out of range.
    case badDescription(file: String, field: String, found: String, fix: String)
    /// A layer names a kind this reader does not know.
    case unsupportedKind(layer: String, kind: String)
    /// A layer field is missing or out of range.
    case invalidField(layer: String, field: String, value: String, fix: String)
    /// An array does not have the shape the layer implies.
    case wrongShape(layer: String, file: String, expected: [Int], found: [Int])
    /// A data array is unusable (shape, count or dtype).
    case badData(file: String, reason: String)
    /// A PQ layer does not fit the accelerator it should run on.
    case layerDoesNotFit(layer: String, field: String, value: String, limit: String, fix: String)
    /// An output folder could not be written.
    case cannotWrite(path: String, reason: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .missingFile(file, needed):
            return "\(file): missing; \(needed)"
        case let .badDescription(file, field, found, fix):
            return "\(file): field '\(field)': \(found); \(fix)"
        case let .unsupportedKind(layer, kind):
            return "layer '\(layer)': kind \"\(kind)\" is not supported; use one of \(LayerKind.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .invalidField(layer, field, value, fix):
            return "layer '\(layer)': field '\(field)' is \(value); \(fix)"
        case let .wrongShape(layer, file, expected, found):
            return "layer '\(layer)': \(file) has shape \(found), expected \(expected); export the array in that shape"
        case let .badData(file, reason):
            return "\(file): \(reason)"
        case let .layerDoesNotFit(layer, field, value, limit, fix):
            return "layer '\(layer)': \(field) is \(value), but the accelerator supports \(limit); \(fix)"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}
