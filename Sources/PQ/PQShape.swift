/// The sizes of one PQ layer.
///
/// - `ls`: subvector length `Ls`,
/// - `np`: prototypes per codebook `Np`,
/// - `ns`: subspaces (codebooks) `Ns`,
/// - `cout`: output channels `Cout`,
/// - `inputLength`: the layer's own input length `D` before padding.
///
/// The model works on columns of `Ns * Ls` values; a layer whose `D` is not a
/// multiple of `Ls` has its columns padded with zeros at the end, so
/// `(Ns - 1) * Ls < inputLength <= Ns * Ls`.
public struct PQShape: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Subvector length `Ls`.
    public var ls: Int
    /// Prototypes per codebook `Np`.
    public var np: Int
    /// Number of subspaces (codebooks) `Ns`.
    public var ns: Int
    /// Output channels `Cout`.
    public var cout: Int
    /// The unpadded input length `D`.
    public var inputLength: Int

    /// The largest `Ls` accepted.
    public static let maxLs = 4096
    /// The largest `Np` accepted (argmin indices up to 16 bits).
    public static let maxNp = 65536
    /// The largest `Ns` and `Cout` accepted.
    public static let maxNsOrCout = 1 << 20

    /// A shape with every size given; `inputLength` defaults to `ns * ls`.
    public init(ls: Int, np: Int, ns: Int, cout: Int, inputLength: Int? = nil) throws {
        self.ls = ls
        self.np = np
        self.ns = ns
        self.cout = cout
        self.inputLength = inputLength ?? ns * ls
        try validate()
    }

    /// The shape for an input of length `inputLength` cut into subvectors of
    /// length `ls`: `Ns = ceil(D / Ls)`.
    public init(inputLength: Int, ls: Int, np: Int, cout: Int) throws {
        guard ls >= 1, ls <= PQShape.maxLs else {
            throw PQError.parameterOutOfRange(field: "Ls", value: "\(ls)", allowed: "1...\(PQShape.maxLs)")
        }
        guard inputLength >= 1 else {
            throw PQError.parameterOutOfRange(field: "input length D", value: "\(inputLength)", allowed: ">= 1")
        }
        try self.init(ls: ls, np: np, ns: (inputLength + ls - 1) / ls, cout: cout, inputLength: inputLength)
    }

    /// The padded column length `Ns * Ls`.
    public var paddedLength: Int { ns * ls }

    /// Checks every size against its supported range and `inputLength`
    /// against `((Ns - 1) * Ls, Ns * Ls]`.
    public func validate() throws {
        try PQShape.check("Ls", ls, 1...PQShape.maxLs)
        try PQShape.check("Np", np, 1...PQShape.maxNp)
        try PQShape.check("Ns", ns, 1...PQShape.maxNsOrCout)
        try PQShape.check("Cout", cout, 1...PQShape.maxNsOrCout)
        try PQShape.check("input length D", inputLength, ((ns - 1) * ls + 1)...(ns * ls))
    }

    /// `Ls=9 Np=16 Ns=64 Cout=64 D=576`.
    public var description: String {
        "Ls=\(ls) Np=\(np) Ns=\(ns) Cout=\(cout) D=\(inputLength)"
    }

    static func check(_ field: String, _ value: Int, _ range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw PQError.parameterOutOfRange(field: field, value: "\(value)", allowed: "\(range)")
        }
    }

    /// Returns `column` padded with zeros to `Ns * Ls`. Accepts columns of
    /// length `inputLength` or already padded ones.
    func padded<Scalar: AdditiveArithmetic>(_ column: [Scalar], field: String = "column") throws -> [Scalar] {
        if column.count == paddedLength { return column }
        guard column.count == inputLength else {
            throw PQError.sizeMismatch(
                field: field, expected: "\(inputLength) values (D) or \(paddedLength) (Ns * Ls)",
                found: "\(column.count) values")
        }
        return column + Array(repeating: .zero, count: paddedLength - inputLength)
    }
}
