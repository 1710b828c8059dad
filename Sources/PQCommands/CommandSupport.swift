import ArgumentParser
import Foundation
import PQ

/// An error in the command line's inputs: which file or option, what was
/// found, and what to change.
public enum CommandError: Error, CustomStringConvertible, Equatable {
    /// An array has the wrong number of dimensions or the wrong sizes.
    case wrongShape(file: String, expected: String, found: [Int])
    /// An array has the wrong element kind (integer vs float).
    case wrongKind(file: String, expected: String, found: String)
    /// An option's value is not acceptable.
    case invalidOption(option: String, value: String, allowed: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case let .wrongShape(file, expected, found):
            return "\(file): shape \(found), expected \(expected)"
        case let .wrongKind(file, expected, found):
            return "\(file): dtype \(found), expected \(expected)"
        case let .invalidOption(option, value, allowed):
            return "\(option) \(value) is not valid: \(allowed)"
        }
    }
}

/// The distance metric as a command-line argument (`l2`, `l1`, `chebyshev`).
public enum MetricArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// The metric names accepted by `--metric`.
    case l2, l1, chebyshev

    /// The model's metric.
    public var metric: DistanceMetric {
        switch self {
        case .l2: return .l2
        case .l1: return .l1
        case .chebyshev: return .chebyshev
        }
    }
}

/// The encoder as a command-line argument (`distance`, `tree`).
public enum EncoderArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// The encoder names accepted by `--encoder`.
    case distance, tree

    /// The model's encoder.
    public var encoder: EncoderKind {
        switch self {
        case .distance: return .distance
        case .tree: return .tree
        }
    }
}

/// Helpers shared by the commands.
enum CommandIO {
    /// Reads a `.npy` file given on the command line.
    static func read(_ path: String) throws -> NPYArray {
        try NPYArray.read(from: URL(fileURLWithPath: path))
    }

    /// Checks the rank of `array` read from `file`.
    static func require(_ array: NPYArray, file: String, rank: Int, _ description: String) throws {
        guard array.shape.count == rank else {
            throw CommandError.wrongShape(file: file, expected: description, found: array.shape)
        }
    }

    /// A 2-D array as a Double matrix.
    static func doubleMatrix(_ array: NPYArray, file: String, _ description: String) throws -> Matrix<Double> {
        try require(array, file: file, rank: 2, description)
        return try Matrix(rows: array.shape[0], columns: array.shape[1], values: array.doubles)
    }

    /// A 2-D integer array as an Int matrix.
    static func integerMatrix(_ array: NPYArray, file: String, _ description: String) throws -> Matrix<Int> {
        try require(array, file: file, rank: 2, description)
        return try Matrix(rows: array.shape[0], columns: array.shape[1], values: array.integers(file: file))
    }

    /// Writes an integer array as int32 (atomically).
    static func writeInt32(_ values: [Int], shape: [Int], to path: String) throws {
        try NPYArray(integers: values, shape: shape, dtype: .int32).write(to: URL(fileURLWithPath: path))
    }

    /// Writes a float array as float64 (atomically).
    static func writeFloat64(_ values: [Double], shape: [Int], to path: String) throws {
        try NPYArray(floats: values, shape: shape, dtype: .float64).write(to: URL(fileURLWithPath: path))
    }
}
