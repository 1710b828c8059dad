import HDL
import PQ
@testable import PQA
import Testing

/// The tree encoder alone (its subspace encoders inside) against the golden
/// model's trees (see `checkEncoderStage`): random tree configurations of 1
/// to 4 levels, the second bank's layer often with fewer levels than the
/// hardware, groups back to back or apart.
@Suite(.serialized) struct TreeEncoderTests {
    @Test(arguments: Array(1...10) as [UInt64])
    func codesMatchTheGoldenTrees(seed: UInt64) throws {
        let design = try PQAParameters(try randomTreeConfiguration(seed: seed))
        try checkEncoderStage(TreeEncoder(design: design), latency: TreeEncoder.latency(design), design: design, seed: seed)
    }

    /// A tree word holds, per level, the split's lane and chunk, then the
    /// thresholds level by level; levels and nodes the layer lacks are zero.
    @Test func treeWordsPackSplitsThenThresholds() throws {
        var configuration = try randomTreeConfiguration(seed: 1)
        configuration.maxima = .init(ls: 5, np: 8, ns: 1, cout: 2, columns: 1)
        configuration.parallelism = .init(lsVec: 2, npVec: 8, nsVec: 1, outVec: 1)
        configuration.formats.activation = try .signed(4)
        let design = try PQAParameters(configuration)
        #expect(design.treeLevels == 3 && design.treeLaneBits == 1 && design.treeChunkBits == 2)
        #expect(design.treeWordBits == 3 * 3 + 7 * 4)
        // A layer of depth 2 (Np 4): elements 3 and 4, thresholds -1, 2, -8.
        let trees = try EncodingTrees(ns: 1, ls: 5, depth: 2, splits: [3, 4], thresholds: [-1, 2, -8])
        let word = LayerProgram.treeWord(trees, subspace: 0, design)
        // Level 0: element 3 = lane 1 of chunk 1; level 1: element 4 = lane 0 of chunk 2; level 2: none.
        let expected = [(1, 1), (1, 2), (0, 1), (2, 2), (0, 1), (0, 2)] + [(-1, 4), (2, 4), (-8, 4)] + Array(repeating: (0, 4), count: 4)
        var low = 0
        for (value, bits) in expected {
            #expect(word.slice(high: low + bits - 1, low: low) == BitVector(width: bits, truncating: value), "bits \(low)...\(low + bits - 1)")
            low += bits
        }
    }
}
