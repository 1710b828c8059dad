import Foundation
import Testing
@testable import PQ

@Suite struct NetworkFormatTests {
    typealias F = NetworkFixtures

    @Test func theDigitsNetworkReadsWithItsDefaultPQLayers() throws {
        let network = try Network.read(from: F.digitsNetwork)
        #expect(network.layers.map(\.name) == ["conv1", "relu1", "conv2", "relu2", "pool2", "conv3", "relu3", "pool3", "flatten", "fc"])
        #expect(network.pqLayerIndices.map { network.layers[$0].name } == ["conv2", "conv3"])
        #expect(network.layers[5].inputShape == TensorShape(channels: 32, height: 4, width: 4))
        #expect(network.outputCount == 10)
        #expect(network.chainedSource(of: 5) == 2)
        #expect(network.chainedSource(of: 2) == nil)
        #expect(network.isNonNegative(outputOf: 4) && network.hasFusedReLU(2))
    }

    /// The Swift forward pass matches JAX's: the training script printed
    /// 355 of 360 test images right.
    @Test func floatAccuracyOnTheTestSetIsTheTrainingScripts() throws {
        let network = try Network.read(from: F.digitsNetwork)
        let test = try LabeledImages.read(split: "test", from: F.digitsData)
        #expect(test.count == 360)
        let correct = zip(try network.predictions(test.images), test.labels).filter { $0 == $1 }.count
        #expect(correct == 355)
    }

    @Test func badInputNamesTheLayerAndTheField() throws {
        let input = TensorShape(channels: 1, height: 4, width: 4)
        let conv = try F.weights([2, 1, 3, 3], seed: 1)
        func failure(_ layers: [NetworkDescription.Layer], _ arrays: [String: NPYArray]) -> String {
            do {
                _ = try F.network(input: input, layers: layers, arrays: arrays)
                return "no error"
            } catch { return "\(error)" }
        }
        let missing = failure([F.layer("c", .conv, outChannels: 2, kernel: 3)], [:])
        #expect(missing.contains("c.weight.npy") && missing.contains("layer 'c'"))
        let shape = failure([F.layer("c", .conv, outChannels: 3, kernel: 3)], ["c.weight.npy": conv])
        #expect(shape.contains("layer 'c'") && shape.contains("[3, 1, 3, 3]") && shape.contains("[2, 1, 3, 3]"))
        var unknown = F.layer("s", .relu)
        unknown.kind = "softmax"
        #expect(failure([unknown], [:]).contains("layer 's': kind \"softmax\" is not supported"))
        let linear = failure([F.layer("fc", .linear, outFeatures: 2)], [:])
        #expect(linear.contains("layer 'fc'") && linear.contains("add a flatten layer"))
        let add = failure([F.layer("a", .add, from: "later"), F.layer("later", .relu)], [:])
        #expect(add.contains("layer 'a': field 'from'") && add.contains("\"later\""))
        let kernel = failure([F.layer("c", .conv, outChannels: 2, kernel: 9)], ["c.weight.npy": conv])
        #expect(kernel.contains("layer 'c': field 'kernel' is 9"))
        let pool = failure([F.layer("p", .maxpool)], [:])
        #expect(pool.contains("layer 'p': field 'size' is missing"))
    }

    @Test func malformedJSONNamesTheFileAndField() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{\"format\": \"pqa-network\", \"version\": 1, \"layers\": []}".utf8).write(to: folder.appendingPathComponent("network.json"))
        #expect { try Network.read(from: folder) } throws: { "\($0)".contains("network.json") && "\($0)".contains("input") }
        try Data("{not json".utf8).write(to: folder.appendingPathComponent("network.json"))
        #expect { try Network.read(from: folder) } throws: { "\($0)".contains("not valid JSON") }
        #expect { try Network.read(from: folder.appendingPathComponent("absent")) } throws: { "\($0)".contains("missing") }
    }

    @Test func poolingAndResidualAdditionFollowTheirDefinitions() throws {
        let input = TensorShape(channels: 1, height: 4, width: 4)
        let network = try F.network(input: input, layers: [
            F.layer("relu", .relu), F.layer("max", .maxpool, size: 2), F.layer("avg", .avgpool, size: 2),
            F.layer("flat", .flatten), F.layer("res", .add, from: "avg"),
        ], arrays: [:])
        let images = try Activations(count: 1, shape: input, values: [1, -2, 3, 4, 5, 6, -7, 8, 9, 10, 11, 12, 13, 14, 15, -16].map(Double.init))
        // ReLU, 2x2 max: [6, 8, 14, 15]; 2x2 mean: 10.75; added to itself: 21.5.
        #expect(try network.run(images).values == [21.5])
        let integer = try Activations(count: 1, shape: TensorShape(channels: 1, height: 2, width: 2), values: [1, 2, 2, -7])
        #expect(integer.averagePooled(size: 2, stride: 2).values == [0])  // -2 / 4 = -0.5 rounds half up to 0
        #expect(integer.map { $0 + 1 }.averagePooled(size: 2, stride: 2).values == [1])  // 2 / 4 = 0.5 rounds up to 1
    }
}
