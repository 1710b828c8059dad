import Foundation
import HDLSim
import PQ
import PQA
@testable import PQAFlow
import Testing

/// The committed digits network, converted quickly (few calibration images
/// and k-means iterations: the accuracy is not the point here).
func quickDigitsConversion(bits: [Int] = [4], encoder: EncoderKind = .distance) throws -> (ConvertedNetwork, LabeledImages) {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let network = try Network.read(from: root.appendingPathComponent("reference/digits/cnn"))
    let data = root.appendingPathComponent("reference/digits")
    let calibration = try LabeledImages.read(split: "calibration", from: data).prefix(4).images
    let converted = try ConvertedNetwork.convert(network, calibration: calibration,
                                                 options: ConversionOptions(encoder: encoder, bits: bits, refitLambda: 1, iterations: 2))
    return (converted, try LabeledImages.read(split: "test", from: data))
}

@Suite struct NetworkEvaluationTests {
    /// Three test images through every PQ layer on the generated accelerator
    /// (Verilator), of either encoder: every output equals the golden model's.
    @Test(.enabled(if: ExternalTool.locate("verilator") != nil), arguments: EncoderKind.allCases)
    func theAcceleratorClassifiesLikeTheIntegerModel(encoder: EncoderKind) throws {
        let (converted, test) = try quickDigitsConversion(encoder: encoder)
        var progress: [Int] = []
        let (evaluation, run) = try NetworkEvaluator.evaluate(converted, data: test.prefix(3), engine: .verilator) { done, _ in progress.append(done) }
        #expect(evaluation.rtlMatchesInteger == true)
        #expect(evaluation.accuracy.rtl == evaluation.accuracy.integer)
        #expect(run?.layerRuns == 6 && run?.mismatchedLayerRuns == 0 && progress == [1, 2, 3])
        #expect(evaluation.images == 3 && evaluation.bits == [4, 4, 4, 4])
        // Loads overlap the runs: the three images take fewer cycles than
        // their programs and columns one after the other would.
        let configuration = try #require(run?.configuration)
        #expect(configuration.encoder == encoder)
        let model = CycleModel(try PQAParameters(configuration))
        let serial = converted.layers.reduce(0) { $0 + model.loadBeats($1.integer.shape) + model.cycles($1.integer.shape, columns: $1.columnsPerImage) }
        #expect((run?.cycles ?? .max) < 3 * serial)
    }

    @Test func theJSONHasExactlyTheDocumentedKeys() throws {
        let evaluation = NetworkEvaluation(accuracy: .init(float: 1, pqFloat: 0.5, integer: 0.25, rtl: nil), rtlMatchesInteger: nil,
                                           images: 4, bits: [4, 4, 4, 4])
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(evaluation)) as? [String: Any])
        #expect(Set(object.keys) == ["accuracy", "rtlMatchesInteger", "images", "bits"])
        #expect(object["rtlMatchesInteger"] is NSNull)
        let accuracy = try #require(object["accuracy"] as? [String: Any])
        #expect(Set(accuracy.keys) == ["float", "pqFloat", "integer", "rtl"] && accuracy["rtl"] is NSNull)
    }

    @Test func anAcceleratorTooSmallNamesTheLayer() throws {
        let (converted, _) = try quickDigitsConversion()
        var configuration = try NetworkAccelerator.configuration(for: converted)
        #expect(configuration.maxima == .init(ls: 9, np: 16, ns: 32, cout: 32, columns: 64))
        try NetworkAccelerator.check(converted, fits: configuration)
        configuration.maxima.ns = 16
        configuration.parallelism.nsVec = 1
        #expect { try NetworkAccelerator.check(converted, fits: configuration) } throws: {
            let text = "\($0)"
            return text.contains("layer 'conv3'") && text.contains("Ns is 32") && text.contains("D = 288") && text.contains("at most 16")
        }
    }

    /// A tree network's accelerator is a tree design deciding among all
    /// `Np` leaves at once; an accelerator of the other encoder is refused,
    /// naming the layer, the field and the fix.
    @Test func aTreeNetworkRunsOnATreeAcceleratorOnly() throws {
        let (tree, _) = try quickDigitsConversion(encoder: .tree)
        let configuration = try NetworkAccelerator.configuration(for: tree, parallelism: .init(lsVec: 3, npVec: 4, nsVec: 2, outVec: 8))
        #expect(configuration.encoder == .tree && configuration.maxima.np == 16)
        #expect(configuration.parallelism == .init(lsVec: 3, npVec: 16, nsVec: 2, outVec: 8))
        try NetworkAccelerator.check(tree, fits: configuration)
        let (distance, _) = try quickDigitsConversion()
        let distanceConfiguration = try NetworkAccelerator.configuration(for: distance)
        #expect(distanceConfiguration.encoder == .distance && distanceConfiguration.parallelism.npVec == 16)
        #expect { try NetworkAccelerator.check(tree, fits: distanceConfiguration) } throws: {
            let text = "\($0)"
            return text.contains("layer 'conv2': encoder is tree") && text.contains("the distance encoder only") && text.contains("--encoder distance")
        }
        #expect { try NetworkAccelerator.check(distance, fits: configuration) } throws: {
            let text = "\($0)"
            return text.contains("layer 'conv2': encoder is distance") && text.contains("--encoder tree")
        }
    }

    @Test func softwareAccuraciesNeedNoAccelerator() throws {
        let (converted, test) = try quickDigitsConversion(bits: [8])
        let (evaluation, run) = try NetworkEvaluator.evaluate(converted, data: test.prefix(20), engine: nil)
        #expect(run == nil && evaluation.accuracy.rtl == nil && evaluation.rtlMatchesInteger == nil)
        #expect(evaluation.accuracy.float == 1)  // the float network gets the first 20 test images right
    }
}
