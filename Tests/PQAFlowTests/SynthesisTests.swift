import Foundation
import HDL
import HDLSim
import PQ
import PQA
@testable import PQAFlow
import Testing

func yosysAvailable() -> Bool { ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("yosys") != nil }

@Suite struct SynthesisTests {
    @Test func statisticsAreParsedFromStatJSON() throws {
        let json = """
            {"creator": "Yosys", "modules": {"\\\\top": {"num_cells": 3, "num_cells_by_type": {"LUT4": 2, "TRELLIS_FF": 1}}},
             "design": {"num_cells": 3, "num_cells_by_type": {"LUT4": 2, "TRELLIS_FF": 1}}}
            """
        #expect(try Synthesis.parseStatistics(Data(json.utf8)) == ["LUT4": 2, "TRELLIS_FF": 1])
    }

    @Test func cellsAreClassifiedPerFamily() {
        #expect(SynthesisTarget.xilinx7.resource(of: "LUT6") == .lut)
        #expect(SynthesisTarget.xilinx7.resource(of: "FDRE") == .flipFlop)
        #expect(SynthesisTarget.xilinx7.resource(of: "RAMB36E1") == .blockRAM36)
        #expect(SynthesisTarget.xilinx7.resource(of: "RAM64M") == .lutRAM)
        #expect(SynthesisTarget.ecp5.resource(of: "MULT18X18D") == .dsp)
        #expect(SynthesisTarget.ice40.resource(of: "SB_RAM40_4K") == .blockRAM)
        #expect(SynthesisTarget.ice40.resource(of: "SB_IO") == .other)
    }

    @Test(.enabled(if: yosysAvailable()), arguments: SynthesisTarget.allCases)
    func multiplierUsesADSPOnEveryFamily(_ target: SynthesisTarget) throws {
        let report = try Synthesis.run(DesignFiles(top: PipelinedMAC().elaborate()), target: target)
        #expect(report.resources[.dsp] == 1, "\(report.cells)")
        #expect((report.resources[.lut] ?? 0) > 0 && (report.resources[.flipFlop] ?? 0) >= 27)
        #expect(report.area > 0)
    }

    /// A 4-bit design needs no DSP block with either metric: L1 has no
    /// multiplier, L2 squares 6-bit differences in LUTs, the requantization
    /// multiplier (4 bits) and the address arithmetic are shifts and adds.
    /// Its tables (two banks of 512 words per subspace lane) map to block RAM.
    @Test(.enabled(if: yosysAvailable()), arguments: [(SynthesisTarget.xilinx7, DistanceMetric.l1), (.ecp5, .l2)])
    func lowBitDesignUsesNoDSPAndKeepsTablesInBlockRAM(target: SynthesisTarget, metric: DistanceMetric) throws {
        let formats = LayerFormats(activation: try .unsigned(4), prototype: try .unsigned(4), entry: try .signed(4),
                                   bias: try .signed(8), output: try .signed(4))
        let configuration = PQAConfiguration(
            maxima: .init(ls: 4, np: 16, ns: 16, cout: 32, columns: 16), parallelism: .init(lsVec: 4, npVec: 8, nsVec: 2, outVec: 8),
            formats: formats, multiplierBits: 4, maxShift: 8, metric: metric,
            pipelining: .init(argminLevelsPerStage: 2, adderLevelsPerStage: 2))
        let report = try Synthesis.run(PQAGenerator.files(for: configuration), target: target)
        #expect(report.resources[.dsp, default: 0] == 0, "\(report.cells)")
        #expect(report.resources[.blockRAM, default: 0] + report.resources[.blockRAM36, default: 0] >= 2, "\(report.cells)")
        #expect((report.resources[.lut] ?? 0) > 100)
    }

    @Test func moduleStatisticsDropYosysBackslashes() throws {
        let json = """
            {"modules": {"\\\\top": {"num_cells_by_type": {"LUT4": 4, "leaf": 2}}, "\\\\leaf": {"num_cells_by_type": {"TRELLIS_FF": 4}}}}
            """
        #expect(try Synthesis.parseModuleStatistics(Data(json.utf8)) == ["top": ["LUT4": 4, "leaf": 2], "leaf": ["TRELLIS_FF": 4]])
    }

    /// `pqa synth --per-module`: a row per stage instance of the core, identical
    /// siblings together, each at least as large as everything below it.
    @Test(.enabled(if: yosysAvailable()))
    func perModuleReportHasARowPerStageInstance() throws {
        let formats = LayerFormats(activation: try .unsigned(4), prototype: try .unsigned(4), entry: try .signed(4),
                                   bias: try .signed(8), output: try .signed(4))
        let configuration = PQAConfiguration(
            maxima: .init(ls: 4, np: 8, ns: 4, cout: 8, columns: 4), parallelism: .init(lsVec: 2, npVec: 4, nsVec: 2, outVec: 4),
            formats: formats, multiplierBits: 4, maxShift: 8, metric: .l1, pipelining: .init(argminLevelsPerStage: 2, adderLevelsPerStage: 2))
        let report = try Synthesis.perModule(try PQACore(configuration).elaborate(), target: .ecp5)
        let stages = report.instances.filter { $0.depth == 1 }.map { $0.path.replacingOccurrences(of: "pqa_core/", with: "") }
        #expect(stages == ["u_layer_control", "u_input_buffer", "u_slot_sequencer", "u_encoder", "u_lookup", "u_accumulator",
                           "u_requantizer", "u_output_fifo"])
        let subspaces = report.instances.first { $0.module == "pqa_subspace_encoder" }
        #expect(subspaces?.count == 2 && subspaces?.path == "pqa_core/u_encoder/u_subspace_0..1")
        for (index, row) in report.instances.enumerated() {
            let children = report.instances[(index + 1)...].prefix { $0.depth > row.depth }.filter { $0.depth == row.depth + 1 }
            let below = children.reduce(0) { $0 + $1.count * ($1.resources[.lut] ?? 0) }
            #expect((row.resources[.lut] ?? 0) >= below, "\(row.path)")
        }
        #expect((report.flattened.resources[.lut] ?? 0) > 0)
        #expect(report.text.contains("u_requantizer") && report.text.contains("flattened"))
    }

    /// Four copies of one register from `fannedOut` stay four registers
    /// after Yosys's optimizations, which merge plain copies into one.
    @Test(.enabled(if: yosysAvailable()))
    func fannedOutCopiesSurviveSynthesis() throws {
        struct Copies: HardwareModule {
            var moduleName: String { "copies" }
            func build(_ m: ModuleBuilder) {
                let copies = m.fannedOut(m.input("value", .unsigned(8)), copies: 4, name: "setting")
                let operands = (0..<4).map { m.input("operand_\($0)", .unsigned(8)) }
                for (index, copy) in copies.enumerated() { m.output("sum_\(index)", .unsigned(8)) <== copy + operands[index] }
            }
        }
        let report = try Synthesis.run(DesignFiles(top: try Copies().elaborate()), target: .ecp5)
        #expect(report.resources[.flipFlop] == 32, "\(report.cells)")
    }

    /// A memory too small for block RAM by pqa's rule (32 words of 72 bits:
    /// two tiles in the DP16KD's 36-bit mode, against 36 LUT RAMs) is kept
    /// in LUT RAM on ECP5.
    @Test(.enabled(if: yosysAvailable()))
    func smallMemoriesStayInLUTRAMOnECP5() throws {
        let report = try Synthesis.run(DesignFiles(top: try RegisteredRAM(depth: 32, width: 72).elaborate()), target: .ecp5)
        #expect(report.cells["DP16KD"] == nil && report.cells["TRELLIS_DPR16X4"] == 36, "\(report.cells)")
    }

    /// A memory read asynchronously stays in LUT RAM on ECP5 whatever its
    /// size: a FIFO of 63 beats of 107 bits (64 words of 108, three 36-bit
    /// tiles by the cost rule), whose head Yosys would otherwise read from
    /// block RAM without its output register.
    @Test(.enabled(if: yosysAvailable()))
    func asynchronouslyReadMemoriesStayInLUTRAMOnECP5() throws {
        let report = try Synthesis.run(DesignFiles(top: try StreamFIFO(depth: 63, width: 107).elaborate()), target: .ecp5)
        #expect(report.cells["DP16KD"] == nil && report.cells["TRELLIS_DPR16X4", default: 0] > 0, "\(report.cells)")
    }

    /// A registered read of a memory worth a block RAM becomes DP16KD tiles
    /// whose own output register holds the word, no fabric flip-flop left
    /// after the RAM: in the 36-bit mode (300 words of 20 bits: one tile;
    /// 64 of 108: three) and the 18-bit one (1000 words of 20 bits: two).
    @Test(.enabled(if: yosysAvailable()), arguments: [(depth: 300, width: 20, tiles: 1), (64, 108, 3), (1000, 20, 2)])
    func registeredReadsUseTheBlockRAMOutputRegisterOnECP5(_ shape: (depth: Int, width: Int, tiles: Int)) throws {
        let report = try Synthesis.run(DesignFiles(top: try RegisteredRAM(depth: shape.depth, width: shape.width).elaborate()), target: .ecp5)
        #expect(report.cells["DP16KD"] == shape.tiles, "\(report.cells)")
        #expect(report.resources[.flipFlop, default: 0] == 0, "\(report.cells)")
    }
}

/// A memory of `depth` words of `width` bits, written through one port and
/// read through the other with `readRegistered`.
private struct RegisteredRAM: HardwareModule {
    let depth, width: Int
    var moduleName: String { "registered_ram" }
    var parameters: [ModuleParameter] { [.init("depth", depth), .init("width", width)] }
    func build(_ m: ModuleBuilder) {
        let memory = m.simpleDualPortRAM("words", depth: depth, .unsigned(width), readDuringWrite: .undefined)
        let address = SignalType.unsigned(memory.addressWidth)
        let (write, writeAddress) = (m.input("write", .bool), m.input("write_address", address))
        let data = m.input("data", .unsigned(width))
        m.when(write) { memory.write(address: writeAddress, data: data) }
        m.output("word", .unsigned(width)) <== memory.readRegistered(address: m.input("read_address", address), enable: m.input("read", .bool),
                                                                     name: "word_q")
    }
}
