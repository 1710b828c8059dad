import Testing
@testable import PQ

@Suite struct CodebooksTests {
    @Test func flatLayoutIsCOrder() throws {
        let nested = [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]
        let books = try Codebooks(nested: nested)
        #expect(books.ns == 2 && books.np == 3 && books.ls == 2)
        #expect(books.values == Array(1...12))
        #expect(Array(books.prototype(subspace: 1, index: 2)) == [11, 12])
        #expect(books.nested == nested)
        #expect(books.map(Double.init).values.last == 12)
    }

    @Test func tableLayoutIsCOrder() throws {
        let nested = [[[1, 2, 3], [4, 5, 6]]]
        let table = try LookupTable(nested: nested)
        #expect(table.ns == 1 && table.np == 2 && table.cout == 3)
        #expect(table.entry(subspace: 0, prototype: 1, channel: 2) == 6)
        #expect(Array(table.row(subspace: 0, prototype: 1)) == [4, 5, 6])
        #expect(table.nested == nested)
    }

    @Test func rejectsRaggedOrMiscountedValues() {
        #expect(throws: PQError.self) { try Codebooks(nested: [[[1, 2], [3]]]) }
        #expect(throws: PQError.self) { try Codebooks(nested: [[[1, 2]], [[3, 4], [5, 6]]]) }
        #expect(throws: PQError.self) { try Codebooks(ns: 1, np: 2, ls: 2, values: [1, 2, 3]) }
        #expect(throws: PQError.self) { try LookupTable(nested: [[[1, 2], [3]]]) }
        #expect(throws: PQError.self) { try LookupTable(ns: 0, np: 1, cout: 1, values: [Int]()) }
    }
}
