import Foundation
import PQ
import PQA
@testable import PQAFlow
import Testing

/// The comparison on a tiny network, synthesized for iCE40 (fast).
@Suite struct ComparisonTests {
    static let workloads = """
        {"networks": {"tiny": [{"in_channels": 6, "in_height": 4, "in_width": 4, "out_channels": 8, "kernel": 1, "stride": 1,
                                "padding": 0, "Np": 4, "Ls": 2}]},
         "table3_points": {"tiny": [{"Ls": 2, "Np": 4}, {"Ls": 3, "Np": 4, "prototype_bits": 4, "table_bits": 5}]}}
        """

    @Test(.enabled(if: yosysAvailable()))
    func comparesEveryPointAgainstTheBaseline() throws {
        let workloads = try JSONDecoder().decode(Workloads.self, from: Data(Self.workloads.utf8))
        var options = ComparisonOptions()
        options.target = .ice40
        options.pqaSubspaceParallelism = [1]
        options.baselineInputParallelism = [2, 3]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-compare-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = try Comparison.run(network: "tiny", workloads: workloads, options: options, cache: MeasurementCache(directory: directory))
        #expect(rows.count == 2)
        #expect(rows.map(\.ls) == [2, 3] && rows[1].activationBits == 4 && rows[1].entryBits == 5)
        for row in rows {
            #expect(row.pqa.design == "pqa_core" && row.baseline.design == "mac_array_core")
            #expect(row.pqa.area > 0 && row.baseline.area > 0 && row.ratio > 0)
            #expect(row.pqaClockMHz == 100 && row.baselineClockMHz == 100)
            // The whole network: 16 columns of D = 6.
            #expect(row.baseline.computeCycles == 16 * 1 * 2 || row.baseline.computeCycles == 16 * 1 * 3)
        }
        let markdown = ComparisonReport.markdown(rows, network: "tiny", options: options, command: "pqa compare --network tiny", tools: "Yosys")
        #expect(markdown.contains("| point | design |") && markdown.contains("pqa compare --network tiny"))
        #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("| Ls") }.count == 4)
    }

    @Test func ratioComparesPerformancePerAreaAtTheRowsClocks() {
        func design(area: Double, cycles: Int, fmax: Double?) -> ComparedDesign {
            ComparedDesign(design: "d", parallelism: "p", resources: [:], area: area, fmaxMHz: fmax, cycles: cycles, computeCycles: cycles, fmaxProblem: nil)
        }
        // PQA: half the area, twice the cycles, 1.5x the clock: 1.5x the performance per area.
        let row = ComparisonRow(ls: 9, np: 16, activationBits: 8, entryBits: 8, pqa: design(area: 1000, cycles: 2000, fmax: 150),
                                baseline: design(area: 2000, cycles: 1000, fmax: 100), pqaClockMHz: 150, baselineClockMHz: 100)
        #expect(abs(row.ratio - 1.5) < 1e-12)
        // 100 MHz, 2000 cycles, 1000 LUT-eq: 50,000 inferences/s per 1000 LUT-eq.
        #expect(abs(row.pqa.performancePerArea(at: 100) - 50_000) < 1e-9)
    }

    @Test func unknownNetworkNamesTheChoices() throws {
        let workloads = try JSONDecoder().decode(Workloads.self, from: Data(Self.workloads.utf8))
        #expect { try Comparison.run(network: "vgg", workloads: workloads, options: .init(), cache: MeasurementCache(directory: URL(fileURLWithPath: "/nonexistent"))) }
            throws: { "\($0)".contains("tiny") }
    }
}
