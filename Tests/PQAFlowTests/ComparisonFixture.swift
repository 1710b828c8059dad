import Foundation
import PQ
import PQA
@testable import PQAFlow

/// A tiny network, fake tools that only print a version, and measurements
/// written straight into a cache: comparison logic tested without running
/// Yosys or nextpnr.
enum ComparisonFixture {
    /// One 1x1 convolution, 24 inputs to 16 outputs over 16 columns, and two points.
    static let workloadsJSON = """
        {"networks": {"tiny": [{"in_channels": 24, "in_height": 4, "in_width": 4, "out_channels": 16, "kernel": 1, "stride": 1,
                                "padding": 0, "Np": 4, "Ls": 2}]},
         "table3_points": {"tiny": [{"Ls": 2, "Np": 4}, {"Ls": 3, "Np": 4, "prototype_bits": 4, "table_bits": 5}]}}
        """

    static func workloads() throws -> Workloads { try JSONDecoder().decode(Workloads.self, from: Data(workloadsJSON.utf8)) }

    /// Point `number` (from 1) of the tiny network.
    static func point(_ number: Int) throws -> ComparisonPoint { try ComparisonPoint.all(of: "tiny", in: workloads())[number - 1] }

    /// A fresh folder with `yosys` and `nextpnr` scripts that print the given versions.
    static func tools(yosys: String = "0.99", nextpnr: String = "0.99") throws -> (folder: URL, yosys: String, nextpnr: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scripts = ["yosys": "echo 'Yosys \(yosys) (git sha1 fixture)'",
                       "nextpnr": "echo '\"nextpnr-ecp5\" -- Next Generation Place and Route (Version nextpnr-\(nextpnr))'"]
        for (name, body) in scripts {
            let url = folder.appendingPathComponent(name)
            try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return (folder, folder.appendingPathComponent("yosys").path, folder.appendingPathComponent("nextpnr").path)
    }

    /// A synthesis report with `resources`.
    static func synthesis(_ resources: [Resource: Int], target: SynthesisTarget = .xilinx7) -> SynthesisReport {
        SynthesisReport(design: "d", target: target, cells: [:], resources: resources, area: AreaWeights.standard(for: target).area(resources),
                        weights: .standard(for: target), tool: "Yosys 0.99 (git sha1 fixture)", command: "yosys -p synth", seconds: 1)
    }

    /// A routed design at `fmax`, filling `share` of the 85k's logic.
    static func placed(fmax: Double, share: Double) -> PlaceAndRouteOutcome {
        let report = PlaceAndRouteReport(design: "d_pins", device: .ecp5_85k, speedGrade: 6, fmaxMHz: fmax,
                                         utilization: ["TRELLIS_COMB": [Int(share * 83_640), 83_640]], criticalPath: [], criticalPathSteps: [],
                                         synthesis: synthesis([.lut: 1], target: .ecp5), tool: "nextpnr-0.99", command: "nextpnr-ecp5", seconds: 2)
        return PlaceAndRouteOutcome(report: report, problem: nil)
    }

    /// Stores `value` where `cache` looks for it.
    static func store(_ value: some Encodable, at url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(value).write(to: url)
    }
}
