import Foundation
import PQA
@testable import PQAFlow
import Testing

@Suite struct ComparisonReportTests {
    /// The tiny comparison with every measurement stored: PQA fits the 85k,
    /// the baseline only at half its lanes, so both are timed at 1/2.
    static func rows(_ cache: MeasurementCache) throws -> (Comparison, [ComparisonRow]) {
        let comparison = try ComparisonTests.comparison(cache: cache)
        let placement = try #require(comparison.options.placement)
        let (pqa, baseline) = try ComparisonHardwareTests.designs()
        try ComparisonFixture.store(ComparisonFixture.synthesis([.lut: 1000, .flipFlop: 800, .blockRAM: 2]), at: cache.synthesisEntry(pqa.core(), target: .xilinx7).entry)
        try ComparisonFixture.store(ComparisonFixture.synthesis([.lut: 3000, .flipFlop: 1000, .dsp: 4]), at: cache.synthesisEntry(baseline.core(), target: .xilinx7).entry)
        let outcomes = [(pqa, ComparisonFixture.placed(fmax: 200, share: 0.5)), (try #require(try pqa.scaled(by: 2)), ComparisonFixture.placed(fmax: 190, share: 0.3)),
                        (baseline, PlaceAndRouteOutcome(report: nil, problem: .doesNotFit(device: "85k", resource: "TRELLIS_COMB", used: 150_000, available: 83_640))),
                        (try #require(try baseline.scaled(by: 2)), ComparisonFixture.placed(fmax: 150, share: 0.6))]
        for (hardware, outcome) in outcomes { try ComparisonFixture.store(outcome, at: cache.placeAndRouteEntry(hardware.core(), placement).entry) }
        return (comparison, try comparison.rows())
    }

    @Test func markdownStatesClocksScalesBothWeightingsTheirSourcesAndRawCounts() throws {
        let tools = try ComparisonFixture.tools()
        defer { try? FileManager.default.removeItem(at: tools.folder) }
        let (comparison, rows) = try Self.rows(MeasurementCache(directory: tools.folder.appendingPathComponent("cache"), yosys: tools.yosys, nextpnr: tools.nextpnr))
        let markdown = ComparisonReport.markdown(rows, comparison: comparison, command: "pqa compare --network tiny --points 1")
        let row = try #require(rows.first)
        for expected in [
            "Made by `pqa compare --network tiny --points 1` with Yosys 0.99 (git sha1 fixture) and nextpnr-0.99 (nextpnr-ecp5) on the Lattice ECP5 LFE5U-85F",
            "speed grade -6", "UG474", "UG479", "github.com/abdelfattah-lab/PQA", "M20K_CLBS = 4",
            "more than 80 % of its logic", "timed at 1/2 of its lanes, as the baseline design it is compared with",
            "| Ls 2 Np 4 8/8b | pqa_core | LsVec 2 NpVec 4 NsVec 4 OutVec 8 | 1000 | 800 | 0 | 0 | 2/0 | 0 | 1480 | 133 | 190.0 | 1/2: ",
            "| Ls 2 Np 4 8/8b | mac_array_core | InVec 6 OutVec 4, LUT multipliers | 3000 | 1000 | 0 | 0 | 0/0 | 4 | 3660 | 387 | 150.0 | 1/2: ",
            String(format: "Best ratio in LUT-eq: **%.2fx**", row.ratio(.lutEquivalents) ?? 0),
            String(format: "Best ratio in CLB: **%.2fx**", row.ratio(.pqaModelCLBs) ?? 0),
            "PQA LsVec 2 NpVec 4 NsVec 4 OutVec 8 at 190.0 MHz, baseline InVec 6 OutVec 4, LUT multipliers at 150.0 MHz",
            "the design itself: needs 150000 TRELLIS_COMB of the 85k's 83640",
        ] {
            #expect(markdown.contains(expected), "missing: \(expected)")
        }
        // The candidate table gives each design at its own clock, the kept ones in bold.
        #expect(markdown.contains("| **LsVec 2 NpVec 4 NsVec 4 OutVec 8** |") && markdown.contains("| 200.0 | itself (TRELLIS_COMB 50 %) |"))
        let text = ComparisonReport.text(rows, options: comparison.options)
        #expect(text.split(separator: "\n").count == 4 && text.contains("speed grade -6") && text.contains("ratio LUT-eq | ratio CLB"))
    }

    @Test func nominalReportsSayNoPlaceAndRouteRan() throws {
        let tools = try ComparisonFixture.tools()
        defer { try? FileManager.default.removeItem(at: tools.folder) }
        var options = try ComparisonTests.comparison(cache: MeasurementCache(directory: tools.folder)).options
        options.placement = nil
        let comparison = try Comparison(network: "tiny", workloads: ComparisonFixture.workloads(), options: options, cache: MeasurementCache(directory: tools.folder))
        let lines = ComparisonReport.method(comparison)
        #expect(lines.contains { $0.contains("every design at a nominal 100 MHz (no place and route)") })
        #expect(ComparisonReport.tools([], options).isEmpty)
    }
}
