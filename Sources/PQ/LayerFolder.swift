import Foundation

/// A PQ layer of either kind, as stored in a layer folder.
public enum PQLayer: Sendable, Equatable {
    /// A float layer.
    case float(FloatPQLayer)
    /// An integer (bit-exact) layer.
    case integer(IntegerPQLayer)

    /// The layer's sizes.
    public var shape: PQShape {
        switch self {
        case let .float(layer): return layer.shape
        case let .integer(layer): return layer.shape
        }
    }

    /// The convolution the layer replaces, if any.
    public var conv: ConvGeometry? {
        switch self {
        case let .float(layer): return layer.conv
        case let .integer(layer): return layer.conv
        }
    }
}

/// Reading and writing layer folders.
///
/// A layer folder holds `layer.json` (see ``LayerManifest``: shapes,
/// metric, formats, scales, requantization) and three NumPy arrays:
/// `prototypes.npy` `[Ns, Np, Ls]`, `table.npy` `[Ns, Np, Cout]` and
/// `bias.npy` `[Cout]`; a tree encoder adds `splits.npy` `[Ns, log2 Np]`
/// (integers) and `thresholds.npy` `[Ns, Np - 1]` (see ``EncodingTrees``).
/// Float layers store float64 arrays; integer layers store the narrowest
/// integer dtype of each format (int8, uint8, int16, ...) and must be read
/// from integer arrays.
public enum LayerFolder {
    /// File name of the manifest.
    public static let manifestName = "layer.json"
    /// File name of the prototypes.
    public static let prototypesName = "prototypes.npy"
    /// File name of the table.
    public static let tableName = "table.npy"
    /// File name of the bias.
    public static let biasName = "bias.npy"
    /// File name of a tree encoder's split elements.
    public static let splitsName = "splits.npy"
    /// File name of a tree encoder's thresholds.
    public static let thresholdsName = "thresholds.npy"

    /// Reads the layer in `folder`. Errors are ``LayerFileError`` or
    /// ``NPYError`` values naming the file at fault.
    public static func read(from folder: URL) throws -> PQLayer {
        let manifestURL = folder.appendingPathComponent(manifestName)
        let manifest = try readManifest(manifestURL)
        let file = { (name: String) in folder.appendingPathComponent(name).path }
        let shape = manifest.shape
        let prototypes = try readArray(folder, prototypesName, shape: [shape.ns, shape.np, shape.ls])
        let table = try readArray(folder, tableName, shape: [shape.ns, shape.np, shape.cout])
        let bias = try readArray(folder, biasName, shape: [shape.cout])
        let encoder = manifest.encoder ?? .distance
        let depth = shape.np.trailingZeroBitCount
        if encoder == .tree, shape.np & (shape.np - 1) != 0 {
            throw LayerFileError.badManifest(file: manifestURL.path, field: "shape.np", found: "\(shape.np), not a power of two as a tree encoder needs")
        }
        let splits = encoder == .tree ? try readArray(folder, splitsName, shape: [shape.ns, depth]) : nil
        let thresholds = encoder == .tree ? try readArray(folder, thresholdsName, shape: [shape.ns, shape.np - 1]) : nil
        do {
            func trees<Scalar>(_ values: (NPYArray) throws -> [Scalar]) throws -> EncodingTrees<Scalar>? {
                guard let splits, let thresholds else { return nil }
                return try EncodingTrees(ns: shape.ns, ls: shape.ls, depth: depth, splits: splits.integers(file: file(splitsName)),
                                         thresholds: values(thresholds))
            }
            switch manifest.kind {
            case .float:
                return .float(try FloatPQLayer(
                    shape: shape, metric: manifest.metric,
                    prototypes: Codebooks(ns: shape.ns, np: shape.np, ls: shape.ls, values: prototypes.doubles),
                    table: LookupTable(ns: shape.ns, np: shape.np, cout: shape.cout, values: table.doubles),
                    bias: bias.doubles, relu: manifest.relu, conv: manifest.conv, trees: trees { $0.doubles }))
            case .integer:
                guard let section = manifest.integer else {
                    throw LayerFileError.badManifest(file: manifestURL.path, field: "integer", found: "missing for kind \"integer\"")
                }
                let configuration = try PQConfiguration(
                    shape: shape, metric: manifest.metric, encoder: encoder, formats: section.formats,
                    multiplierBits: section.multiplierBits, maxShift: section.maxShift)
                return .integer(try IntegerPQLayer(
                    configuration: configuration,
                    prototypes: Codebooks(ns: shape.ns, np: shape.np, ls: shape.ls, values: prototypes.integers(file: file(prototypesName))),
                    table: LookupTable(ns: shape.ns, np: shape.np, cout: shape.cout, values: table.integers(file: file(tableName))),
                    bias: bias.integers(file: file(biasName)),
                    requantization: Requantization(
                        multiplier: section.requantization.multiplier, shift: section.requantization.shift, relu: manifest.relu),
                    scales: section.scales, conv: manifest.conv, trees: trees { try $0.integers(file: file(thresholdsName)) }))
            }
        } catch let error as PQError {
            throw LayerFileError.invalidLayer(file: file(fileName(for: error)), reason: error.description)
        }
    }

    /// Writes `layer` to `folder` without ever leaving a half-written folder:
    /// everything is written to a hidden temporary sibling, which is then
    /// renamed into place. An existing `folder` is replaced only if it is
    /// empty or already a layer folder (it holds `layer.json`).
    public static func write(_ layer: PQLayer, to folder: URL) throws {
        let manager = FileManager.default
        let temporary = AtomicFile.temporarySibling(of: folder)
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
            let (manifest, arrays) = try contents(of: layer)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(manifest).write(to: temporary.appendingPathComponent(manifestName))
            for (name, array) in arrays {
                try array.encoded().write(to: temporary.appendingPathComponent(name))
            }
            try AtomicFile.moveFolder(temporary, to: folder) { existing in
                let names = (try? manager.contentsOfDirectory(atPath: existing.path)) ?? ["?"]
                return names.isEmpty || names.contains(manifestName)
            }
        } catch {
            try? manager.removeItem(at: temporary)
            if let failure = error as? AtomicFile.Failure {
                throw LayerFileError.cannotWrite(path: folder.path, reason: failure.reason)
            }
            if error is LayerFileError || error is NPYError || error is PQError { throw error }
            throw LayerFileError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
    }

    static func contents(of layer: PQLayer) throws -> (LayerManifest, [(String, NPYArray)]) {
        switch layer {
        case let .float(l):
            let s = l.shape
            let manifest = LayerManifest(
                format: LayerManifest.formatName, version: LayerManifest.currentVersion, kind: .float,
                shape: s, metric: l.metric, encoder: l.trees == nil ? nil : .tree, relu: l.relu, conv: l.conv, integer: nil, widths: nil)
            return try (manifest, [
                (prototypesName, try NPYArray(floats: l.prototypes.values, shape: [s.ns, s.np, s.ls])),
                (tableName, try NPYArray(floats: l.table.values, shape: [s.ns, s.np, s.cout])),
                (biasName, try NPYArray(floats: l.bias, shape: [s.cout])),
            ] + treeArrays(l.trees, s, thresholdArray: { try NPYArray(floats: $0, shape: [s.ns, s.np - 1]) }))
        case let .integer(l):
            let s = l.shape, f = l.formats
            let section = LayerManifest.IntegerSection(
                formats: f, multiplierBits: l.configuration.multiplierBits, maxShift: l.configuration.maxShift,
                requantization: .init(multiplier: l.requantization.multiplier, shift: l.requantization.shift),
                scales: l.scales)
            let manifest = LayerManifest(
                format: LayerManifest.formatName, version: LayerManifest.currentVersion, kind: .integer,
                shape: s, metric: l.metric, encoder: l.trees == nil ? nil : .tree, relu: l.requantization.relu, conv: l.conv, integer: section,
                widths: l.widths.lines)
            return try (manifest, [
                (prototypesName, try NPYArray(integers: l.prototypes.values, shape: [s.ns, s.np, s.ls], dtype: .narrowest(for: f.prototype))),
                (tableName, try NPYArray(integers: l.table.values, shape: [s.ns, s.np, s.cout], dtype: .narrowest(for: f.entry))),
                (biasName, try NPYArray(integers: l.bias, shape: [s.cout], dtype: .narrowest(for: f.bias))),
            ] + treeArrays(l.trees, s, thresholdArray: {
                try NPYArray(integers: $0, shape: [s.ns, s.np - 1], dtype: .narrowest(for: f.activation))
            }))
        }
    }

    /// A tree encoder's two arrays (none for a distance encoder): the splits
    /// as the narrowest unsigned integers, the thresholds as `thresholdArray` makes them.
    private static func treeArrays<Scalar>(
        _ trees: EncodingTrees<Scalar>?, _ s: PQShape, thresholdArray: ([Scalar]) throws -> NPYArray
    ) throws -> [(String, NPYArray)] {
        guard let trees else { return [] }
        let splitDType: NPYDType = s.ls <= 256 ? .uint8 : .uint16
        return [(splitsName, try NPYArray(integers: trees.splits, shape: [s.ns, trees.depth], dtype: splitDType)),
                (thresholdsName, try thresholdArray(trees.thresholds))]
    }

    static func readManifest(_ url: URL) throws -> LayerManifest {
        guard FileManager.default.fileExists(atPath: url.path) else { throw LayerFileError.missingFile(file: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LayerFileError.badManifest(file: url.path, field: "(file)", found: "unreadable: \(error.localizedDescription)")
        }
        let manifest: LayerManifest
        do {
            manifest = try JSONDecoder().decode(LayerManifest.self, from: data)
        } catch let error as DecodingError {
            let (path, reason) = describe(error)
            throw LayerFileError.badManifest(file: url.path, field: path, found: reason)
        } catch {
            throw LayerFileError.badManifest(file: url.path, field: "(document)", found: "not valid JSON: \(error.localizedDescription)")
        }
        guard manifest.format == LayerManifest.formatName else {
            throw LayerFileError.badManifest(file: url.path, field: "format", found: "\"\(manifest.format)\", expected \"\(LayerManifest.formatName)\"")
        }
        guard manifest.version == LayerManifest.currentVersion else {
            throw LayerFileError.badManifest(file: url.path, field: "version", found: "\(manifest.version), this reader handles \(LayerManifest.currentVersion)")
        }
        do { try manifest.shape.validate() } catch let error as PQError {
            throw LayerFileError.badManifest(file: url.path, field: "shape", found: error.description)
        }
        return manifest
    }

    static func readArray(_ folder: URL, _ name: String, shape: [Int]) throws -> NPYArray {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw LayerFileError.missingFile(file: url.path) }
        let array = try NPYArray.read(from: url)
        guard array.shape == shape else { throw LayerFileError.wrongShape(file: url.path, expected: shape, found: array.shape) }
        return array
    }

    /// The file a validation error points at.
    static func fileName(for error: PQError) -> String {
        let field: String
        switch error {
        case let .valueOutOfFormat(f, _, _, _), let .sizeMismatch(f, _, _), let .nonFiniteValue(f, _): field = f
        default: field = ""
        }
        if field.hasPrefix("prototypes") { return prototypesName }
        if field.hasPrefix("table") { return tableName }
        if field.hasPrefix("bias") { return biasName }
        if field.hasPrefix("splits") || field.hasPrefix("trees") || field.hasPrefix("tree depth") { return splitsName }
        if field.hasPrefix("thresholds") { return thresholdsName }
        return manifestName
    }

    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "(top level)" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            return (path(context.codingPath + [key]), "missing")
        case let .typeMismatch(type, context):
            return (path(context.codingPath), "wrong type, expected \(type)")
        case let .valueNotFound(type, context):
            return (path(context.codingPath), "null, expected \(type)")
        case let .dataCorrupted(context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("(unknown)", "\(error)")
        }
    }
}
