import HDL
import PQ
@testable import PQA
import Testing

/// The requantizer alone against the golden model's `Requantization.apply`:
/// random accumulators over their whole range (extremes often), both banks
/// with their own multiplier, shift and ReLU, channels past Cout zeroed.
@Suite(.serialized) struct RequantizerTests {
    @Test(arguments: Array(1...8) as [UInt64])
    func beatsMatchTheGoldenRequantization(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let design = try PQAParameters(configuration)
        let settings = design.requantizerSettings
        let accumulatorFormat = try IntegerFormat(bits: settings.accumulator.width, signed: settings.accumulator.isSigned)
        try checkStage(Requantizer(settings: settings), seed: seed, "requantizer of \(configuration.parallelism.summary)") { probe in
            // Each bank's registers: extremes and random values.
            let banks = try (0..<2).map { bank -> (Requantization, cout: Int) in
                let maxMultiplier = (1 << settings.multiplierBits) - 1
                let requantization = Requantization(
                    multiplier: probe.chance(0.3) ? maxMultiplier : probe.random(0...maxMultiplier),
                    shift: probe.chance(0.3) ? settings.maxShift : probe.random(0...settings.maxShift), relu: probe.chance(0.5))
                let cout = probe.random(1...settings.maxCout)
                try probe.set("bank_\(bank)_multiplier", requantization.multiplier)
                try probe.set("bank_\(bank)_shift", requantization.shift)
                try probe.set("bank_\(bank)_relu", requantization.relu)
                try probe.set("bank_\(bank)_cout", cout)
                return (requantization, cout)
            }
            probe.reset()
            probe.step()  // the rounding constants settle
            var pending: [(cycle: Int, emit: Bool, last: Bool, done: Bool, bank: Int, lanes: [Int])] = []
            for cycle in 0..<60 {
                let valid = probe.chance(0.8), emit = valid && probe.chance(0.7), last = probe.chance(0.4)
                let bank = probe.random(0...1), chunk = probe.random(0...(settings.outputChunksMax - 1))
                let accumulators = (0..<settings.outVec).map { _ in probe.value(accumulatorFormat) }
                for (lane, accumulator) in accumulators.enumerated() { try probe.set("beat_accumulator_\(lane)", accumulator) }
                try probe.set("beat_valid", valid)
                try probe.set("beat_emit", emit)
                try probe.set("beat_last_chunk", last)
                try probe.set("beat_bank", bank)
                try probe.set("beat_chunk", chunk)
                let (requantization, cout) = banks[bank]
                let lanes = accumulators.enumerated().map { lane, accumulator in
                    chunk * settings.outVec + lane < cout ? requantization.apply(accumulator, output: settings.output) : 0
                }
                pending.append((cycle + Requantizer.latency(settings), emit, last, valid && last, bank, lanes))
                try expectOutputs(probe, cycle: cycle, pending: &pending)
                probe.step()
            }
        }
    }

    private func expectOutputs(_ probe: StageProbe, cycle: Int,
                               pending: inout [(cycle: Int, emit: Bool, last: Bool, done: Bool, bank: Int, lanes: [Int])]) throws {
        guard let first = pending.first, first.cycle == cycle else { return }
        pending.removeFirst()
        probe.check("out_valid", try probe.get("out_valid"), first.emit ? 1 : 0)
        probe.check("done", try probe.get("done"), first.done ? 1 : 0)
        if first.done { probe.check("done_bank", try probe.get("done_bank"), first.bank) }
        guard first.emit else { return }
        probe.check("out_last", try probe.get("out_last"), first.last ? 1 : 0)
        let bits = try probe.bits("out_data")
        let width = bits.width / first.lanes.count
        probe.check("out_data", bits, Lanes.pack(first.lanes, bits: width))
    }
}
