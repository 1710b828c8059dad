import Foundation
import Testing
@testable import PQ

@Suite struct WorkloadsTests {
    @Test func decodesTheWorkloadFormat() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("w.json")
        try Data("""
            {"networks": {"tiny": [{"in_channels": 2, "in_height": 4, "in_width": 4, "out_channels": 3,
              "kernel": 3, "stride": 1, "padding": 1, "Np": 4, "Ls": 9}]},
             "table3_points": {"tiny": [{"Ls": 9, "Np": 4}, {"Ls": 3, "Np": 8, "prototype_bits": 6, "table_bits": 5}]},
             "ignored": 1}
            """.utf8).write(to: url)
        let w = try Workloads.read(from: url)
        let layer = try #require(w.networks["tiny"]?.first)
        #expect(try layer.geometry().columnLength == 18)
        #expect(w.table3Points["tiny"]?.last == Workloads.Point(ls: 3, np: 8, prototypeBits: 6, tableBits: 5))
        try Data(#"{"networks": {"tiny": [{"in_channels": 2}]}, "table3_points": {}}"#.utf8).write(to: url)
        let error = #expect(throws: LayerFileError.self) { try Workloads.read(from: url) }
        #expect(error?.description.contains("networks.tiny.[0].in_height") == true, "\(String(describing: error))")
    }
}
