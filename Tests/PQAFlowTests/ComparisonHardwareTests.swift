import Foundation
import PQA
@testable import PQAFlow
import Testing

@Suite struct ComparisonHardwareTests {
    /// The tiny network's point 1 (Ls 2, Np 4): 12 subspaces, 16 output
    /// channels, D 24.
    static func designs() throws -> (pqa: ComparisonHardware, baseline: ComparisonHardware) {
        let point = try ComparisonFixture.point(1)
        let pqa = try Comparison.pqaConfiguration(point.layers, parallelism: .init(lsVec: 2, npVec: 4, nsVec: 4, outVec: 8), bits: point.bits, metric: .l1)
        let baseline = try Comparison.baselineConfiguration(point.layers, parallelism: .init(inVec: 6, outVec: 4), bits: point.bits, multipliers: .luts)
        return (.pqa(pqa), .baseline(baseline))
    }

    @Test func pqaGivesUpSubspaceLanesThenOutputLanesWithTheirShareOfTheLayer() throws {
        guard case .pqa(let full) = try Self.designs().pqa else { Issue.record("not PQA"); return }
        #expect(full.maxima.ns == 12 && full.maxima.cout == 16)
        #expect(try Self.designs().pqa.scaled(by: 1) == .pqa(full))
        guard case .pqa(let half)? = try Self.designs().pqa.scaled(by: 2) else { Issue.record("no half replica"); return }
        #expect(half.parallelism.nsVec == 2 && half.parallelism.outVec == 8 && half.maxima.ns == 6 && half.maxima.cout == 16)
        // 8 = 4 (NsVec 4 -> 1) x 2 (OutVec 8 -> 4); every lane keeps its widths and depth of groups.
        guard case .pqa(let eighth)? = try Self.designs().pqa.scaled(by: 8) else { Issue.record("no eighth replica"); return }
        #expect(eighth.parallelism == .init(lsVec: 2, npVec: 4, nsVec: 1, outVec: 4))
        #expect(eighth.maxima.ns == 3 && eighth.maxima.cout == 8 && eighth.formats == full.formats && eighth.maxima.np == full.maxima.np)
        #expect(try Self.designs().pqa.scaled(by: 64) == nil)
        #expect(try Self.designs().pqa.scaled(by: 3) == nil)
    }

    @Test func baselineGivesUpOutputLanesThenInputLanes() throws {
        guard case .baseline(let eighth)? = try Self.designs().baseline.scaled(by: 8) else { Issue.record("no eighth replica"); return }
        // OutVec 4 -> 1 (Cout 16 -> 4), then InVec 6 -> 3 (D 24 -> 12).
        #expect(eighth.parallelism.outVec == 1 && eighth.maxima.cout == 4 && eighth.parallelism.inVec == 3 && eighth.maxima.d == 12)
        #expect(try Self.designs().baseline.scaled(by: 16) == nil)
    }

    @Test func namesAndIDsAreStableAndDistinct() throws {
        let (pqa, baseline) = try Self.designs()
        #expect(pqa.parallelism == "LsVec 2 NpVec 4 NsVec 4 OutVec 8" && pqa.moduleName == "pqa_core")
        #expect(baseline.parallelism == "InVec 6 OutVec 4, LUT multipliers" && baseline.moduleName == "mac_array_core")
        #expect(try pqa.id == (try Self.designs().pqa.id) && (try pqa.id) != (try baseline.id) && (try pqa.id.count) == 12)
        #expect(try pqa.id != (try pqa.scaled(by: 2)?.id))
    }
}
