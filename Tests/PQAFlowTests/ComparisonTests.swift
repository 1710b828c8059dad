import Foundation
import PQ
import PQA
@testable import PQAFlow
import Testing

@Suite struct ComparisonTests {
    /// One PQA and one baseline candidate at point 1 of the tiny network, placed on the 85k.
    static func comparison(cache: MeasurementCache) throws -> Comparison {
        var options = ComparisonOptions()
        options.candidates = ComparisonCandidates(pqaNsVec: [4], pqaOutVec: [8], baselineInVec: [6], baselineOutVec: [4], baselineMultipliers: [.luts])
        options.points = [1]
        options.metric = .l1
        return try Comparison(network: "tiny", workloads: ComparisonFixture.workloads(), options: options, cache: cache)
    }

    /// The designs that do not fit are timed at a replica, and both kept
    /// designs of a point at the same scale, in two waves of jobs, each
    /// read back from the cache.
    @Test func bothDesignsAreTimedAtTheScaleTheLargerNeeds() throws {
        let tools = try ComparisonFixture.tools()
        defer { try? FileManager.default.removeItem(at: tools.folder) }
        let cache = MeasurementCache(directory: tools.folder.appendingPathComponent("cache"), yosys: tools.yosys, nextpnr: tools.nextpnr)
        let comparison = try Self.comparison(cache: cache)
        let placement = try #require(comparison.options.placement)
        #expect(placement.device == .ecp5_85k && placement.speedGrade == 6 && placement.maxUtilization == 0.8)
        let (pqa, baseline) = try ComparisonHardwareTests.designs()
        #expect(try comparison.designs() == [pqa, baseline])
        #expect(try comparison.pendingJobs() == [ComparisonJob(hardware: pqa, scale: 1), ComparisonJob(hardware: baseline, scale: 1)])

        // Wave 1: PQA fits at half the logic; the baseline needs 1.8x the device, so its 1/2 replica is timed.
        for (hardware, resources) in [(pqa, [Resource.lut: 1000, .flipFlop: 800]), (baseline, [.lut: 3000, .flipFlop: 1000, .dsp: 4])] {
            try ComparisonFixture.store(ComparisonFixture.synthesis(resources), at: cache.synthesisEntry(hardware.core(), target: .xilinx7).entry)
        }
        try ComparisonFixture.store(ComparisonFixture.placed(fmax: 200, share: 0.5), at: cache.placeAndRouteEntry(pqa.core(), placement).entry)
        let overfull = PlaceAndRouteOutcome(report: nil, problem: .doesNotFit(device: "85k", resource: "TRELLIS_COMB", used: 150_000, available: 83_640))
        try ComparisonFixture.store(overfull, at: cache.placeAndRouteEntry(baseline.core(), placement).entry)
        #expect(try comparison.pendingJobs() == [ComparisonJob(hardware: baseline, scale: 1)])
        let half = try #require(try baseline.scaled(by: 2))
        try ComparisonFixture.store(ComparisonFixture.placed(fmax: 150, share: 0.6), at: cache.placeAndRouteEntry(half.core(), placement).entry)

        // Wave 2: PQA again at 1/2 of its lanes, like the baseline.
        let second = try comparison.pendingJobs()
        #expect(second == [ComparisonJob(hardware: pqa, scale: 2)])
        #expect(try second.first?.id == (try pqa.id) + "@2")
        #expect(try comparison.job(try pqa.id + "@2") == ComparisonJob(hardware: pqa, scale: 2))
        #expect { try comparison.job("0123456789ab") } throws: { "\($0)".contains("job") && "\($0)".contains("0123456789ab") }
        #expect { try comparison.rows() } throws: { "\($0)".contains("measured first") }
        let pqaHalf = try #require(try pqa.scaled(by: 2))
        try ComparisonFixture.store(ComparisonFixture.placed(fmax: 190, share: 0.3), at: cache.placeAndRouteEntry(pqaHalf.core(), placement).entry)
        #expect(try comparison.pendingJobs().isEmpty)

        let row = try #require(try comparison.rows().first)
        #expect(row.pqa.clock?.mhz == 190 && row.pqa.clock?.scale == 2 && row.pqa.clock?.reason?.contains("1/2") == true)
        #expect(row.baseline.clock?.mhz == 150 && row.baseline.clock?.scale == 2 && row.baseline.clock?.reason?.contains("needs 150000") == true)
        // Each candidate also keeps the clock of its own smallest replica that fits.
        #expect(row.candidates.map { $0.clock?.mhz } == [200, 150])
        // inferences/s per area = MHz x 1e6 / cycles / (area / 1000); the ratio is PQA's over the baseline's.
        for weighting in AreaWeighting.allCases {
            let expected = (190 / Double(row.pqa.cycles) / row.pqa.area(weighting)) / (150 / Double(row.baseline.cycles) / row.baseline.area(weighting))
            #expect(abs((row.ratio(weighting) ?? 0) - expected) < 1e-9 * expected)
        }
        #expect(row.pqa.area(.lutEquivalents) == 1400 && row.baseline.area(.lutEquivalents) == 3660)
        #expect(row.pqa.area(.pqaModelCLBs) == 125 && row.baseline.area(.pqaModelCLBs) == 375 + 12)
    }

    @Test func pointsOutsideTheNetworkAndUnknownNetworksNameTheChoices() throws {
        let cache = MeasurementCache(directory: URL(fileURLWithPath: "/nonexistent"))
        #expect { try Comparison(network: "vgg", workloads: ComparisonFixture.workloads(), options: .init(), cache: cache) }
            throws: { "\($0)".contains("tiny") }
        var options = ComparisonOptions()
        options.points = [3]
        #expect { try Comparison(network: "tiny", workloads: ComparisonFixture.workloads(), options: options, cache: cache) }
            throws: { "\($0)".contains("points") && "\($0)".contains("1...2") }
        options.points = nil
        options.candidates.pqaOutVec = []
        #expect { try Comparison(network: "tiny", workloads: ComparisonFixture.workloads(), options: options, cache: cache) }
            throws: { "\($0)".contains("pqaOutVec") }
    }

    @Test func thePaperSweepHoldsTheReleasedModelsBestPoints() throws {
        let sweep = ComparisonCandidates.paperSweep
        #expect(sweep.pqaOutVec == [16, 32, 64] && sweep.pqaNsVec.max() == 16 && sweep.pqaNsVec.contains(16))
        let workloads = try Workloads.read(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reference/workloads.json"))
        for (network, number, best) in [("resnet20", 5, PQAConfiguration.Parallelism(lsVec: 9, npVec: 8, nsVec: 16, outVec: 32)),
                                        ("emnist", 3, PQAConfiguration.Parallelism(lsVec: 8, npVec: 8, nsVec: 16, outVec: 32))] {
            let point = try ComparisonPoint.all(of: network, in: workloads)[number - 1]
            let parallelisms = try sweep.pqa(point, metric: .l2).compactMap { hardware -> PQAConfiguration.Parallelism? in
                if case .pqa(let c) = hardware { c.parallelism } else { nil }
            }
            #expect(parallelisms.contains(best), "\(network) point \(number)")
        }
    }

    /// The whole path on real Yosys, at the nominal clock (no place and route): a tiny design each.
    @Test(.enabled(if: yosysAvailable()))
    func measuresAndRanksAtTheNominalClock() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-compare-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = ComparisonOptions()
        options.target = .ice40
        options.placement = nil
        options.points = [2]
        options.candidates = ComparisonCandidates(pqaNsVec: [1], pqaOutVec: [4], baselineInVec: [3], baselineOutVec: [4], baselineMultipliers: [.luts])
        let comparison = try Comparison(network: "tiny", workloads: ComparisonFixture.workloads(), options: options, cache: MeasurementCache(directory: directory))
        let rows = try comparison.runAll(jobs: 2)
        #expect(try comparison.pendingJobs().isEmpty)
        let row = try #require(rows.first)
        #expect(rows.count == 1 && row.point == "Ls 3 Np 4 4/5b")
        #expect(row.pqa.design == "pqa_core" && row.baseline.design == "mac_array_core")
        #expect(row.pqa.clock?.mhz == 100 && row.baseline.clock?.mhz == 100 && row.pqa.clock?.placeAndRoute == nil)
        #expect((row.pqa.resources[.lut] ?? 0) > 0 && (row.ratio(.lutEquivalents) ?? 0) > 0 && (row.ratio(.pqaModelCLBs) ?? 0) > 0)
        // The whole network: 16 columns of D = 24, three inputs a cycle.
        #expect(row.baseline.computeCycles == 16 * 8 * 4)
    }
}
