import PQ
import PQA

/// The accelerator a converted network runs on: one loadable configuration
/// that holds every PQ layer of the network.
public enum NetworkAccelerator {
    /// The smallest loadable configuration that runs every PQ layer of
    /// `network`: maxima from its largest layer (`Ls`, `Np`, `Ns`, `Cout`,
    /// columns per image), its shared formats, encoder
    /// (``ConversionOptions/encoder``), metric and multiplier width, the
    /// largest shift any layer uses, and `parallelism` (by default
    /// `LsVec = Ls`, `NpVec = min(Np, 16)`, `NsVec = 1`,
    /// `OutVec = min(Cout, 16)`), clipped to the maxima. A tree encoder's
    /// design decides among all `Np` leaves at once: its `NpVec` is always
    /// `maxima.np`, whatever `parallelism` asks, and its metric (the first
    /// layer's) is unused.
    public static func configuration(for network: ConvertedNetwork,
                                     parallelism: PQAConfiguration.Parallelism? = nil) throws -> PQAConfiguration {
        guard let formats = network.formats, let first = network.layers.first else {
            throw NetworkError.invalidField(layer: network.network.source.name ?? "network", field: "pq", value: "no PQ layer",
                                            fix: "mark at least one conv or linear layer \"pq\": true")
        }
        let encoder = network.options.encoder
        let shapes = network.layers.map(\.integer.shape)
        let maxima = PQAConfiguration.Maxima(
            ls: shapes.map(\.ls).max() ?? 1, np: shapes.map(\.np).max() ?? 1, ns: shapes.map(\.ns).max() ?? 1,
            cout: shapes.map(\.cout).max() ?? 1, columns: network.layers.map(\.columnsPerImage).max() ?? 1)
        let wanted = parallelism ?? .init(lsVec: maxima.ls, npVec: min(maxima.np, 16), nsVec: 1, outVec: min(maxima.cout, 16))
        let configuration = PQAConfiguration(
            maxima: maxima,
            parallelism: .init(lsVec: min(wanted.lsVec, maxima.ls), npVec: encoder == .tree ? maxima.np : min(wanted.npVec, maxima.np),
                               nsVec: min(wanted.nsVec, maxima.ns), outVec: min(wanted.outVec, maxima.cout)),
            formats: formats, multiplierBits: first.integer.configuration.multiplierBits,
            maxShift: network.layers.map(\.integer.requantization.shift).max() ?? 0, metric: first.integer.metric,
            encoder: encoder, pipelining: PQAConfiguration.default.pipelining)
        try configuration.validate()
        return configuration
    }

    /// Checks that every PQ layer of `network` runs on `configuration`
    /// (its encoder among them; a tree layer's metric is not compared, its
    /// trees encode); the error names the first layer that does not, the
    /// field and the limit.
    public static func check(_ network: ConvertedNetwork, fits configuration: PQAConfiguration) throws {
        let fix = "use an accelerator sized for the network (leave out --config) or a larger configuration"
        guard configuration.tableMode == .loadable else {
            throw NetworkError.layerDoesNotFit(layer: network.layers.first?.name ?? "-", field: "tables", value: "loadable layers",
                                               limit: "fixed tables only", fix: "set tableMode to loadable")
        }
        let maxima = configuration.maxima
        for layer in network.layers {
            let shape = layer.integer.shape, integer = layer.integer
            func fits(_ field: String, _ value: Int, _ limit: Int, _ detail: String = "") throws {
                guard value <= limit else {
                    throw NetworkError.layerDoesNotFit(layer: layer.name, field: field, value: "\(value)\(detail)", limit: "at most \(limit)", fix: fix)
                }
            }
            try fits("Ls", shape.ls, maxima.ls)
            try fits("Np", shape.np, maxima.np)
            try fits("Ns", shape.ns, maxima.ns, " (D = \(shape.inputLength) in subvectors of Ls = \(shape.ls))")
            try fits("Cout", shape.cout, maxima.cout)
            try fits("columns per image", layer.columnsPerImage, maxima.columns)
            try fits("requantization multiplier", integer.requantization.multiplier, (1 << configuration.multiplierBits) - 1)
            try fits("requantization shift", integer.requantization.shift, configuration.maxShift)
            guard integer.encoder == configuration.encoder else {
                throw NetworkError.layerDoesNotFit(
                    layer: layer.name, field: "encoder", value: integer.encoder.rawValue, limit: "the \(configuration.encoder.rawValue) encoder only",
                    fix: "use an accelerator with encoder \(integer.encoder.rawValue) (leave out --config: the one sized for the network has it) "
                        + "or convert with --encoder \(configuration.encoder.rawValue)")
            }
            guard integer.encoder == .tree || integer.metric == configuration.metric else {
                throw NetworkError.layerDoesNotFit(layer: layer.name, field: "metric", value: integer.metric.rawValue,
                                                   limit: configuration.metric.rawValue, fix: "convert with --metric \(configuration.metric.rawValue)")
            }
            guard integer.formats == configuration.formats else {
                throw NetworkError.layerDoesNotFit(layer: layer.name, field: "formats", value: "\(integer.formats)",
                                                   limit: "\(configuration.formats)", fix: fix)
            }
        }
    }
}
