/// `layer.json`, the manifest of a layer folder.
///
/// ```json
/// {
///   "format": "pqa-layer", "version": 1, "kind": "integer",
///   "shape": {"ls": 9, "np": 16, "ns": 64, "cout": 64, "inputLength": 576},
///   "metric": "l2", "relu": false,
///   "conv": {"inChannels": 64, "inHeight": 8, "inWidth": 8, "kernelHeight": 3,
///            "kernelWidth": 3, "stride": 1, "padding": 1},
///   "integer": {
///     "formats": {"activation": {"bits": 8, "signed": true}, "prototype": {...},
///                 "entry": {...}, "bias": {...}, "output": {...}},
///     "multiplierBits": 16, "maxShift": 20,
///     "requantization": {"multiplier": 40000, "shift": 20},
///     "scales": {"input": [0.03], "table": 0.01, "output": 0.05}
///   },
///   "widths": ["distance: u22 [0, 2359296] (...)", "..."]
/// }
/// ```
/// `encoder` is `"tree"` for a tree encoder (its `splits.npy` and
/// `thresholds.npy` beside the arrays) and absent for a distance encoder,
/// `conv` is optional, `integer` is present exactly for integer layers,
/// `scales` is optional and informative, and `widths` is written for
/// integer layers as a readable summary (it is never read back: the widths
/// are always derived again from the configuration).
struct LayerManifest: Codable, Equatable {
    enum Kind: String, Codable {
        case float, integer
    }

    struct RequantizationEntry: Codable, Equatable {
        var multiplier: Int
        var shift: Int
    }

    struct IntegerSection: Codable, Equatable {
        var formats: LayerFormats
        var multiplierBits: Int
        var maxShift: Int
        var requantization: RequantizationEntry
        var scales: QuantizationScales?
    }

    static let formatName = "pqa-layer"
    static let currentVersion = 1

    var format: String
    var version: Int
    var kind: Kind
    var shape: PQShape
    var metric: DistanceMetric
    /// Absent for a distance encoder (files written before trees read as one).
    var encoder: EncoderKind?
    var relu: Bool
    var conv: ConvGeometry?
    var integer: IntegerSection?
    var widths: [String]?
}
