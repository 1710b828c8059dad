import HDL
import PQ
@testable import PQA
import Randomness
import Testing

/// A `PartedRAM` alone, in a module that only writes and reads it.
private struct PartedRAMModule: HardwareModule {
    let depth, width, partBits: Int

    var moduleName: String { "parted_ram_probe" }
    var parameters: [ModuleParameter] { [.init("depth", depth), .init("width", width), .init("part", partBits)] }

    func build(_ m: ModuleBuilder) {
        let addressType = SignalType.unsigned(max(1, ceilLog2(depth)))
        let ram = PartedRAM(m, name: "words", depth: depth, width: width, partBits: partBits)
        ram.writeBehindReads(when: m.input("write_enable", .bool), address: m.input("write_address", addressType),
                             data: m.input("write_data", .unsigned(width)))
        m.output("word", .unsigned(width)) <== ram.readPipelined(address: m.input("read_address", addressType),
                                                               enable: m.input("read_enable", .bool), name: "read_word")
    }
}

/// Random words written, then read back in a random order: every read's
/// word, three cycles later, must be the last word written there, for
/// widths that split into parts evenly, unevenly and not at all.
@Suite(.serialized) struct PartedRAMTests {
    @Test(arguments: Array(1...6) as [UInt64])
    func readsReturnTheWordsWritten(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let depth = generator.nextInt(in: 2...40), width = generator.nextInt(in: 1...40), partBits = generator.nextInt(in: 1...12)
        let module = PartedRAMModule(depth: depth, width: width, partBits: partBits)
        try checkStage(module, seed: seed, "parted RAM of \(depth) words of \(width) bits in parts of \(partBits)") { probe in
            probe.reset()
            var memory: [Int: BitVector] = [:]
            for _ in 0..<(2 * depth) {
                let address = probe.random(0...(depth - 1)), word = probe.context.random.bits(width: width)
                try probe.set("write_enable", true)
                try probe.set("write_address", address)
                try probe.set("write_data", word)
                memory[address] = word
                probe.step()
            }
            try probe.set("write_enable", false)
            probe.step(3)  // the last write lands two cycles after its beat
            var pending: [(cycle: Int, address: Int)] = []
            for cycle in 0..<(3 * depth + 4) {
                let reading = cycle < 3 * depth && probe.chance(0.7)
                let address = probe.random(0...(depth - 1))
                try probe.set("read_enable", reading)
                try probe.set("read_address", address)
                if reading { pending.append((cycle + 3, address)) }
                probe.step()
                if let next = pending.first, next.cycle == cycle + 1 {
                    pending.removeFirst()
                    if let written = memory[next.address] { probe.check("word at \(next.address)", try probe.bits("word"), written) }
                }
            }
        }
    }
}
