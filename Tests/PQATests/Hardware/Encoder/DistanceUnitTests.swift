import HDL
import PQ
@testable import PQA
import Testing

/// One distance unit alone against the golden model's `DistanceMetric.distance`
/// over the lanes that exist: random activations and prototype values over
/// their whole ranges (extremes often), random lane masks, every metric.
@Suite(.serialized) struct DistanceUnitTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func partialsAreTheGoldenDistances(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let design = try PQAParameters(configuration)
        let lanes = configuration.parallelism.lsVec, formats = configuration.formats
        try checkStage(DistanceUnit(design: design), seed: seed, "distance unit, \(lanes) lanes, \(configuration.metric)") { probe in
            var expected: [Int] = []
            for cycle in 0..<40 {
                let column = (0..<lanes).map { _ in probe.value(formats.activation) }
                let prototype = (0..<lanes).map { _ in probe.value(formats.prototype) }
                let valid = (0..<lanes).map { lane in lane == 0 || probe.chance(0.8) }
                try probe.set("column", Lanes.pack(column, bits: formats.activation.bits))
                try probe.set("prototype", Lanes.pack(prototype, bits: formats.prototype.bits))
                for (lane, flag) in valid.enumerated() { try probe.set("lane_valid_\(lane)", flag) }
                let kept = valid.indices.filter { valid[$0] }
                expected.append(configuration.metric.distance(kept.map { column[$0] }[...], kept.map { prototype[$0] }[...]))
                if cycle >= DistanceUnit.latency(design) {
                    probe.check("partial", try probe.get("partial"), expected[cycle - DistanceUnit.latency(design)])
                }
                probe.step()
            }
        }
    }
}
