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
        let chunks = 3, outChunks = 3
        #expect(program.loadBeats.count == LayerRegister.allCases.count + 3 * 6 * chunks + 3 * 6 * outChunks + outChunks)
        #expect(program.loadBeats.allSatisfy { $0.width == parameters.loadBeatBits })
        // The first beat writes register Ls (kind 0, address 0) with 5.
        let first = program.loadBeats[0]
        #expect(first.slice(high: 1, low: 0).unsignedValue == 0)
        let dataLow = parameters.loadBeat.kindBits + parameters.loadBeat.indexBits + parameters.loadBeat.addressBits
        #expect(first.slice(high: dataLow + 31, low: dataLow).unsignedValue == 5)
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
