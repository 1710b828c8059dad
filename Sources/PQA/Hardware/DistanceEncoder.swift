import HDL
import PQ

/// The encoder: `NsVec x NpVec` distance units of `LsVec` lanes, an argmin
/// tree per subspace over `NpVec` prototypes, and a running minimum over the
/// prototype chunks. Ties go to the lowest prototype index.
///
/// ```
///  stage 0   read column chunk and prototype chunks (block RAM and a register, 2 cycles)
///  stage 1   |a - p| or (a - p)^2 per lane, summed (or maxed) over lanes → partial
///  stage 2   partial added to (or maxed with) the chunk accumulator; on the
///            last element chunk the argmin tree starts
///  +argmin   tree registers every `argminLevelsPerStage` levels
///  running   the chunk's winner against the best so far; on the last
///            prototype chunk the codes are ready (registered)
/// ```
struct DistanceEncoder {
    /// Codes of one subspace group, valid in the cycle `ready` is high.
    let ready: Signal
    let codes: [Signal]
    let bank, group, firstGroup, lastGroup: Signal

    init(_ m: ModuleBuilder, _ design: PQAParameters, layer: LayerControl, input: InputBuffer, sequencer: SlotSequencer,
         fixed: FixedTables?) {
        let c = design.configuration, p = c.parallelism, formats = c.formats
        let op = sequencer.operation, load = layer.load
        let distanceType = SignalType.unsigned(design.widths.distance.bits)

        // Stage 0: reads.
        let columnAddressWidth = input.memory.addressWidth
        let columnAddress = (mux(op.readSlot, m.constant(design.columnWords, .unsigned(columnAddressWidth)), m.constant(0, .unsigned(columnAddressWidth)))
                             + scaled(op.group, by: design.chunksMax, to: columnAddressWidth, m) + op.chunk.resized(to: columnAddressWidth))
            .named("encode_column_address")
        // Every word read gets a register after the block RAM's own, so the
        // RAM's slow clock-to-output does not add to the distance lanes' path.
        let column = m.delayed(input.memory.read(address: columnAddress, enable: op.valid, name: "encode_column"), name: "encode_column_q")
        let prototypeDepth = 2 * design.prototypeWords
        let prototypeAddressWidth = max(1, ceilLog2(prototypeDepth))
        let prototypeAddress = (mux(op.bank, m.constant(design.prototypeWords, .unsigned(prototypeAddressWidth)), m.constant(0, .unsigned(prototypeAddressWidth)))
                                + scaled(scaled(op.group, by: design.prototypeChunksMax, to: prototypeAddressWidth, m)
                                         + op.prototypeChunk.resized(to: prototypeAddressWidth), by: design.chunksMax, to: prototypeAddressWidth, m)
                                + op.chunk.resized(to: prototypeAddressWidth)).named("encode_prototype_address")
        let loadAddress = (mux(load.bank, m.constant(design.prototypeWords, .unsigned(prototypeAddressWidth)), m.constant(0, .unsigned(prototypeAddressWidth)))
                           + load.address.resized(to: prototypeAddressWidth)).named("load_prototype_address")
        var prototypes: [[Signal]] = []
        for s in 0..<p.nsVec {
            var row: [Signal] = []
            for q in 0..<p.npVec {
                let name = "prototypes_\(s)_\(q)", type = SignalType.unsigned(design.prototypeWordBits)
                let memory: Memory
                if let fixed {
                    memory = m.rom(name, type, words: fixed.prototypes[s * p.npVec + q])
                } else {
                    memory = m.simpleDualPortRAM(name, depth: prototypeDepth, type)
                    m.when(load.fire & (load.kind == 1) & (load.index == s * p.npVec + q) & inRange(load.address, design.prototypeWords, m)) {
                        memory.write(address: loadAddress, data: load.data.truncated(to: design.prototypeWordBits))
                    }
                }
                let word = memory.read(address: prototypeAddress.resized(to: memory.addressWidth), enable: op.valid, name: "prototype_\(s)_\(q)")
                row.append(m.delayed(word, name: "prototype_\(s)_\(q)_q"))
            }
            prototypes.append(row)
        }
        let meta1 = [op.valid, op.bank, op.firstChunk, op.lastChunk, op.firstPrototypeChunk, op.lastPrototypeChunk,
                     op.firstGroup, op.lastGroup]
        let (valid1, bank1) = (delay(op.valid, 2, name: "e1_valid", reset: 0, in: m), delay(op.bank, 2, name: "e1_bank", in: m))
        let chunk1 = delay(op.chunk, 2, name: "e1_chunk", in: m)
        let flags1 = meta1.dropFirst(2).enumerated().map { delay($1, 2, name: "e1_flag\($0)", in: m) }
        let prototypeChunk1 = delay(op.prototypeChunk, 2, name: "e1_prototype_chunk", in: m)
        let group1 = delay(op.group, 2, name: "e1_group", in: m)

        // Stage 1: lane distances, reduced over the chunk's lanes.
        let ls = perBank(bank1, layer.banks.map(\.ls))
        let laneWidth = max(1, bitsToRepresent(design.chunksMax * p.lsVec))
        let chunkBase = scaled(chunk1, by: p.lsVec, to: laneWidth, m)
        let laneValid = (0..<p.lsVec).map { lane in (chunkBase + lane) < ls.resized(to: laneWidth) }
        let a = formats.activation, q = formats.prototype
        let differenceWidth = max(a.bits + (a.signed ? 0 : 1), q.bits + (q.signed ? 0 : 1)) + 1
        func signedValue(_ bits: Signal, signed: Bool) -> Signal {
            signed ? bits.asSigned.extended(to: differenceWidth) : bits.extended(to: differenceWidth).asSigned
        }
        func laneTerm(_ x: Signal, _ prototype: Signal) -> Signal {
            let difference = signedValue(x, signed: a.signed) - signedValue(prototype, signed: q.signed)
            switch c.metric {
            case .l2: return product(difference, difference, m).asUnsigned.resized(to: distanceType.width)
            case .l1, .chebyshev: return mux(difference < 0, -difference, difference).asUnsigned.resized(to: distanceType.width)
            }
        }
        func combine(_ x: Signal, _ y: Signal) -> Signal {
            c.metric == .chebyshev ? mux(x < y, y, x) : x + y
        }
        var partials: [[Signal]] = []
        for s in 0..<p.nsVec {
            partials.append((0..<p.npVec).map { q2 in
                let terms = (0..<p.lsVec).map { lane -> Signal in
                    let x = column[high: (s * p.lsVec + lane + 1) * a.bits - 1, low: (s * p.lsVec + lane) * a.bits]
                    let w = prototypes[s][q2][high: (lane + 1) * q.bits - 1, low: lane * q.bits]
                    return mux(laneValid[lane], laneTerm(x, w), m.constant(0, distanceType))
                }
                let sum = reduceTree(terms.map { [$0] }, levelsPerStage: 0, name: "lanes", in: m) { [combine($0[0], $1[0])] }[0]
                return m.delayed(sum, name: "partial_\(s)_\(q2)")
            })
        }
        let valid2 = m.delayed(valid1, name: "e2_valid", reset: 0)
        let bank2 = m.delayed(bank1, name: "e2_bank")
        let flags2 = flags1.enumerated().map { m.delayed($1, name: "e2_flag\($0)") }
        let prototypeChunk2 = m.delayed(prototypeChunk1, name: "e2_prototype_chunk")
        let group2 = m.delayed(group1, name: "e2_group")
        let (firstChunk2, lastChunk2, firstPC2, lastPC2, firstGroup2, lastGroup2) = (flags2[0], flags2[1], flags2[2], flags2[3], flags2[4], flags2[5])

        // Stage 2: accumulate over element chunks; argmin over the prototype chunk.
        let np = perBank(bank2, layer.banks.map(\.np))
        let prototypeWidth = max(1, bitsToRepresent(design.prototypeChunksMax * p.npVec))
        let prototypeBase = scaled(prototypeChunk2, by: p.npVec, to: prototypeWidth, m)
        let localIndexType = countType(p.npVec - 1)
        var winners: [[Signal]] = []
        for s in 0..<p.nsVec {
            let candidates = (0..<p.npVec).map { q2 -> [Signal] in
                let accumulator = m.register("distance_\(s)_\(q2)", distanceType, reset: nil)
                let full = mux(firstChunk2, partials[s][q2], combine(accumulator, partials[s][q2]))
                m.when(valid2) { accumulator <== full }
                let exists = (prototypeBase + q2) < np.resized(to: prototypeWidth)
                return [full, exists, m.constant(q2, localIndexType)]
            }
            winners.append(reduceTree(candidates, levelsPerStage: c.pipelining.argminLevelsPerStage, name: "argmin_\(s)", in: m) { left, right in
                let takeLeft = left[1] & (!right[1] | (left[0] <= right[0]))
                return [mux(takeLeft, left[0], right[0]), left[1] | right[1], mux(takeLeft, left[2], right[2])]
            })
        }
        let stages = design.argminStages
        let chunkDone = delay(valid2 & lastChunk2, stages, name: "argmin_valid", reset: 0, in: m)
        let bankR = delay(bank2, stages, name: "argmin_bank", in: m)
        let groupR = delay(group2, stages, name: "argmin_group", in: m)
        let prototypeChunkR = delay(prototypeChunk2, stages, name: "argmin_prototype_chunk", in: m)
        let firstPCR = delay(firstPC2, stages, name: "argmin_first_pc", in: m)
        let lastPCR = delay(lastPC2, stages, name: "argmin_last_pc", in: m)
        let firstGroupR = delay(firstGroup2, stages, name: "argmin_first_group", in: m)
        let lastGroupR = delay(lastGroup2, stages, name: "argmin_last_group", in: m)

        // Running minimum over prototype chunks; codes when the last one is in.
        let codeType = SignalType.unsigned(design.codeBits)
        let base = scaled(prototypeChunkR, by: p.npVec, to: design.codeBits, m)
        let finishing = (chunkDone & lastPCR).named("codes_finishing")
        var codes: [Signal] = []
        for s in 0..<p.nsVec {
            let bestDistance = m.register("best_distance_\(s)", distanceType, reset: nil)
            let bestIndex = m.register("best_index_\(s)", codeType, reset: nil)
            let candidateIndex = base + winners[s][2].resized(to: design.codeBits)
            let take = firstPCR | (winners[s][1] & (winners[s][0] < bestDistance))
            let newDistance = mux(take, winners[s][0], bestDistance), newIndex = mux(take, candidateIndex, bestIndex)
            m.when(chunkDone) {
                bestDistance <== newDistance
                bestIndex <== newIndex
            }
            codes.append(m.delayed(newIndex, name: "code_\(s)", enable: finishing))
        }
        self.codes = codes
        ready = m.delayed(finishing, name: "codes_ready", reset: 0)
        bank = m.delayed(bankR, name: "codes_bank", enable: finishing)
        group = m.delayed(groupR, name: "codes_group", enable: finishing)
        firstGroup = m.delayed(firstGroupR, name: "codes_first_group", enable: finishing)
        lastGroup = m.delayed(lastGroupR, name: "codes_last_group", enable: finishing)
    }
}
