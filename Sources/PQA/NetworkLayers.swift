import Foundation
import PQ

/// The PQ layers of a network in `workloads.json`, as the accelerator runs
/// them: one shape and a column count (output pixels) per layer.
public struct NetworkLayer: Sendable, Hashable {
    /// The layer's PQ shape (`D = Cin x k x k` cut into subvectors of `Ls`).
    public let shape: PQShape
    /// Input columns: one per output pixel.
    public let columns: Int

    /// A layer of `shape` running `columns` columns.
    public init(shape: PQShape, columns: Int) {
        self.shape = shape
        self.columns = columns
    }

    /// The layers of `network` (e.g. `resnet20`) in `workloads`.
    public static func layers(of network: String, in workloads: Workloads) throws -> [NetworkLayer] {
        guard let layers = workloads.networks[network] else {
            throw PQAInterfaceError.invalidArgument(field: "network", value: network,
                                                    allowed: "one of \(workloads.networks.keys.sorted().joined(separator: ", "))")
        }
        return try layers.map { layer in
            let geometry = try layer.geometry()
            return NetworkLayer(shape: try PQShape(inputLength: geometry.columnLength, ls: layer.ls, np: layer.np, cout: layer.outChannels),
                                columns: geometry.outHeight * geometry.outWidth)
        }
    }
}

/// The distinct ResNet-20 layer shapes, for tests.
enum ResNetShapes {
    static func distinct(from url: URL) throws -> [PQShape] {
        var seen: [PQShape] = []
        for layer in try NetworkLayer.layers(of: "resnet20", in: Workloads.read(from: url)) where !seen.contains(layer.shape) {
            seen.append(layer.shape)
        }
        return seen
    }
}
