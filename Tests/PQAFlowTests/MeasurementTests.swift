import Foundation
import PQA
@testable import PQAFlow
import Testing

@Suite struct MeasurementTests {
    /// A stored measurement is found again only under the same Verilog,
    /// tool versions, device, speed grade, seed and target clock.
    @Test func cacheKeysChangeWithEverythingAMeasurementDependsOn() throws {
        let tools = try ComparisonFixture.tools(yosys: "0.98", nextpnr: "0.98")
        let newer = try ComparisonFixture.tools(yosys: "0.99", nextpnr: "0.99")
        defer { for folder in [tools.folder, newer.folder] { try? FileManager.default.removeItem(at: folder) } }
        let folder = tools.folder.appendingPathComponent("cache")
        let cache = MeasurementCache(directory: folder, yosys: tools.yosys, nextpnr: tools.nextpnr)
        let (design, other) = try ComparisonHardwareTests.designs()
        let core = try design.core()
        let options = PlaceAndRouteOptions(device: .ecp5_85k)
        let key = try cache.placeAndRouteEntry(core, options).entry
        #expect(key == (try cache.placeAndRouteEntry(try design.core(), options).entry))
        #expect(key.path.hasPrefix(folder.path + "/pnr/pqa_core_pins-"))
        var changed: [URL] = []
        for variant in [PlaceAndRouteOptions(device: .ecp5_45k), PlaceAndRouteOptions(device: .ecp5_85k, speedGrade: 8),
                        PlaceAndRouteOptions(device: .ecp5_85k, seed: 2), PlaceAndRouteOptions(device: .ecp5_85k, targetMHz: 200)] {
            changed.append(try cache.placeAndRouteEntry(core, variant).entry)
        }
        changed.append(try cache.placeAndRouteEntry(try other.core(), options).entry)
        changed.append(try MeasurementCache(directory: folder, yosys: newer.yosys, nextpnr: tools.nextpnr).placeAndRouteEntry(core, options).entry)
        changed.append(try MeasurementCache(directory: folder, yosys: tools.yosys, nextpnr: newer.nextpnr).placeAndRouteEntry(core, options).entry)
        #expect(Set(changed + [key]).count == changed.count + 1)
        // The utilization limit is judged on a stored outcome, not part of its key.
        #expect(try cache.placeAndRouteEntry(core, PlaceAndRouteOptions(device: .ecp5_85k, maxUtilization: 0.5)).entry == key)

        let synthesis = try cache.synthesisEntry(core, target: .xilinx7).entry
        #expect(synthesis.path.hasPrefix(folder.path + "/synthesis/pqa_core-"))
        #expect(Set([synthesis, try cache.synthesisEntry(core, target: .ecp5).entry, try cache.synthesisEntry(try other.core(), target: .xilinx7).entry,
                     try MeasurementCache(directory: folder, yosys: newer.yosys).synthesisEntry(core, target: .xilinx7).entry]).count == 4)
        // Stored, then read back without running anything.
        #expect(try cache.cachedSynthesis(core, target: .xilinx7) == nil)
        try ComparisonFixture.store(ComparisonFixture.synthesis([.lut: 42]), at: synthesis)
        #expect(try cache.cachedSynthesis(core, target: .xilinx7)?.resources[.lut] == 42)
        #expect(try cache.synthesis(core, target: .xilinx7).resources[.lut] == 42)
    }

    @Test func storedOutcomesAreJudgedAgainstTheLimitAskedFor() {
        let placed = ComparisonFixture.placed(fmax: 180, share: 0.9)
        // No limit, or a higher one: as stored.
        #expect(MeasurementCache.judge(placed, PlaceAndRouteOptions(device: .ecp5_85k))?.report?.fmaxMHz == 180)
        #expect(MeasurementCache.judge(placed, PlaceAndRouteOptions(device: .ecp5_85k, maxUtilization: 0.95))?.report != nil)
        // A lower limit holds the routed design back.
        guard case .exceedsUtilizationLimit(_, "TRELLIS_COMB", _, 83_640, 0.8)? = MeasurementCache.judge(placed, PlaceAndRouteOptions(device: .ecp5_85k, maxUtilization: 0.8))?.problem else {
            Issue.record("a 90 % design passed an 80 % limit")
            return
        }
        // Held back at 50 %: still held back at 60 %, to run again at 80 % or without a limit.
        let held = PlaceAndRouteOutcome(report: nil, problem: .exceedsUtilizationLimit(device: "85k", resource: "TRELLIS_COMB", used: 58_548, available: 83_640, limit: 0.5))
        #expect(MeasurementCache.judge(held, PlaceAndRouteOptions(device: .ecp5_85k, maxUtilization: 0.6))?.problem != nil)
        #expect(MeasurementCache.judge(held, PlaceAndRouteOptions(device: .ecp5_85k, maxUtilization: 0.8)) == nil)
        #expect(MeasurementCache.judge(held, PlaceAndRouteOptions(device: .ecp5_85k)) == nil)
    }

    /// The limit is on logic; block RAM and DSP blocks need only fit.
    @Test func blockRAMAndDSPsNeedOnlyFit() {
        let limit = 0.8
        #expect(PlaceAndRoute.utilizationProblem(["TRELLIS_COMB": [40_000, 83_640], "DP16KD": [200, 208], "MULT18X18D": [150, 156]],
                                                 device: .ecp5_85k, limit: limit) == nil)
        #expect(PlaceAndRoute.utilizationProblem(["TRELLIS_COMB": [90_000, 83_640], "DP16KD": [300, 208]], device: .ecp5_85k, limit: limit)
                == .doesNotFit(device: "85k", resource: "DP16KD", used: 300, available: 208))
        #expect(PlaceAndRoute.utilizationProblem(["TRELLIS_COMB": [70_000, 83_640], "TRELLIS_FF": [30_000, 83_640], "DP16KD": [200, 208]],
                                                 device: .ecp5_85k, limit: limit)
                == .exceedsUtilizationLimit(device: "85k", resource: "TRELLIS_COMB", used: 70_000, available: 83_640, limit: limit))
        // A design once held back by its block RAM is placed again.
        let held = PlaceAndRouteOutcome(report: nil, problem: .exceedsUtilizationLimit(device: "85k", resource: "DP16KD", used: 169, available: 208, limit: limit))
        #expect(MeasurementCache.judge(held, PlaceAndRouteOptions(device: .ecp5_85k, maxUtilization: limit)) == nil)
    }
}
