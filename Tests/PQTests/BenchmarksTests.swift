import Foundation
import Testing
@testable import PQ

@Suite struct BenchmarksTests {
    @Test func producesEveryReportLineOnTinySizes() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("w.json")
        try Data("""
            {"networks": {"resnet20": [{"in_channels": 2, "in_height": 4, "in_width": 4, "out_channels": 3,
              "kernel": 3, "stride": 1, "padding": 1, "Np": 4, "Ls": 9}]},
             "table3_points": {"resnet20": [{"Ls": 9, "Np": 4}, {"Ls": 9, "Np": 4, "prototype_bits": 6, "table_bits": 5}]}}
            """.utf8).write(to: url)
        var options = PQBenchmarks.Options()
        options.rows = 64
        options.calibrationRows = 64
        options.testRows = 32
        options.iterations = 3
        let lines = try PQBenchmarks.run(workloads: url, options: options)
        #expect(lines.contains { $0.hasPrefix("encode float") })
        #expect(lines.contains { $0.hasPrefix("ratio PQ/matmul") })
        let accuracy = lines.filter { $0.hasPrefix("2x4x4->3 s1") }
        #expect(accuracy.count == 2)
        #expect(accuracy.last?.hasSuffix("(6/6/5/8)") == true)
        options.network = "missing"
        #expect(throws: PQError.self) { try PQBenchmarks.accuracy(workloads: Workloads.read(from: url), options: options) }
    }
}
