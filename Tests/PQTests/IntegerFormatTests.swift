import Foundation
import Testing
@testable import PQ

@Suite struct IntegerFormatTests {
    @Test func ranges() throws {
        #expect(try IntegerFormat.signed(2).minValue == -2)
        #expect(try IntegerFormat.signed(2).maxValue == 1)
        #expect(try IntegerFormat.unsigned(2).maxValue == 3)
        #expect(try IntegerFormat.signed(16).minValue == -32768)
        #expect(try IntegerFormat.unsigned(16).maxValue == 65535)
        #expect(try IntegerFormat.signed(32).minValue == Int(Int32.min))
        #expect(try IntegerFormat.signed(8).description == "s8")
        #expect(try IntegerFormat.unsigned(8).saturate(-5) == 0)
        #expect(try IntegerFormat.signed(8).saturate(300) == 127)
        #expect(try IntegerFormat.signed(8).contains(-128))
        #expect(try !IntegerFormat.signed(8).contains(128))
    }

    @Test(arguments: [0, 1, 33, -4])
    func rejectsUnsupportedWidths(bits: Int) {
        #expect(throws: PQError.self) { try IntegerFormat(bits: bits, signed: true) }
    }

    @Test func decodingValidates() throws {
        let decoder = JSONDecoder()
        let ok = try decoder.decode(IntegerFormat.self, from: Data(#"{"bits": 6, "signed": false}"#.utf8))
        #expect(ok == (try .unsigned(6)))
        #expect(throws: DecodingError.self) { try decoder.decode(IntegerFormat.self, from: Data(#"{"bits": 64, "signed": true}"#.utf8)) }
    }

    @Test func requiredBits() {
        #expect(IntegerFormat.requiredBits(lower: 0, upper: 0) == (1, false))
        #expect(IntegerFormat.requiredBits(lower: 0, upper: 255) == (8, false))
        #expect(IntegerFormat.requiredBits(lower: 0, upper: 256) == (9, false))
        #expect(IntegerFormat.requiredBits(lower: -128, upper: 127) == (8, true))
        #expect(IntegerFormat.requiredBits(lower: -129, upper: 0) == (9, true))
        #expect(IntegerFormat.requiredBits(lower: -1, upper: 128) == (9, true))
        #expect(IntegerFormat.requiredBits(lower: Int.min, upper: Int.max) == (64, true))
    }
}
