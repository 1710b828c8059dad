import Foundation

/// `conversion.json`: how a converted network folder was made and where its
/// PQ layer folders are.
struct ConversionManifest: Codable, Equatable {
    struct LayerEntry: Codable, Equatable {
        /// The layer's name in `network.json`.
        var name: String
        /// The float PQ layer folder, relative to the network folder.
        var float: String
        /// The integer layer folder, relative to the network folder.
        var integer: String
        /// The PQ layer whose integer outputs this one takes as they are.
        var chainedFrom: String?
    }

    static let formatName = "pqa-converted-network"
    static let currentVersion = 1
    static let fileName = "conversion.json"

    var format: String
    var version: Int
    var options: ConversionOptions
    var calibrationImages: Int
    var layers: [LayerEntry]
    /// Float layers whose refit weights are in `refit/NAME.weight.npy` and
    /// `refit/NAME.bias.npy` (absent: none).
    var refitFloatLayers: [String]?
}

extension ConvertedNetwork {
    /// Writes the converted network to `folder` (atomically): the float
    /// network (`network.json` and its float32 weights), `conversion.json`,
    /// and per PQ layer `pq/NAME/float` and `pq/NAME/integer`, layer folders
    /// that `pqa reference` and the accelerator read as they are, and the
    /// refit float layers' weights in `refit/` (float32). An
    /// existing `folder` is replaced only when empty or a converted network.
    public func write(to folder: URL) throws {
        var files = try network.files()
        var entries: [ConversionManifest.LayerEntry] = []
        for layer in layers {
            let base = "pq/\(layer.name)"
            for (kind, pqLayer) in [("float", PQLayer.float(layer.float)), ("integer", PQLayer.integer(layer.integer))] {
                let (manifest, arrays) = try LayerFolder.contents(of: pqLayer)
                files.append(("\(base)/\(kind)/\(LayerFolder.manifestName)", try encodeJSON(manifest)))
                for (name, array) in arrays { files.append(("\(base)/\(kind)/\(name)", array.encoded())) }
            }
            entries.append(.init(name: layer.name, float: "\(base)/float", integer: "\(base)/integer",
                                 chainedFrom: layer.chainedFrom.map { network.layers[$0].name }))
        }
        let refitIndices = refitFloatLayers.keys.sorted()
        for index in refitIndices {
            guard let w = refitFloatLayers[index] else { continue }
            files += try Network.weightFiles(w, name: "refit/\(network.layers[index].name)")
        }
        let manifest = ConversionManifest(format: ConversionManifest.formatName, version: ConversionManifest.currentVersion,
                                          options: options, calibrationImages: calibrationImages, layers: entries,
                                          refitFloatLayers: refitIndices.isEmpty ? nil : refitIndices.map { network.layers[$0].name })
        files.append((ConversionManifest.fileName, try encodeJSON(manifest)))
        try writeFolder(folder, files: files) { existing in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: existing.path)) ?? ["?"]
            return names.isEmpty || names.contains(ConversionManifest.fileName)
        }
    }

    /// Reads a converted network folder written by ``write(to:)``.
    public static func read(from folder: URL) throws -> ConvertedNetwork {
        let url = folder.appendingPathComponent(ConversionManifest.fileName)
        let manifest = try decodeJSON(ConversionManifest.self, from: url,
                                      needed: "a converted network folder holds conversion.json (pqa network convert writes it)")
        guard manifest.format == ConversionManifest.formatName, manifest.version == ConversionManifest.currentVersion else {
            throw NetworkError.badDescription(file: url.path, field: "format", found: "\"\(manifest.format)\" version \(manifest.version)",
                                              fix: "convert the network again with this pqa (\(ConversionManifest.formatName) version \(ConversionManifest.currentVersion))")
        }
        do { try manifest.options.validate() } catch let error as PQError {
            throw NetworkError.badDescription(file: url.path, field: "options", found: error.description, fix: "convert the network again")
        }
        let network = try Network.read(from: folder)
        let indices = Dictionary(network.layers.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let layers = try manifest.layers.map { entry -> Layer in
            guard let index = indices[entry.name] else {
                throw NetworkError.badDescription(file: url.path, field: "layers.name", found: "\"\(entry.name)\", not a layer of network.json",
                                                  fix: "convert the network again")
            }
            guard case let .float(float) = try LayerFolder.read(from: folder.appendingPathComponent(entry.float)) else {
                throw NetworkError.badDescription(file: url.path, field: "layers.float", found: "\(entry.float) holds an integer layer", fix: "point it at the float layer folder")
            }
            guard case let .integer(integer) = try LayerFolder.read(from: folder.appendingPathComponent(entry.integer)) else {
                throw NetworkError.badDescription(file: url.path, field: "layers.integer", found: "\(entry.integer) holds a float layer", fix: "point it at the integer layer folder")
            }
            return Layer(index: index, name: entry.name, float: float, integer: integer, chainedFrom: entry.chainedFrom.flatMap { indices[$0] })
        }
        var refit: [Int: Network.Weighted] = [:]
        for name in manifest.refitFloatLayers ?? [] {
            guard let index = indices[name], let original = network.layers[index].weighted else {
                throw NetworkError.badDescription(file: url.path, field: "refitFloatLayers", found: "\"\(name)\", not a conv or linear layer of network.json",
                                                  fix: "convert the network again")
            }
            refit[index] = try Network.readWeights(like: original, layer: name, base: folder.appendingPathComponent("refit/\(name)").path)
        }
        return try ConvertedNetwork(network: network, options: manifest.options, calibrationImages: manifest.calibrationImages, layers: layers,
                                    refitFloatLayers: refit)
    }
}
