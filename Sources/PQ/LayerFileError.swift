/// An error reading or writing a layer folder. Each message names the file
/// (and field) at fault, what was found, and what to do.
public enum LayerFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file the layer needs is missing.
    case missingFile(file: String)
    /// `layer.json` is malformed or holds a value out of range.
    case badManifest(file: String, field: String, found: String)
    /// An array's shape does not match `layer.json`.
    case wrongShape(file: String, expected: [Int], found: [Int])
    /// The arrays and `layer.json` together do not make a valid layer.
    case invalidLayer(file: String, reason: String)
    /// The layer folder could not be written.
    case cannotWrite(path: String, reason: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .missingFile(file):
            return "\(file): missing; a layer folder holds layer.json, prototypes.npy, table.npy and bias.npy"
        case let .badManifest(file, field, found):
            return "\(file): field '\(field)': \(found); correct that field of the file"
        case let .wrongShape(file, expected, found):
            return "\(file): shape \(found) does not match layer.json, which implies \(expected); regenerate the array or fix layer.json"
        case let .invalidLayer(file, reason):
            return "\(file): \(reason)"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write the layer folder: \(reason)"
        }
    }
}
