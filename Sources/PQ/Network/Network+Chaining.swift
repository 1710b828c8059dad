/// What the integer path of a converted network needs to know about the
/// layers between two PQ layers.
extension Network {
    /// Whether the conv or linear layer at `index` is followed by a ReLU,
    /// which its PQ layer then applies itself.
    public func hasFusedReLU(_ index: Int) -> Bool {
        index + 1 < layers.count && layers[index + 1].kind == .relu
    }

    /// The PQ layer whose outputs reach the PQ layer at `index` through
    /// scale-preserving layers only (ReLU, pooling, flatten): the integer
    /// path hands its integer outputs on as they are. Nil when a float
    /// layer, a residual addition or the input comes between.
    public func chainedSource(of index: Int) -> Int? {
        var j = index - 1
        while j >= 0, [.relu, .maxpool, .avgpool, .flatten].contains(layers[j].kind) { j -= 1 }
        guard j >= 0, layers[j].weighted?.pq == true else { return nil }
        return j
    }

    /// Whether every value of layer `index`'s output (nil: the input) is
    /// known to be non-negative, whatever the data: after a ReLU, or a PQ
    /// layer with a fused ReLU, and through pooling and flatten.
    public func isNonNegative(outputOf index: Int?) -> Bool {
        guard let index else { return false }
        switch layers[index].operation {
        case .relu: return true
        case .maxPool, .avgPool, .flatten: return isNonNegative(outputOf: index == 0 ? nil : index - 1)
        case let .weighted(w): return w.pq && hasFusedReLU(index)
        case let .add(from): return isNonNegative(outputOf: index == 0 ? nil : index - 1) && isNonNegative(outputOf: from)
        }
    }
}
