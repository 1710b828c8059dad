import Foundation
import PQ
@testable import PQA
import Testing

@Suite struct PQAConfigurationTests {
    @Test func defaultIsValidAndRoundTripsThroughJSON() throws {
        try PQAConfiguration.default.validate()
        let json = try PQAConfiguration.default.json()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-config-\(UUID().uuidString).json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        let read = try PQAConfiguration.read(from: url)
        #expect(read == .default)
        #expect(try read.json() == json)
    }

    @Test func invalidFieldsAreNamed() {
        func changed(_ change: (inout PQAConfiguration) -> Void) -> PQAConfiguration {
            var configuration = PQAConfiguration.default
            change(&configuration)
            return configuration
        }
        let cases: [(String, PQAConfiguration, String)] = [
            ("parallelism.lsVec", changed { $0.parallelism.lsVec = 0 }, "is 0: must be 1...maxima.ls (9)"),
            ("parallelism.npVec", changed { $0.parallelism.npVec = 17 }, "is 17: must be 1...maxima.np (16)"),
            ("maxima.ls", changed { $0.maxima.ls = 0 }, "is 0: must be 1...1024"),
            ("maxima.columns", changed { $0.maxima.columns = -3 }, "is -3"),
            ("pipelining.adderLevelsPerStage", changed { $0.pipelining.adderLevelsPerStage = -1 }, "is -1"),
        ]
        for (field, configuration, message) in cases {
            do {
                try configuration.validate()
                Issue.record("\(field): accepted")
            } catch {
                #expect("\(error)".contains("'\(field)'"), "\(error)")
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func overflowingFormatsAreRejected() throws {
        var configuration = PQAConfiguration.default
        configuration.maxima.ls = 1024
        configuration.formats.activation = try .unsigned(16)
        configuration.formats.prototype = try .signed(16)
        configuration.multiplierBits = 32
        configuration.maxShift = 62
        configuration.formats.bias = try .signed(32)
        configuration.formats.entry = try .signed(16)
        configuration.maxima.ns = 4096
        #expect(throws: (any Error).self) { try configuration.validate() }
    }

    @Test func malformedFilesNameTheFieldAndFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        var object = try JSONSerialization.jsonObject(with: Data(try PQAConfiguration.default.json().utf8)) as? [String: Any] ?? [:]
        object["parallelism"] = ["lsVec": 3]
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        do {
            _ = try PQAConfiguration.read(from: url)
            Issue.record("a malformed file was accepted")
        } catch {
            #expect("\(error)".contains(url.path))
            #expect("\(error)".contains("parallelism.npVec") && "\(error)".contains("missing"), "\(error)")
        }
        #expect(throws: PQAConfigurationError.self) { try PQAConfiguration.read(from: URL(fileURLWithPath: "/nonexistent/c.json")) }
    }
}
