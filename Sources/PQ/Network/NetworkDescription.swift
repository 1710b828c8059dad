/// The kinds of layer a network folder may hold.
public enum LayerKind: String, CaseIterable, Codable, Sendable {
    /// A 2-D convolution (NCHW, square kernel, zero padding), through im2col.
    case conv
    /// A fully connected layer on a flat input.
    case linear
    /// `max(x, 0)`.
    case relu
    /// Max pooling over `size x size` windows.
    case maxpool
    /// Average pooling over `size x size` windows.
    case avgpool
    /// Channels, rows and columns read as one vector (C order).
    case flatten
    /// Residual addition of an earlier layer's output (`from`).
    case add
}

/// `network.json`, the description of a network folder.
///
/// ```json
/// {"format": "pqa-network", "version": 1, "name": "digits-cnn",
///  "input": {"channels": 1, "height": 8, "width": 8, "scale": 0.0625},
///  "layers": [
///    {"name": "conv1", "kind": "conv", "outChannels": 16, "kernel": 3, "stride": 1, "padding": 1},
///    {"name": "relu1", "kind": "relu"},
///    {"name": "pool1", "kind": "maxpool", "size": 2},
///    {"name": "res", "kind": "add", "from": "relu1"},
///    {"name": "flatten", "kind": "flatten"},
///    {"name": "fc", "kind": "linear", "outFeatures": 10, "pq": false}]}
/// ```
///
/// Each conv and linear layer `NAME` has `NAME.weight.npy` (conv
/// `[Cout, Cin, k, k]`, linear `[out, in]`, PyTorch's layouts) and
/// `NAME.bias.npy` (`[Cout]`, optional: zeros when absent) beside it. `pq`
/// marks a layer product-quantized or float; when absent, every conv and
/// linear layer is PQ except the first conv and the last weighted layer (the
/// classifier), as in the PQA paper's ResNet-20 setting. Pooling `stride`
/// defaults to `size`; conv `stride` to 1 and `padding` to 0. `add` adds the
/// output of the layer named `from` (or `"input"`) to the current tensor.
/// The input image values are multiplied by `input.scale` (default 1).
public struct NetworkDescription: Codable, Sendable, Equatable {
    /// The input tensor of one image.
    public struct Input: Codable, Sendable, Equatable {
        /// Channels.
        public var channels: Int
        /// Rows.
        public var height: Int
        /// Columns.
        public var width: Int
        /// Factor applied to the stored image values (nil: 1).
        public var scale: Double?

        /// An input of the given shape.
        public init(channels: Int, height: Int, width: Int, scale: Double? = nil) {
            self.channels = channels
            self.height = height
            self.width = width
            self.scale = scale
        }
    }

    /// One layer as written in the file; ``Network`` checks and resolves it.
    public struct Layer: Codable, Sendable, Equatable {
        /// A unique name; weight files are named after it.
        public var name: String
        /// The kind, as written (checked against ``LayerKind``).
        public var kind: String
        /// Conv: output channels.
        public var outChannels: Int?
        /// Conv: square kernel size.
        public var kernel: Int?
        /// Conv and pooling: stride.
        public var stride: Int?
        /// Conv: zero padding on each side.
        public var padding: Int?
        /// Linear: output features.
        public var outFeatures: Int?
        /// Pooling: window size.
        public var size: Int?
        /// Add: the layer whose output is added (or "input").
        public var from: String?
        /// Conv and linear: product-quantized (true) or float (false); nil for the default.
        public var pq: Bool?

        /// A layer of `kind` named `name`; set the fields its kind needs.
        public init(name: String, kind: LayerKind) {
            self.name = name
            self.kind = kind.rawValue
        }
    }

    /// The format tag, `pqa-network`.
    public static let formatName = "pqa-network"
    /// The version this reader handles.
    public static let currentVersion = 1

    /// `pqa-network`.
    public var format: String
    /// 1.
    public var version: Int
    /// A name for reports.
    public var name: String?
    /// The input tensor of one image.
    public var input: Input
    /// The layers, in order.
    public var layers: [Layer]

    /// A description of the current format and version.
    public init(name: String?, input: Input, layers: [Layer]) {
        format = Self.formatName
        version = Self.currentVersion
        self.name = name
        self.input = input
        self.layers = layers
    }
}
