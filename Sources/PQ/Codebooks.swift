/// The prototypes of a PQ layer: `Ns` codebooks of `Np` prototypes of `Ls`
/// values each, stored flat in C order `[Ns][Np][Ls]` (the layout of
/// `prototypes.npy` and of the hardware's prototype memories).
public struct Codebooks<Scalar: Sendable & Equatable>: Sendable, Equatable {
    /// Number of subspaces `Ns`.
    public let ns: Int
    /// Prototypes per codebook `Np`.
    public let np: Int
    /// Subvector length `Ls`.
    public let ls: Int
    /// All values, `values[(s * Np + p) * Ls + l]`.
    public let values: [Scalar]

    /// Codebooks over flat values; `values.count` must be `ns * np * ls`.
    public init(ns: Int, np: Int, ls: Int, values: [Scalar]) throws {
        guard ns >= 1, np >= 1, ls >= 1 else {
            throw PQError.parameterOutOfRange(
                field: "prototypes shape", value: "[\(ns), \(np), \(ls)]", allowed: "sizes >= 1")
        }
        guard values.count == ns * np * ls else {
            throw PQError.sizeMismatch(
                field: "prototypes", expected: "Ns*Np*Ls = \(ns * np * ls) values", found: "\(values.count)")
        }
        self.ns = ns
        self.np = np
        self.ls = ls
        self.values = values
    }

    /// Codebooks from nested arrays `[Ns][Np][Ls]`; every inner array must
    /// have the same length as the first.
    public init(nested: [[[Scalar]]]) throws {
        let np = nested.first?.count ?? 0
        let ls = nested.first?.first?.count ?? 0
        for (s, book) in nested.enumerated() {
            guard book.count == np else {
                throw PQError.sizeMismatch(field: "prototypes[\(s)]", expected: "\(np) prototypes", found: "\(book.count)")
            }
            for (p, proto) in book.enumerated() where proto.count != ls {
                throw PQError.sizeMismatch(field: "prototypes[\(s)][\(p)]", expected: "\(ls) values", found: "\(proto.count)")
            }
        }
        try self.init(ns: nested.count, np: np, ls: ls, values: nested.flatMap { $0.flatMap { $0 } })
    }

    /// Prototype `index` of codebook `subspace`.
    public func prototype(subspace: Int, index: Int) -> ArraySlice<Scalar> {
        let start = (subspace * np + index) * ls
        return values[start..<(start + ls)]
    }

    /// The values as nested arrays `[Ns][Np][Ls]`.
    public var nested: [[[Scalar]]] {
        (0..<ns).map { s in (0..<np).map { p in Array(prototype(subspace: s, index: p)) } }
    }

    /// The same codebooks with `transform` applied to every value.
    public func map<Other>(_ transform: (Scalar) throws -> Other) rethrows -> Codebooks<Other> {
        Codebooks<Other>(unchecked: ns, np, ls, try values.map(transform))
    }

    init(unchecked ns: Int, _ np: Int, _ ls: Int, _ values: [Scalar]) {
        self.ns = ns
        self.np = np
        self.ls = ls
        self.values = values
    }
}

/// The lookup table of a PQ layer: for each subspace `s` and prototype `p`,
/// the contribution of that prototype to each of the `Cout` outputs, stored
/// flat in C order `[Ns][Np][Cout]` (the layout of `table.npy`).
public struct LookupTable<Scalar: Sendable & Equatable>: Sendable, Equatable {
    /// Number of subspaces `Ns`.
    public let ns: Int
    /// Prototypes per codebook `Np`.
    public let np: Int
    /// Output channels `Cout`.
    public let cout: Int
    /// All entries, `values[(s * Np + p) * Cout + c]`.
    public let values: [Scalar]

    /// A table over flat values; `values.count` must be `ns * np * cout`.
    public init(ns: Int, np: Int, cout: Int, values: [Scalar]) throws {
        guard ns >= 1, np >= 1, cout >= 1 else {
            throw PQError.parameterOutOfRange(
                field: "table shape", value: "[\(ns), \(np), \(cout)]", allowed: "sizes >= 1")
        }
        guard values.count == ns * np * cout else {
            throw PQError.sizeMismatch(
                field: "table", expected: "Ns*Np*Cout = \(ns * np * cout) values", found: "\(values.count)")
        }
        self.ns = ns
        self.np = np
        self.cout = cout
        self.values = values
    }

    /// A table from nested arrays `[Ns][Np][Cout]`.
    public init(nested: [[[Scalar]]]) throws {
        let np = nested.first?.count ?? 0
        let cout = nested.first?.first?.count ?? 0
        for (s, book) in nested.enumerated() {
            guard book.count == np else {
                throw PQError.sizeMismatch(field: "table[\(s)]", expected: "\(np) rows", found: "\(book.count)")
            }
            for (p, row) in book.enumerated() where row.count != cout {
                throw PQError.sizeMismatch(field: "table[\(s)][\(p)]", expected: "\(cout) values", found: "\(row.count)")
            }
        }
        try self.init(ns: nested.count, np: np, cout: cout, values: nested.flatMap { $0.flatMap { $0 } })
    }

    /// The entry for subspace `s`, prototype `p`, output channel `c`.
    public func entry(subspace s: Int, prototype p: Int, channel c: Int) -> Scalar {
        values[(s * np + p) * cout + c]
    }

    /// The `Cout` entries selected by prototype `p` of subspace `s`.
    public func row(subspace s: Int, prototype p: Int) -> ArraySlice<Scalar> {
        let start = (s * np + p) * cout
        return values[start..<(start + cout)]
    }

    /// The values as nested arrays `[Ns][Np][Cout]`.
    public var nested: [[[Scalar]]] {
        (0..<ns).map { s in (0..<np).map { p in Array(row(subspace: s, prototype: p)) } }
    }

    /// The same table with `transform` applied to every entry.
    public func map<Other>(_ transform: (Scalar) throws -> Other) rethrows -> LookupTable<Other> {
        LookupTable<Other>(unchecked: ns, np, cout, try values.map(transform))
    }

    init(unchecked ns: Int, _ np: Int, _ cout: Int, _ values: [Scalar]) {
        self.ns = ns
        self.np = np
        self.cout = cout
        self.values = values
    }
}
