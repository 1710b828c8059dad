import Foundation
import Testing
@testable import PQ

@Suite struct LayerFolderTests {
    func integerLayer() throws -> IntegerPQLayer {
        let x = TestSupport.gaussian(rows: 60, columns: 18, seed: 1)
        let g = try ConvGeometry(inChannels: 2, inHeight: 5, inWidth: 5, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1)
        let float = try FloatPQLayer.learn(
            weights: TestSupport.gaussian(rows: 3, columns: 18, seed: 2), activations: x,
            options: LearnOptions(ls: 4, np: 4, metric: .chebyshev, relu: true), conv: g)
        return try float.quantized(calibration: x, options: QuantizationOptions(
            activationBits: 6, prototypeBits: 6, entryBits: 9, outputBits: 8, signedOutput: false))
    }

    func floatLayer() throws -> FloatPQLayer {
        try FloatPQLayer.learn(
            weights: TestSupport.gaussian(rows: 2, columns: 5, seed: 3), bias: [0.125, -7],
            activations: TestSupport.gaussian(rows: 30, columns: 5, seed: 4), options: LearnOptions(ls: 2, np: 3, metric: .l1))
    }

    @Test func roundTripsBothKinds() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, layer) in [("int", PQLayer.integer(try integerLayer())), ("float", .float(try floatLayer()))] {
            let folder = dir.appendingPathComponent(name)
            try LayerFolder.write(layer, to: folder)
            #expect(try LayerFolder.read(from: folder) == layer)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(files == ["bias.npy", "layer.json", "prototypes.npy", "table.npy"])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["float", "int"])
        let json = try String(contentsOf: dir.appendingPathComponent("int/layer.json"), encoding: .utf8)
        #expect(json.contains("\"kind\" : \"integer\"") && json.contains("accumulator: s"))
        #expect(try NPYArray.read(from: dir.appendingPathComponent("int/prototypes.npy")).dtype == .int8)
        #expect(try NPYArray.read(from: dir.appendingPathComponent("int/table.npy")).dtype == .int16)
        #expect(try NPYArray.read(from: dir.appendingPathComponent("float/table.npy")).dtype == .float64)
    }

    @Test func roundTripsTreeEncoders() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = TestSupport.gaussian(rows: 50, columns: 7, seed: 5)
        let float = try FloatPQLayer.learn(weights: TestSupport.gaussian(rows: 2, columns: 7, seed: 6), activations: x,
                                           options: LearnOptions(ls: 4, np: 4, encoder: .tree))
        let integer = try float.quantized(calibration: x, options: QuantizationOptions(activationBits: 5, prototypeBits: 5, entryBits: 8,
                                                                                        outputBits: 8))
        for (name, layer) in [("int", PQLayer.integer(integer)), ("float", .float(float))] {
            let folder = dir.appendingPathComponent(name)
            try LayerFolder.write(layer, to: folder)
            #expect(try LayerFolder.read(from: folder) == layer)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(files == ["bias.npy", "layer.json", "prototypes.npy", "splits.npy", "table.npy", "thresholds.npy"])
            let json = try String(contentsOf: folder.appendingPathComponent("layer.json"), encoding: .utf8)
            #expect(json.contains("\"encoder\" : \"tree\""))
        }
        #expect(try NPYArray.read(from: dir.appendingPathComponent("int/thresholds.npy")).dtype == .int8)
        #expect(try NPYArray.read(from: dir.appendingPathComponent("int/splits.npy")).shape == [2, 2])
        // A distance layer's manifest names no encoder, as before trees existed.
        try LayerFolder.write(.float(try floatLayer()), to: dir.appendingPathComponent("distance"))
        #expect(!(try String(contentsOf: dir.appendingPathComponent("distance/layer.json"), encoding: .utf8)).contains("encoder"))
        // A tree layer without its thresholds is refused by file name.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("int/thresholds.npy"))
        let missing = #expect(throws: LayerFileError.self) { try LayerFolder.read(from: dir.appendingPathComponent("int")) }
        #expect(missing?.description.contains("thresholds.npy") == true)
    }

    @Test func replacesALayerFolderButNothingElse() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("layer")
        try LayerFolder.write(.float(try floatLayer()), to: folder)
        let replacement = PQLayer.integer(try integerLayer())
        try LayerFolder.write(replacement, to: folder)
        #expect(try LayerFolder.read(from: folder) == replacement)
        let other = dir.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: other.appendingPathComponent("notes.txt"))
        let refused = #expect(throws: LayerFileError.self) { try LayerFolder.write(replacement, to: other) }
        #expect(refused?.description.contains("not a layer folder") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path) == ["notes.txt"])
        #expect(throws: LayerFileError.self) { try LayerFolder.write(replacement, to: dir.appendingPathComponent("a/b/c")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["layer", "other"])
    }

    /// Writes a valid integer layer, applies `edit`, and returns the read error's message.
    func readError(_ edit: (URL) throws -> Void) throws -> String {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try LayerFolder.write(.integer(try integerLayer()), to: dir.appendingPathComponent("l"))
        let folder = dir.appendingPathComponent("l")
        try edit(folder)
        do {
            _ = try LayerFolder.read(from: folder)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func editJSON(_ folder: URL, _ change: (inout [String: Any]) -> Void) throws {
        let url = folder.appendingPathComponent("layer.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    @Test func malformedFoldersNameTheFileAndField() throws {
        #expect(try readError { try FileManager.default.removeItem(at: $0.appendingPathComponent("layer.json")) }
            .contains("layer.json: missing"))
        #expect(try readError { try FileManager.default.removeItem(at: $0.appendingPathComponent("table.npy")) }
            .contains("table.npy: missing"))
        #expect(try readError { try Data("{not json".utf8).write(to: $0.appendingPathComponent("layer.json")) }
            .contains("layer.json: field '(top level)'"))
        #expect(try readError { try editJSON($0) { $0["metric"] = "l3" } }.contains("field 'metric'"))
        #expect(try readError { try editJSON($0) { $0["format"] = "other" } }.contains("field 'format'"))
        #expect(try readError { try editJSON($0) { $0["version"] = 9 } }.contains("field 'version': 9"))
        #expect(try readError { try editJSON($0) { $0.removeValue(forKey: "integer") } }.contains("field 'integer'"))
        #expect(try readError { try editJSON($0) { $0.removeValue(forKey: "shape") } }.contains("field 'shape': missing"))
        let badBits = try readError { try editJSON($0) {
            var integer = $0["integer"] as? [String: Any] ?? [:]
            var formats = integer["formats"] as? [String: Any] ?? [:]
            formats["entry"] = ["bits": 40, "signed": true]
            integer["formats"] = formats
            $0["integer"] = integer
        } }
        #expect(badBits.contains("field 'integer.formats.entry.bits'"), "\(badBits)")
        let shape = try readError { try editJSON($0) {
            var s = $0["shape"] as? [String: Any] ?? [:]
            s["np"] = 5
            $0["shape"] = s
        } }
        #expect(shape.contains("prototypes.npy: shape [5, 4, 4] does not match layer.json, which implies [5, 5, 4]"), "\(shape)")
        let floats = try readError { try NPYArray(floats: Array(repeating: 0, count: 5 * 4 * 3), shape: [5, 4, 3]).write(to: $0.appendingPathComponent("table.npy")) }
        #expect(floats.contains("table.npy: expected integer values, found dtype float64"), "\(floats)")
        let range = try readError { try NPYArray(integers: [1 << 20, 0, 0], shape: [3], dtype: .int32).write(to: $0.appendingPathComponent("bias.npy")) }
        #expect(range.contains("bias.npy: bias[0] is 1048576"), "\(range)")
        let garbage = try readError { try Data("garbage".utf8).write(to: $0.appendingPathComponent("prototypes.npy")) }
        #expect(garbage.contains("prototypes.npy: bad magic"), "\(garbage)")
    }
}
