import HDL
import PQ
@testable import PQA
import Testing

/// The encoder alone (its subspace encoders and distance units inside)
/// against the golden model's `encode(column:)`: prototypes written through
/// its write port as `LayerProgram` packs them (one layer per bank, often
/// with repeated prototype values so that distances tie), operations issued
/// as the slot sequencer issues them, the column words arriving
/// `InputBuffer.readLatency` cycles later, random idle cycles between groups.
@Suite(.serialized) struct DistanceEncoderTests {
    @Test(arguments: Array(1...10) as [UInt64])
    func codesMatchTheGoldenEncoder(seed: UInt64) throws {
        try checkEncoder(try randomConfiguration(seed: seed), seed: seed)
    }

    /// Prototypes in block RAM: the distance units register their inputs.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func codesMatchWithPrototypesInBlockRAM(seed: UInt64) throws {
        let configuration = try blockRAMConfiguration(seed: seed)
        #expect(try PQAParameters(configuration).prototypesInBlockRAM)
        try checkEncoder(configuration, seed: seed)
    }

    private func checkEncoder(_ configuration: PQAConfiguration, seed: UInt64) throws {
        let design = try PQAParameters(configuration)
        try checkEncoderStage(DistanceEncoder(design: design, fixed: nil), latency: DistanceEncoder.latency(design), design: design, seed: seed)
    }
}
