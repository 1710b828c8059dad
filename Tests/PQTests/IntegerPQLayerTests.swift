import Testing
@testable import PQ

@Suite struct IntegerPQLayerTests {
    func build(
        prototypes: [Int]? = nil, table: [Int]? = nil, bias: [Int]? = nil,
        requantization: Requantization = .identity, scales: QuantizationScales? = nil, conv: ConvGeometry? = nil,
        inputLength: Int = 4
    ) throws -> IntegerPQLayer {
        // Ls = 2, Np = 2, Ns = 2, Cout = 3; formats s4 data, s8 bias.
        let s4 = try IntegerFormat.signed(4)
        let config = try PQConfiguration(
            shape: PQShape(ls: 2, np: 2, ns: 2, cout: 3, inputLength: inputLength), metric: .l2,
            formats: LayerFormats(activation: s4, prototype: s4, entry: s4, bias: try .signed(8), output: s4),
            multiplierBits: 4, maxShift: 4)
        return try IntegerPQLayer(
            configuration: config,
            prototypes: Codebooks(ns: 2, np: 2, ls: 2, values: prototypes ?? [0, 0, 7, 7, 0, 0, -8, -8]),
            table: LookupTable(ns: 2, np: 2, cout: 3, values: table ?? [1, 2, 3, -1, -2, -3, 0, 1, 0, 7, -8, 7]),
            bias: bias ?? [0, 10, -10], requantization: requantization, scales: scales, conv: conv)
    }

    @Test func validLayerExposesItsConfiguration() throws {
        let layer = try build()
        #expect(layer.shape.ns == 2 && layer.metric == .l2 && layer.formats.bias.bits == 8)
        #expect(layer.widths.index.bits == 1)
        #expect(throws: Never.self) { try layer.validate() }
    }

    @Test func namesTheFieldAndIndexOfAnOutOfFormatValue() throws {
        let p = #expect(throws: PQError.self) { try build(prototypes: [0, 0, 7, 7, 0, 8, -8, -8]) }
        #expect(p == .valueOutOfFormat(field: "prototypes", index: [1, 0, 1], value: 8, format: try .signed(4)))
        #expect(p?.description.contains("prototypes[1][0][1] is 8") == true)
        let t = #expect(throws: PQError.self) { try build(table: [1, 2, 3, -1, -2, -3, 0, 1, 0, 7, -9, 7]) }
        #expect(t == .valueOutOfFormat(field: "table", index: [1, 1, 1], value: -9, format: try .signed(4)))
        let b = #expect(throws: PQError.self) { try build(bias: [0, 128, 0]) }
        #expect(b?.description.contains("bias[1] is 128") == true)
    }

    @Test func rejectsMismatchedSizesAndSettings() throws {
        #expect(throws: PQError.self) { try build(bias: [0, 0]) }
        #expect(throws: PQError.self) { try build(requantization: Requantization(multiplier: 16, shift: 0)) }
        #expect(throws: PQError.self) { try build(requantization: Requantization(multiplier: 1, shift: 5)) }
        #expect(throws: PQError.self) { try build(scales: QuantizationScales(input: [1, 1, 1], table: 1, output: 1)) }
        let conv = try ConvGeometry(inChannels: 1, inHeight: 3, inWidth: 3, kernelHeight: 2, kernelWidth: 2)
        #expect(throws: Never.self) { try build(conv: conv) }
        let wrong = try ConvGeometry(inChannels: 1, inHeight: 3, inWidth: 3, kernelHeight: 1, kernelWidth: 3)
        #expect(throws: PQError.self) { try build(conv: wrong) }
        let s4 = try IntegerFormat.signed(4)
        let config = try PQConfiguration(
            shape: PQShape(ls: 2, np: 2, ns: 2, cout: 3), metric: .l2,
            formats: LayerFormats(activation: s4, prototype: s4, entry: s4, bias: s4, output: s4), multiplierBits: 4, maxShift: 4)
        #expect(throws: PQError.self) {
            try IntegerPQLayer(
                configuration: config, prototypes: Codebooks(ns: 2, np: 3, ls: 2, values: Array(repeating: 0, count: 12)),
                table: LookupTable(ns: 2, np: 2, cout: 3, values: Array(repeating: 0, count: 12)), bias: [0, 0, 0],
                requantization: .identity)
        }
        #expect(throws: PQError.self) {
            try IntegerPQLayer(
                configuration: config, prototypes: Codebooks(ns: 2, np: 2, ls: 2, values: Array(repeating: 0, count: 8)),
                table: LookupTable(ns: 2, np: 2, cout: 2, values: Array(repeating: 0, count: 8)), bias: [0, 0, 0],
                requantization: .identity)
        }
    }
}
