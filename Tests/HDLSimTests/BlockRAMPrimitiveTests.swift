import Foundation
import HDL
import HDLSim
import Testing

/// A memory read with `readRegistered` in each DP16KD shape (36 bits per
/// tile in the pseudo-dual-port mode, 18, 9, 4, 2 and 1, words wider than a
/// tile): its ECP5 form (`PQA_ECP5`, DP16KD tiles with their output
/// register) simulated on Icarus with a
/// behavioural DP16KD model must do what the interpreter does with the
/// portable form, cycle by cycle; and Yosys must map it to DP16KD with
/// `REGMODE_B "OUTREG"` and no register of its own after the RAM. The data
/// input takes the name the ECP5 form would give its own write bus, which
/// must then take another.
@Suite struct BlockRAMPrimitiveTests {
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/DP16KD.v")

    private func design(depth: Int, width: Int) -> InlineModule {
        InlineModule(moduleName: "registered_ram") { m in
            let memory = m.simpleDualPortRAM("words", depth: depth, .unsigned(width), readDuringWrite: .undefined)
            let addressType = SignalType.unsigned(memory.addressWidth)
            let write = m.input("write", .bool), writeAddress = m.input("write_address", addressType)
            let data = m.input("words_write_data", .unsigned(width))
            m.when(write) { memory.write(address: writeAddress, data: data) }
            let read = m.input("read", .bool), readAddress = m.input("read_address", addressType)
            m.output("word", .unsigned(width)) <== memory.readRegistered(address: readAddress, enable: read, name: "word_q")
        }
    }

    @Test(.enabled(if: toolAvailable("iverilog")), arguments: [(depth: 300, width: 20), (500, 50), (1000, 20), (1500, 10), (3000, 5), (6000, 3), (9000, 1)])
    func ecp5FormMatchesThePortableForm(_ shape: (depth: Int, width: Int)) throws {
        let netlist = try design(depth: shape.depth, width: shape.width).elaborate()
        let text = VerilogEmitter.emit(netlist)
        #expect(text.contains("REGMODE_B(\"OUTREG\")") && text.contains("`ifdef PQA_ECP5"))
        // 48 addresses across the whole depth (its first and last word among
        // them), each written first, then random reads and writes of them, so
        // that no read meets a word Icarus holds as unknown.
        let addresses = [0, shape.depth - 1] + (0..<46).map { ($0 * 7919 + 13) % shape.depth }
        let report = try DifferentialHarness.run(netlist, seed: UInt64(shape.depth), engines: [.interpreter]) { context in
            let simulator = context.simulator
            simulator.reset(cycles: 1)
            for cycle in 0..<(addresses.count + 300) {
                let filling = cycle < addresses.count
                try simulator.poke("write", filling || context.random.nextInt(below: 2) == 0 ? 1 : 0)
                try simulator.poke("write_address", filling ? addresses[cycle] : addresses[context.random.nextInt(below: addresses.count)])
                try simulator.poke("words_write_data", context.random.bits(width: shape.width))
                try simulator.poke("read", filling || context.random.nextInt(below: 4) == 0 ? 0 : 1)
                // Never the word being written (the memory's promise).
                let candidates = filling ? addresses : addresses.filter { $0 != (try? simulator.peekInt("write_address")) }
                try simulator.poke("read_address", candidates[context.random.nextInt(below: candidates.count)])
                simulator.step(1)
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-dp16kd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let replay = try IcarusRunner.replay(report.run, design: netlist, in: directory,
                                             primitives: .init(define: "PQA_ECP5", models: [Self.model]))
        let mismatch = replay.firstMismatch(against: report.run)
        #expect(mismatch == nil, "first mismatch at cycle \(mismatch?.cycle ?? -1): \(mismatch?.ports.map(\.name) ?? [])")
    }

    /// A memory whose DP16KD tiles would cost more than its LUT RAMs in
    /// Yosys's ECP5 costs keeps the portable form (for Yosys to put in LUT RAM);
    /// one where they cost no more gets the tiles.
    @Test(arguments: [(depth: 32, width: 72, primitive: false), (40, 20, false), (256, 4, false), (300, 20, true), (512, 4, true),
                      (64, 108, true)])
    func onlyMemoriesWorthABlockRAMBecomePrimitives(_ shape: (depth: Int, width: Int, primitive: Bool)) throws {
        let text = VerilogEmitter.emit(try design(depth: shape.depth, width: shape.width).elaborate())
        #expect(text.contains("DP16KD") == shape.primitive)
    }
}
