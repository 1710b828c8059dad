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
            let shape = w.conv.map { [w.weights.rows, $0.inChannels, $0.kernelHeight, $0.kernelWidth] } ?? [w.weights.rows, w.weights.columns]
            files.append(("\(layer.name).weight.npy", try NPYArray(floats: w.weights.values, shape: shape, dtype: .float32).encoded()))
            files.append(("\(layer.name).bias.npy", try NPYArray(floats: w.bias, shape: [w.bias.count], dtype: .float32).encoded()))
        }
        return files
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
