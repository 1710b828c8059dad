import HDL
import PQ
@testable import PQA
import Testing

@Suite struct LayerProgramTests {
    @Test func beatCountsAndFields() throws {
        let configuration = try smallConfiguration()
        let parameters = try PQAParameters(configuration)
        var random = RandomLayer(seed: 3)
        let shape = try PQShape(ls: 5, np: 6, ns: 3, cout: 7)
        let layer = try random.layer(shape, for: configuration)
        let program = try LayerProgram(layer, columns: 2, parameters: parameters)
        // Prototype words of 8 bits, 4 to a 32-bit beat: ceil(5/2) chunks x Ns 3 x (ceil(4/4) + ceil(2/4)) = 18.
        // Table words of 12 bits, 2 to a beat: Np 6 x ceil(7/3) x (ceil(2/2) + ceil(1/2)) = 36; bias ceil(7/3) = 3.
        #expect(parameters.prototypeGrouping.wordsPerBeat == 4 && parameters.tableGrouping.wordsPerBeat == 2)
        #expect(program.loadBeats.count == LayerRegister.allCases.count + 18 + 36 + 3)
        #expect(CycleModel(parameters).loadBeatCounts(shape) == LoadBeatCounts(registers: 8, prototypes: 18, tables: 36, bias: 3))
        #expect(program.loadBeats.allSatisfy { $0.width == parameters.loadBeatBits && $0.width % 8 == 0 })
        // The first beat writes register Ls (kind 0, address 0) with 5.
        let first = program.loadBeats[0]
        #expect(first.slice(high: 1, low: 0).unsignedValue == 0)
        let dataLow = parameters.loadBeat.kindBits + parameters.loadBeat.indexBits + parameters.loadBeat.addressBits
        #expect(first.slice(high: dataLow + 31, low: dataLow).unsignedValue == 5)
    }

    /// The largest layer of the default design loads in at most half the
    /// 5,132 beats of one word a beat: 8 + 64 x 6 + 16 x 4 x 32 + 4 = 2,444.
    @Test func largestDefaultLayerLoadsInAtMostHalfTheBeats() throws {
        let parameters = try PQAParameters(.default)
        let maxima = PQAConfiguration.default.maxima
        let shape = try PQShape(ls: maxima.ls, np: maxima.np, ns: maxima.ns, cout: maxima.cout)
        var random = RandomLayer(seed: 5)
        let layer = try random.layer(shape, for: .default)
        let beats = try LayerProgram(layer, columns: 1, parameters: parameters).loadBeats.count
        #expect(beats == CycleModel(parameters).loadBeats(shape))
        #expect(beats == 2_444)
        #expect(beats <= 5_132 / 2)
    }

    /// Every beat of random layers of random configurations decodes back to
    /// the layer: each memory word (prototype chunk, table row, bias chunk)
    /// written exactly once by some beat's slot, and the counts as the cycle model says.
    @Test(arguments: Array(1...12) as [UInt64])
    func multiWordBeatsWriteEveryWordOnce(seed: UInt64) throws {
        let configuration = try randomConfiguration(seed: seed)
        let parameters = try PQAParameters(configuration)
        let p = configuration.parallelism
        var random = RandomLayer(seed: seed)
        let layer = try random.layer(try random.shape(within: configuration.maxima), for: configuration)
        let shape = layer.shape
        let program = try LayerProgram(layer, columns: 1, parameters: parameters)
        #expect(program.loadBeats.count == CycleModel(parameters).loadBeats(shape))
        var prototypeWords: [String: BitVector] = [:], tableWords: [String: BitVector] = [:]
        for beat in program.loadBeats {
            let (kind, index, address, data) = parameters.loadBeat.fields(of: beat)
            let grouping = kind == LoadBeatKind.prototypes.rawValue ? parameters.prototypeGrouping : parameters.tableGrouping
            guard kind == LoadBeatKind.prototypes.rawValue || kind == LoadBeatKind.table.rawValue else { continue }
            for (slot, target) in grouping.targets(index: index).enumerated() {
                let word = data.slice(high: (slot + 1) * grouping.wordBits - 1, low: slot * grouping.wordBits)
                let key = "\(target.row) \(target.memory) \(address)"
                #expect((kind == 1 ? prototypeWords[key] : tableWords[key]) == nil, "seed \(seed): word \(key) written twice")
                if kind == 1 { prototypeWords[key] = word } else { tableWords[key] = word }
            }
        }
        for s in 0..<shape.ns {
            for prototype in 0..<shape.np {
                let values = layer.prototypes.prototype(subspace: s, index: prototype)
                for k in 0..<ceilDivide(shape.ls, p.lsVec) {
                    let address = (s / p.nsVec * parameters.prototypeChunksMax + prototype / p.npVec) * parameters.chunksMax + k
                    let lanes = (0..<p.lsVec).map { k * p.lsVec + $0 < shape.ls ? values[values.startIndex + k * p.lsVec + $0] : 0 }
                    #expect(prototypeWords["\(s % p.nsVec) \(prototype % p.npVec) \(address)"] == Lanes.pack(lanes, bits: configuration.formats.prototype.bits),
                            "seed \(seed): prototype \(prototype) of subspace \(s), chunk \(k)")
                }
                for chunk in 0..<ceilDivide(shape.cout, p.outVec) {
                    let address = (s / p.nsVec * configuration.maxima.np + prototype) * parameters.outputChunksMax + chunk
                    let entries = (0..<p.outVec).map { o in
                        chunk * p.outVec + o < shape.cout ? layer.table.entry(subspace: s, prototype: prototype, channel: chunk * p.outVec + o) : 0
                    }
                    #expect(tableWords["0 \(s % p.nsVec) \(address)"] == Lanes.pack(entries, bits: configuration.formats.entry.bits),
                            "seed \(seed): table row of subspace \(s), prototype \(prototype), chunk \(chunk)")
                }
            }
        }
    }

    @Test func layersThatDoNotFitAreRejected() throws {
        let configuration = try smallConfiguration()
        let parameters = try PQAParameters(configuration)
        var random = RandomLayer(seed: 4)
        var big = configuration
        big.maxima.ls = 6
        let tooLong = try random.layer(try PQShape(ls: 6, np: 2, ns: 2, cout: 2), for: big)
        #expect(throws: PQAInterfaceError.layerDoesNotFit(field: "Ls", value: "6", limit: "at most 5")) {
            try LayerProgram(tooLong, columns: 1, parameters: parameters)
        }
        var otherMetric = configuration
        otherMetric.metric = .l1
        let l1 = try random.layer(try PQShape(ls: 2, np: 2, ns: 2, cout: 2), for: otherMetric)
        #expect(throws: PQAInterfaceError.self) { try LayerProgram(l1, columns: 1, parameters: parameters) }
        let fits = try random.layer(try PQShape(ls: 2, np: 2, ns: 2, cout: 2), for: configuration)
        #expect(throws: PQAInterfaceError.self) { try LayerProgram(fits, columns: 9, parameters: parameters) }
        #expect(throws: PQAInterfaceError.self) { try LayerProgram(fits, columns: 0, parameters: parameters) }
    }

    @Test func columnsAreCheckedAndPacked() throws {
        let parameters = try PQAParameters(try smallConfiguration())
        let shape = try PQShape(ls: 3, np: 2, ns: 3, cout: 2)
        #expect(throws: PQAInterfaceError.self) { try ColumnBeats.input([1, 2], shape: shape, parameters: parameters) }
        #expect(throws: PQAInterfaceError.self) { try ColumnBeats.input(Array(repeating: 16, count: 9), shape: shape, parameters: parameters) }
        let beats = try ColumnBeats.input([1, 2, 3, 4, 5, 6, 7, 8, 9], shape: shape, parameters: parameters)
        // 2 groups x 2 chunks; group 0 chunk 0 holds s0 l0..1 and s1 l0..1.
        #expect(beats.count == 4)
        #expect(Lanes.unpack(beats[0], count: 4, bits: 4, signed: false) == [1, 2, 4, 5])
        #expect(Lanes.unpack(beats[1], count: 4, bits: 4, signed: false) == [3, 0, 6, 0])
        #expect(Lanes.unpack(beats[2], count: 4, bits: 4, signed: false) == [7, 8, 0, 0])
    }

    @Test func lanesRoundTripSignedValues() {
        let values = [-8, 7, 0, -1, 3]
        #expect(Lanes.unpack(Lanes.pack(values, bits: 4), count: 5, bits: 4, signed: true) == values)
    }
}
