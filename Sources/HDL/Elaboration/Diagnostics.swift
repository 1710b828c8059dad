/// One problem found while building or elaborating a design.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious the problem is.
    public enum Severity: String, Sendable { case error, warning }

    /// Error or warning.
    public let severity: Severity
    /// The module the problem was found in.
    public let module: String
    /// What is wrong and how to fix it.
    public let message: String
    /// Where in the Swift source the offending hardware was built.
    public let location: SourceLocation?

    /// `error: File.swift:12: in module m: message`.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(severity.rawValue): \(place)in module '\(module)': \(message)"
    }
}

/// Every error found while elaborating a design, reported together.
public struct ElaborationError: Error, CustomStringConvertible {
    /// The errors (and the warnings found alongside them), in the order found.
    public let diagnostics: [Diagnostic]

    /// Only the errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// A report listing every diagnostic, one per line.
    public var description: String {
        let count = errors.count
        let heading = "elaboration failed with \(count) error\(count == 1 ? "" : "s"):"
        return ([heading] + diagnostics.map { "  " + $0.description }).joined(separator: "\n")
    }
}
