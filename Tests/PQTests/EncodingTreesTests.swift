import Foundation
import Testing
@testable import PQ

@Suite struct EncodingTreesTests {
    /// Two subspaces of Ls 3, depth 2: subspace 0 compares element 2 then 0,
    /// subspace 1 element 1 then 1.
    func handBuilt() throws -> EncodingTrees<Int> {
        try EncodingTrees(ns: 2, ls: 3, depth: 2, splits: [2, 0, 1, 1], thresholds: [10, -5, 5, 0, -3, 3])
    }

    @Test func aValueAtTheThresholdGoesRight() throws {
        let trees = try handBuilt()
        #expect(trees.np == 4)
        #expect(trees.threshold(subspace: 0, level: 1, node: 1) == 5 && trees.split(subspace: 1, level: 0) == 1)
        let columns = Matrix(unchecked: 5, 6, [
            -6, 0, 9, 0, 0, 0,  // 9 < 10: left; -6 < -5: node 0         | 0 >= 0: right; 0 < 3: node 2
            -5, 0, 10, 0, -3, 0,  // 10 >= 10: right; -5 < 5: node 2    | -3 < 0: left; -3 >= -3: node 1
            5, 0, 10, 0, 3, 0,  // right; 5 >= 5: node 3                | 3 >= 0: right; 3 >= 3: node 3
            -5, 0, -100, 0, -4, 0,  // left; -5 >= -5: node 1           | left; -4 < -3: node 0
            7, 7, 7, 7, 7, 7,  // left; 7 >= -5: node 1                 | right; 7 >= 3: node 3
        ])
        #expect(trees.encode(columns).values == [0, 2, 2, 1, 3, 3, 1, 0, 1, 3])
    }

    @Test func elementsPastAShortColumnReadAsZero() throws {
        // Width 5: subspace 1's element 2 (index 5) is missing and reads as 0.
        let short = Matrix(unchecked: 1, 5, [0, 0, 0, 0, 0])
        #expect(try EncodingTrees(ns: 2, ls: 3, depth: 1, splits: [0, 2], thresholds: [0, 0]).encode(short).values == [1, 1])
        #expect(try EncodingTrees(ns: 2, ls: 3, depth: 1, splits: [0, 2], thresholds: [0, 1]).encode(short).values == [1, 0])
        let layer = try TestSupport.treeLayer(inputLength: 5)
        let padded = try layer.encode(column: [1, 2, 3, 4, 5, 0])
        #expect(try layer.encode(column: [1, 2, 3, 4, 5]) == padded)
    }

    @Test func badTreesAreRejectedByName() throws {
        let size = #expect(throws: PQError.self) { try EncodingTrees<Int>(ns: 2, ls: 3, depth: 2, splits: [0, 0, 0], thresholds: [0, 0, 0, 0, 0, 0]) }
        #expect(size?.description.contains("splits") == true)
        let split = #expect(throws: PQError.self) { try EncodingTrees<Int>(ns: 1, ls: 3, depth: 1, splits: [3], thresholds: [0]) }
        #expect(split?.description.contains("splits[0][0]") == true && split?.description.contains("0...2") == true)
        let nodes = #expect(throws: PQError.self) { try EncodingTrees<Int>(ns: 1, ls: 3, depth: 2, splits: [0, 1], thresholds: [0, 0]) }
        #expect(nodes?.description.contains("(Ns, Np - 1)") == true)
    }

    @Test func anIntegerTreeLayerChecksItsEncoderAndThresholds() throws {
        let layer = try TestSupport.treeLayer()
        let c = layer.configuration
        let missing = #expect(throws: PQError.self) {
            try IntegerPQLayer(configuration: c, prototypes: layer.prototypes, table: layer.table, bias: layer.bias,
                               requantization: layer.requantization)
        }
        #expect(missing?.description.contains("trees") == true)
        var distance = c
        distance.encoder = .distance
        #expect(throws: PQError.self) {
            try IntegerPQLayer(configuration: distance, prototypes: layer.prototypes, table: layer.table, bias: layer.bias,
                               requantization: layer.requantization, trees: layer.trees)
        }
        let trees = try #require(layer.trees)
        let wide = try EncodingTrees(ns: trees.ns, ls: trees.ls, depth: trees.depth, splits: trees.splits,
                                     thresholds: [c.formats.activation.maxValue + 1] + trees.thresholds.dropFirst())
        let format = #expect(throws: PQError.self) {
            try IntegerPQLayer(configuration: c, prototypes: layer.prototypes, table: layer.table, bias: layer.bias,
                               requantization: layer.requantization, trees: wide)
        }
        #expect(format?.description.contains("thresholds[0][0]") == true)
        var three = c
        three.shape.np = 3
        #expect(throws: PQError.self) { try three.validate() }
    }

    @Test func learnsTheSplitThatSeparatesClusters() throws {
        // Element 1 of the subvector separates two clusters; within each,
        // element 0 separates two more.
        var generator = SeededGenerator(seed: 5)
        var values: [Double] = []
        let centres: [[Double]] = [[-10, -5], [10, -5], [-10, 5], [10, 5]]
        for row in 0..<200 {
            let centre = centres[row % 4]
            values += centre.map { $0 + 0.5 * generator.nextGaussian() }
        }
        let points = Matrix(unchecked: 200, 2, values)
        let tree = EncodingTrees.learnTree(points: points, depth: 2)
        #expect(tree.splits == [0, 1] || tree.splits == [1, 0])
        let trees = try EncodingTrees(ns: 1, ls: 2, depth: 2, splits: tree.splits, thresholds: tree.thresholds)
        let codes = trees.encode(points).values
        // Every cluster lands in one leaf of its own, whose centre is its mean.
        for cluster in 0..<4 {
            let leaves = Set((0..<200).filter { $0 % 4 == cluster }.map { codes[$0] })
            #expect(leaves.count == 1)
            let leaf = try #require(leaves.first)
            #expect(abs(tree.centres[leaf * 2] - centres[cluster][0]) < 0.3 && abs(tree.centres[leaf * 2 + 1] - centres[cluster][1]) < 0.3)
        }
    }

    @Test func aBucketWithNothingToSplitSendsEverythingRight() throws {
        let points = Matrix<Double>(unchecked: 4, 1, [3, 3, 3, 3])
        let tree = EncodingTrees.learnTree(points: points, depth: 2)
        #expect(tree.thresholds[0] == 3)
        // Leaves no point reaches take their parent's centre.
        #expect(tree.centres == [3, 3, 3, 3])
        let empty = EncodingTrees.learnTree(points: Matrix<Double>(unchecked: 0, 2, []), depth: 1)
        #expect(empty.centres == [0, 0, 0, 0])
    }

    @Test func aLearnedTreeLayerEncodesWithItsTreesAndRefits() throws {
        let x = TestSupport.gaussian(rows: 300, columns: 12, seed: 11)
        let w = TestSupport.gaussian(rows: 4, columns: 12, seed: 12)
        let options = LearnOptions(ls: 4, np: 8, encoder: .tree, refitLambda: 0.1)
        let layer = try FloatPQLayer.learn(weights: w, activations: x, options: options)
        let trees = try #require(layer.trees)
        #expect(layer.encoder == .tree && trees.depth == 3 && trees.ns == 3)
        #expect(try layer.encode(columns: x) == trees.encode(x))
        // The tree's buckets beat a single bucket: its outputs track the exact ones.
        let exact = try x.multipliedTransposed(w), approximate = try layer.outputs(columns: x)
        let error = zip(exact.values, approximate.values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let energy = exact.values.reduce(0) { $0 + $1 * $1 }
        #expect(error < 0.8 * energy)
        #expect(throws: PQError.self) { try FloatPQLayer.learn(weights: w, activations: x, options: LearnOptions(ls: 4, np: 6, encoder: .tree)) }
    }

    @Test func quantizedThresholdsKeepTheOrderOfQuantizedInputs() throws {
        let x = TestSupport.gaussian(rows: 200, columns: 8, seed: 21)
        let w = TestSupport.gaussian(rows: 3, columns: 8, seed: 22)
        let float = try FloatPQLayer.learn(weights: w, activations: x, options: LearnOptions(ls: 4, np: 4, encoder: .tree))
        for perSubspace in [false, true] {
            var options = try QuantizationOptions(activationBits: 6, prototypeBits: 6, entryBits: 8, outputBits: 8)
            options.perSubspaceInputScales = perSubspace
            let integer = try float.quantized(calibration: x, options: options)
            #expect(integer.encoder == .tree && integer.configuration.encoder == .tree)
            let inputs = try integer.quantizeInputs(x)
            // Thresholds round up: a value on the grid keeps its side; a rounded one may cross near a threshold.
            let floatCodes = try float.encode(columns: x).values, integerCodes = try integer.encode(columns: inputs).values
            let agreeing = zip(floatCodes, integerCodes).filter { $0 == $1 }.count
            #expect(Double(agreeing) >= 0.9 * Double(floatCodes.count))
            #expect(try integer.trace(column: inputs.row(0).map { $0 }).distances.isEmpty)
        }
    }
}

extension TestSupport {
    /// A small valid integer layer with a tree encoder (Ls 3, Np 4, Ns 2),
    /// random thresholds and splits within its formats.
    static func treeLayer(inputLength: Int? = nil, bits: Int = 8, seed: UInt64 = 9) throws -> IntegerPQLayer {
        let base = try integerLayer(ls: 3, np: 4, ns: 2, cout: 3, inputLength: inputLength, bits: bits, seed: seed)
        var configuration = base.configuration
        configuration.encoder = .tree
        let f = configuration.formats.activation
        let trees = try EncodingTrees(ns: 2, ls: 3, depth: 2, splits: integers(4, in: 0...2, seed: seed + 3),
                                      thresholds: integers(6, in: f.minValue...f.maxValue, seed: seed + 4))
        return try IntegerPQLayer(configuration: configuration, prototypes: base.prototypes, table: base.table, bias: base.bias,
                                  requantization: base.requantization, trees: trees)
    }
}
