import Foundation
import Testing
@testable import PQ

@Suite struct NetworkConversionTests {
    typealias F = NetworkFixtures

    /// A quick conversion of the digits network (few images and iterations).
    static func converted(bits: [Int] = [4], refit: Double? = 1, encoder: EncoderKind = .distance) throws -> ConvertedNetwork {
        let network = try Network.read(from: F.digitsNetwork)
        let calibration = try LabeledImages.read(split: "calibration", from: F.digitsData).prefix(4).images
        return try ConvertedNetwork.convert(network, calibration: calibration,
                                            options: ConversionOptions(encoder: encoder, bits: bits, refitLambda: refit, iterations: 2))
    }

    @Test func integerOutputsOfOneLayerAreTheNextLayersInputs() throws {
        let converted = try Self.converted()
        let (conv2, conv3) = (converted.layers[0], converted.layers[1])
        #expect(conv3.chainedFrom == conv2.index && conv2.chainedFrom == nil)
        #expect(conv3.integer.scales?.input == [try #require(conv2.integer.scales?.output)])
        let formats = try #require(converted.formats)
        let unsigned4 = try IntegerFormat.unsigned(4)
        #expect(formats.activation == unsigned4 && formats.output == unsigned4)
        #expect(conv2.integer.formats == conv3.integer.formats)
        #expect(conv2.integer.requantization.relu && conv3.integer.requantization.relu)

        // The integer path by hand: quantize conv1's output, conv2, max pool,
        // conv3 on conv2's integers as they are, max pool, dequantize, fc.
        let network = converted.network
        let images = try LabeledImages.read(split: "test", from: F.digitsData).prefix(3).images
        var stages: [String: Activations<Int>] = [:]
        let logits = try converted.run(images, path: .integer) { layer, columns in
            let outputs = try layer.integer.outputs(columns: columns)
            stages[layer.name] = try network.layers[layer.index].weighted?.fold(outputs)
            return outputs
        }
        let conv2Out = try #require(stages["conv2"]), conv3Out = try #require(stages["conv3"])
        let pooled = conv2Out.maxPooled(size: 2, stride: 2)
        let conv3Columns = try #require(network.layers[5].weighted).columns(of: pooled)
        #expect(try conv3.integer.outputs(columns: conv3Columns) == Matrix(rows: conv3Columns.rows, columns: 32, values: conv3Out.foldedBack(32)))
        let features = conv3Out.maxPooled(size: 2, stride: 2).map { Double($0) * (conv3.integer.scales?.output ?? 0) }
        let fc = try #require(network.layers[9].weighted)
        let expected = try Matrix(rows: 3, columns: 128, values: features.values).multipliedTransposed(fc.weights)
        for r in 0..<3 {
            for c in 0..<10 { #expect(abs(logits[r, c] - expected[r, c] - fc.bias[c]) < 1e-9) }
        }
    }

    @Test func aConvertedFolderReadsBackEqual() throws {
        let converted = try Self.converted()
        let folder = try TestSupport.temporaryDirectory().appendingPathComponent("converted")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try converted.write(to: folder)
        #expect(try ConvertedNetwork.read(from: folder) == converted)
        guard case .integer(let layer) = try LayerFolder.read(from: folder.appendingPathComponent("pq/conv3/integer")) else {
            Issue.record("pq/conv3/integer is not an integer layer folder")
            return
        }
        #expect(layer == converted.layers[1].integer)
        // A folder that is not a converted network is never replaced.
        let other = folder.deletingLastPathComponent().appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: other.appendingPathComponent("notes.txt"))
        #expect(throws: NetworkError.self) { try converted.write(to: other) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path) == ["notes.txt"])
    }

    @Test func learningOnceForSeveralBitWidthsEqualsConvertingAtEach() throws {
        let network = try Network.read(from: F.digitsNetwork)
        let calibration = try LabeledImages.read(split: "calibration", from: F.digitsData).prefix(3).images
        let options = try ConversionOptions(bits: [8], iterations: 2)
        let both = try ConvertedNetwork.convert(network, calibration: calibration, options: options, bits: [[8], [3, 3, 5, 3]])
        var three = options
        three.bits = [3, 3, 5, 3]
        #expect(both[1] == (try ConvertedNetwork.convert(network, calibration: calibration, options: three)))
        #expect(both[0] == (try ConvertedNetwork.convert(network, calibration: calibration, options: options)))
    }

    @Test func outputsWiderThanActivationsAreRequantizedByTheHost() throws {
        let converted = try Self.converted(bits: [4, 4, 6, 8], refit: nil)
        #expect(converted.layers.allSatisfy { $0.chainedFrom == nil })
        let images = try LabeledImages.read(split: "test", from: F.digitsData).prefix(2).images
        #expect(try converted.predictions(images, path: .integer).count == 2)
    }

    /// The scale search keeps the calibrated scales unless a multiple
    /// lowers the integer network's loss, and keeps chained layers chained.
    @Test func theScaleSearchLowersTheIntegerLossAndKeepsTheChain() throws {
        let network = try Network.read(from: F.digitsNetwork)
        let images = try LabeledImages.read(split: "calibration", from: F.digitsData).prefix(8).images
        var options = try ConversionOptions(bits: [3], refitLambda: 1, floatRefitLambda: 1, iterations: 2)
        let calibrated = try ConvertedNetwork.convert(network, calibration: images, options: options)
        options.scaleSearch = true
        let searched = try ConvertedNetwork.convert(network, calibration: images, options: options)
        let teacher = try network.run(images).rowSoftmax()
        let (before, after) = (try calibrated.run(images, path: .integer).crossEntropy(against: teacher),
                               try searched.run(images, path: .integer).crossEntropy(against: teacher))
        #expect(after < before)
        #expect(searched.layers.map(\.integer.scales) != calibrated.layers.map(\.integer.scales))
        #expect(searched.layers[1].integer.scales?.input == [try #require(searched.layers[0].integer.scales?.output)])
        for (a, b) in zip(calibrated.layers, searched.layers) {
            let (old, new) = (try #require(a.integer.scales), try #require(b.integer.scales))
            #expect(old.table == new.table)
            #expect(ConvertedNetwork.scaleSearchFactors.contains { abs(new.output - $0 * old.output) <= 1e-12 * old.output })
        }
    }

    /// With a tree encoder every PQ layer has trees, float and integer, its
    /// codes the leaves they reach; the folder keeps trees and encoder.
    @Test func aTreeConversionHasTreesThatTheFolderKeeps() throws {
        let converted = try Self.converted(encoder: .tree)
        #expect(converted.options.encoder == .tree)
        let columns = try LabeledImages.read(split: "test", from: F.digitsData).prefix(2).images
        for layer in converted.layers {
            let (float, integer) = (try #require(layer.float.trees), try #require(layer.integer.trees))
            #expect(float.depth == 4 && integer.splits == float.splits && layer.integer.encoder == .tree)
        }
        let first = converted.layers[0], w = try #require(converted.network.layers[first.index].weighted)
        let input = try NetworkFineTuning.firstLayerInputs(converted.network, firstPQ: first.index, images: columns)
        let pqColumns = try w.columns(of: input)
        #expect(try first.float.encode(columns: pqColumns) == (try #require(first.float.trees)).encode(pqColumns))
        #expect(try first.float.encode(columns: pqColumns) != first.float.prototypes.encode(columns: pqColumns, metric: .l2))

        let folder = try TestSupport.temporaryDirectory().appendingPathComponent("converted")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try converted.write(to: folder)
        let read = try ConvertedNetwork.read(from: folder)
        #expect(read == converted && read.options.encoder == .tree)
        for kind in ["float", "integer"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("pq/conv3/\(kind)/thresholds.npy").path))
        }
    }

    /// `conversion.json` written before the encoder option existed reads as a distance encoder's.
    @Test func optionsWithoutAnEncoderAreADistanceEncoders() throws {
        let options = try ConversionOptions(np: 8, encoder: .tree, bits: [4], fineTuneShift: 1)
        let data = try JSONEncoder().encode(options)
        #expect(try JSONDecoder().decode(ConversionOptions.self, from: data) == options)
        var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object.removeValue(forKey: "encoder") as? String == "tree")
        var old = options
        old.encoder = .distance
        #expect(try JSONDecoder().decode(ConversionOptions.self, from: JSONSerialization.data(withJSONObject: object)) == old)
    }

    /// Layers whose encoder is not the options' make no converted network.
    @Test func layersOfAnotherEncoderAreRefused() throws {
        let tree = try Self.converted(encoder: .tree)
        var options = tree.options
        options.encoder = .distance
        #expect {
            try ConvertedNetwork(network: tree.network, options: options, calibrationImages: 4, layers: tree.layers)
        } throws: { "\($0)".contains("layer 'conv2': field 'encoder' is tree (float), tree (integer)") && "\($0)".contains("convert the network again") }
    }

    @Test func badOptionsAreNamed() {
        #expect { try ConversionOptions(bits: [4, 4]) } throws: { "\($0)".contains("bits") }
        #expect { try ConversionOptions(bits: [1]) } throws: { "\($0)".contains("bits.activation") }
        #expect { try ConversionOptions(refitLambda: 0) } throws: { "\($0)".contains("refit lambda") }
        #expect { try ConversionOptions(np: 12, encoder: .tree) } throws: { "\($0)".contains("Np is 12") && "\($0)".contains("power of two") }
    }
}

extension Activations where Scalar == Int {
    /// NCHW values of one image per conv output back into per-pixel rows `[pixels, channels]`.
    func foldedBack(_ channels: Int) -> [Int] {
        let pixels = shape.height * shape.width
        var rows: [Int] = []
        for n in 0..<count {
            for p in 0..<pixels {
                for c in 0..<channels { rows.append(values[(n * channels + c) * pixels + p]) }
            }
        }
        return rows
    }
}
