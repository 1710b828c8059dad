import Foundation

extension Network {
    /// The description's file name in a network folder.
    public static let descriptionName = "network.json"

    /// Reads the network folder `folder`: `network.json` and the `.npy`
    /// arrays of its conv and linear layers.
    public static func read(from folder: URL) throws -> Network {
        let url = folder.appendingPathComponent(descriptionName)
        let description = try decodeJSON(NetworkDescription.self, from: url, needed: "a network folder holds network.json and its layers' .npy weights")
        return try Network(description, file: url.path) { name in
            let file = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file.path) else { return nil }
            return try NPYArray.read(from: file)
        }
    }

    /// The folder's files: `network.json` and each conv and linear layer's
    /// weights and bias in float32.
    func files() throws -> [(String, Data)] {
        var files = [(Network.descriptionName, try encodeJSON(source))]
        for layer in layers {
            guard let w = layer.weighted else { continue }
            files += try Network.weightFiles(w, name: layer.name)
        }
        return files
    }

    /// `NAME.weight.npy` (a conv's `[Cout, Cin, k, k]`, a linear layer's
    /// `[out, in]`) and `NAME.bias.npy` of `w`, in float32.
    static func weightFiles(_ w: Weighted, name: String) throws -> [(String, Data)] {
        let shape = w.conv.map { [w.weights.rows, $0.inChannels, $0.kernelHeight, $0.kernelWidth] } ?? [w.weights.rows, w.weights.columns]
        return [("\(name).weight.npy", try NPYArray(floats: w.weights.values, shape: shape, dtype: .float32).encoded()),
                ("\(name).bias.npy", try NPYArray(floats: w.bias, shape: [w.bias.count], dtype: .float32).encoded())]
    }

    /// Reads `BASE.weight.npy` and `BASE.bias.npy` as weights of the shape
    /// of `original` (the float layer `layer` they replace).
    static func readWeights(like original: Weighted, layer: String, base: String) throws -> Weighted {
        let shape = original.conv.map { [original.weights.rows, $0.inChannels, $0.kernelHeight, $0.kernelWidth] }
            ?? [original.weights.rows, original.weights.columns]
        var arrays: [[Double]] = []
        for (suffix, expected) in [("weight", shape), ("bias", [original.bias.count])] {
            let file = "\(base).\(suffix).npy"
            guard FileManager.default.fileExists(atPath: file) else {
                throw NetworkError.missingFile(file: file, needed: "conversion.json lists '\(layer)' as a refit float layer")
            }
            let array = try NPYArray.read(from: URL(fileURLWithPath: file))
            guard array.shape == expected else { throw NetworkError.wrongShape(layer: layer, file: file, expected: expected, found: array.shape) }
            let values = array.doubles
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw NetworkError.badData(file: file, reason: "value \(values[bad]) at flat index \(bad) of layer '\(layer)' is not finite; convert again")
            }
            arrays.append(values)
        }
        return Weighted(conv: original.conv, weights: Matrix(unchecked: original.weights.rows, original.weights.columns, arrays[0]),
                        bias: arrays[1], pq: false)
    }
}

/// Decodes a JSON file, naming the file and the field at fault.
func decodeJSON<T: Decodable>(_ type: T.Type, from url: URL, needed: String) throws -> T {
    guard FileManager.default.fileExists(atPath: url.path) else { throw NetworkError.missingFile(file: url.path, needed: needed) }
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw NetworkError.badDescription(file: url.path, field: "(file)", found: "unreadable: \(error.localizedDescription)", fix: "check its permissions")
    }
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
        let (path, reason) = LayerFolder.describe(error)
        throw NetworkError.badDescription(file: url.path, field: path, found: reason, fix: "correct that field")
    } catch {
        throw NetworkError.badDescription(file: url.path, field: "(document)", found: "not valid JSON", fix: "write valid JSON")
    }
}

/// Pretty, key-sorted JSON.
func encodeJSON<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// Writes a folder of files atomically: into a hidden temporary sibling that
/// is renamed into place, so `folder` never holds half an output. An
/// existing `folder` is replaced only when `replaceable` accepts it.
func writeFolder(_ folder: URL, files: [(String, Data)], replaceable: @escaping (URL) -> Bool) throws {
    let manager = FileManager.default
    let temporary = AtomicFile.temporarySibling(of: folder)
    do {
        try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
        for (name, data) in files {
            let url = temporary.appendingPathComponent(name)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        try AtomicFile.moveFolder(temporary, to: folder, replaceable: replaceable)
    } catch {
        try? manager.removeItem(at: temporary)
        if let failure = error as? AtomicFile.Failure { throw NetworkError.cannotWrite(path: folder.path, reason: failure.reason) }
        if error is NetworkError || error is NPYError || error is PQError { throw error }
        throw NetworkError.cannotWrite(path: folder.path, reason: error.localizedDescription)
    }
}
