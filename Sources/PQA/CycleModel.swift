import PQ

/// Cycles of the generated accelerator, from its parameters alone.
///
/// A column takes `ceil(Ns/NsVec)` slots of
/// `max(ceil(Ls/LsVec) x ceil(Np/NpVec), ceil(Cout/OutVec))` cycles: the bound
/// the hardware reaches with its resources.
public struct CycleModel: Sendable {
    public let parameters: PQAParameters

    public init(_ parameters: PQAParameters) { self.parameters = parameters }

    /// Cycles of one slot (one subspace group of one column).
    public func slot(_ shape: PQShape) -> Int {
        let p = parameters.configuration.parallelism
        return max(ceilDivide(shape.ls, p.lsVec) * ceilDivide(shape.np, p.npVec), ceilDivide(shape.cout, p.outVec))
    }

    /// `columns x ceil(Ns/NsVec) x slot`.
    public func bound(_ shape: PQShape, columns: Int) -> Int {
        columns * ceilDivide(shape.ns, parameters.configuration.parallelism.nsVec) * slot(shape)
    }
}
