/// The hardware type of a signal: its width and how its bits are read.
///
/// `+`, `-`, bitwise operators and `mux` need operands of exactly the same type;
/// widening and truncation are written out (`+&`, `extended(to:)`,
/// `truncated(to:)`), and so are changes of signedness (`asSigned`,
/// `asUnsigned`, `asBool`).
public enum SignalType: Hashable, Sendable, CustomStringConvertible {
    /// An unsigned number of the given width.
    case unsigned(Int)
    /// A two's-complement number of the given width.
    case signed(Int)
    /// A single bit used as a condition.
    case bool

    /// Number of bits.
    public var width: Int {
        switch self {
        case .unsigned(let width), .signed(let width): width
        case .bool: 1
        }
    }

    /// Whether the bits are read as two's complement.
    public var isSigned: Bool { if case .signed = self { true } else { false } }

    /// Whether this is `.bool`.
    public var isBool: Bool { self == .bool }

    /// The same kind of number with another width (`.bool` widens to unsigned).
    public func withWidth(_ width: Int) -> SignalType {
        isSigned ? .signed(width) : (width == 1 && isBool ? .bool : .unsigned(width))
    }

    /// Smallest and largest value, as `Int`, when they fit.
    public var valueRange: ClosedRange<Int>? {
        switch self {
        case .bool: return 0...1
        case .unsigned(let width): return width <= 62 ? 0...((1 << width) - 1) : nil
        case .signed(let width):
            return width <= 63 ? -(1 << (width - 1))...((1 << (width - 1)) - 1) : nil
        }
    }

    /// `UInt<8>`, `SInt<8>` or `Bool`.
    public var description: String {
        switch self {
        case .unsigned(let width): "UInt<\(width)>"
        case .signed(let width): "SInt<\(width)>"
        case .bool: "Bool"
        }
    }
}

/// A place in the Swift source that built a piece of hardware.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The `#fileID` of the call site.
    public let fileID: String
    /// The line of the call site.
    public let line: Int

    /// Creates a location; the defaults capture the caller's position.
    public init(fileID: String = #fileID, line: Int = #line) {
        self.fileID = fileID
        self.line = line
    }

    /// `Module/File.swift:12`.
    public var description: String { "\(fileID):\(line)" }
}
