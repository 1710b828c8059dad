import Testing
@testable import PQ

@Suite struct FloatPQLayerTests {
    func handLayer(relu: Bool = false) throws -> FloatPQLayer {
        try FloatPQLayer(
            shape: PQShape(ls: 2, np: 2, ns: 2, cout: 2, inputLength: 3), metric: .l2,
            prototypes: Codebooks(nested: [[[0.0, 0], [1, 1]], [[-1.0, 0], [1, 0]]]),
            table: LookupTable(nested: [[[0.5, 1], [2, 3]], [[-1.0, -2], [4, 8]]]),
            bias: [0.25, -10], relu: relu)
    }

    @Test func handComputedOutputs() throws {
        let layer = try handLayer()
        #expect(try layer.encode(column: [0.9, 0.8, 0.7]) == [1, 1])
        #expect(try layer.output(column: [0.9, 0.8, 0.7]) == [6.25, 1])
        #expect(try layer.output(column: [0.1, 0.0, -0.7]) == [-0.25, -11])
        #expect(try handLayer(relu: true).output(column: [0.1, 0.0, -0.7]) == [0, 0])
        #expect(try layer.outputs(codes: Matrix(rows: 1, columns: 2, values: [0, 1])).values == [4.75, -1])
    }

    @Test func rejectsInconsistentParts() throws {
        let shape = try PQShape(ls: 2, np: 2, ns: 2, cout: 2)
        let books = try Codebooks(ns: 2, np: 2, ls: 2, values: Array(repeating: 0.0, count: 8))
        let table = try LookupTable(ns: 2, np: 2, cout: 2, values: Array(repeating: 0.0, count: 8))
        #expect(throws: PQError.self) { try FloatPQLayer(shape: shape, metric: .l1, prototypes: books, table: table, bias: [0]) }
        let nan = #expect(throws: PQError.self) { try FloatPQLayer(shape: shape, metric: .l1, prototypes: books, table: table, bias: [0, .nan]) }
        #expect(nan == .nonFiniteValue(field: "bias", index: 1))
        let wrongTable = try LookupTable(ns: 2, np: 2, cout: 1, values: Array(repeating: 0.0, count: 4))
        #expect(throws: PQError.self) { try FloatPQLayer(shape: shape, metric: .l1, prototypes: books, table: wrongTable, bias: [0, 0]) }
        let layer = try handLayer()
        #expect(throws: PQError.self) { try layer.output(column: [1, 2]) }
        #expect(throws: PQError.self) { try layer.outputs(codes: Matrix(rows: 1, columns: 2, values: [0, 2])) }
        #expect(throws: PQError.self) { try layer.outputs(images: [1, 2, 3], count: 1) }
    }
}
