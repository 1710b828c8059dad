import Foundation

/// The PQ workloads of `workloads.json` (layer shapes of the reference
/// networks and the (Ls, Np) points of the paper's comparison table).
public struct Workloads: Decodable, Sendable {
    /// One PQ-replaced convolution of a network.
    public struct ConvLayer: Decodable, Sendable, Hashable {
        /// Input channels.
        public var inChannels: Int
        /// Input height.
        public var inHeight: Int
        /// Input width.
        public var inWidth: Int
        /// Output channels.
        public var outChannels: Int
        /// Square kernel size.
        public var kernel: Int
        /// Stride.
        public var stride: Int
        /// Zero padding.
        public var padding: Int
        /// Prototypes per codebook.
        public var np: Int
        /// Subvector length.
        public var ls: Int

        enum CodingKeys: String, CodingKey {
            case inChannels = "in_channels", inHeight = "in_height", inWidth = "in_width"
            case outChannels = "out_channels", kernel, stride, padding, np = "Np", ls = "Ls"
        }

        /// The layer's convolution geometry.
        public func geometry() throws -> ConvGeometry {
            try ConvGeometry(
                inChannels: inChannels, inHeight: inHeight, inWidth: inWidth, kernelHeight: kernel,
                kernelWidth: kernel, stride: stride, padding: padding)
        }
    }

    /// One (Ls, Np) point, optionally with prototype and table bit widths.
    public struct Point: Decodable, Sendable, Hashable {
        /// Subvector length.
        public var ls: Int
        /// Prototypes per codebook.
        public var np: Int
        /// Prototype bits of a quantized point.
        public var prototypeBits: Int?
        /// Table entry bits of a quantized point.
        public var tableBits: Int?

        enum CodingKeys: String, CodingKey {
            case ls = "Ls", np = "Np", prototypeBits = "prototype_bits", tableBits = "table_bits"
        }
    }

    /// Layers per network name.
    public var networks: [String: [ConvLayer]]
    /// Comparison points per network name.
    public var table3Points: [String: [Point]]

    enum CodingKeys: String, CodingKey {
        case networks, table3Points = "table3_points"
    }

    /// Reads and decodes a workloads file.
    public static func read(from url: URL) throws -> Workloads {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LayerFileError.badManifest(file: url.path, field: "(file)", found: "unreadable: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(Workloads.self, from: data)
        } catch let error as DecodingError {
            let (path, reason) = LayerFolder.describe(error)
            throw LayerFileError.badManifest(file: url.path, field: path, found: reason)
        } catch {
            throw LayerFileError.badManifest(file: url.path, field: "(document)", found: "not valid JSON")
        }
    }
}
