import Foundation
import Testing
@testable import PQ

@Suite struct PQConfigurationTests {
    func formats(activation: Int = 8, bias: Int = 16) throws -> LayerFormats {
        LayerFormats(
            activation: try .signed(activation), prototype: try .signed(8), entry: try .signed(8),
            bias: try .signed(bias), output: try .signed(8))
    }

    @Test func acceptsTheSupportedRanges() throws {
        let shape = try PQShape(ls: 9, np: 16, ns: 4, cout: 8)
        let c = try PQConfiguration(shape: shape, metric: .l1, formats: formats(bias: 32), multiplierBits: 32, maxShift: 62)
        let data = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(PQConfiguration.self, from: data) == c)
    }

    @Test func rejectsOutOfRangeFields() throws {
        let shape = try PQShape(ls: 9, np: 16, ns: 4, cout: 8)
        let wide = #expect(throws: PQError.self) {
            try PQConfiguration(shape: shape, metric: .l2, formats: formats(activation: 17), multiplierBits: 8, maxShift: 8)
        }
        #expect(wide?.description.contains("formats.activation.bits") == true)
        #expect(throws: PQError.self) { try PQConfiguration(shape: shape, metric: .l2, formats: formats(), multiplierBits: 0, maxShift: 8) }
        #expect(throws: PQError.self) { try PQConfiguration(shape: shape, metric: .l2, formats: formats(), multiplierBits: 33, maxShift: 8) }
        #expect(throws: PQError.self) { try PQConfiguration(shape: shape, metric: .l2, formats: formats(), multiplierBits: 8, maxShift: 63) }
        #expect(throws: PQError.self) { try PQConfiguration(shape: shape, metric: .l2, formats: formats(), multiplierBits: 8, maxShift: -1) }
    }
}
