import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

@Suite struct PQAGeneratorTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rtl/pqa_default")

    @Test func committedDefaultDesignIsUpToDate() throws {
        let files = try PQAGenerator.files(for: .default)
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.committed.path).sorted()
        #expect(names == files.files.map(\.name).sorted(), "rtl/pqa_default is stale; run: swift run pqa generate")
        for file in files.files {
            let committed = try? String(contentsOf: Self.committed.appendingPathComponent(file.name), encoding: .utf8)
            #expect(committed == file.contents, "rtl/pqa_default/\(file.name) is stale; run: swift run pqa generate")
        }
    }

    @Test func generationIsDeterministic() throws {
        let configuration = try randomConfiguration(seed: 4)
        #expect(try PQAGenerator.files(for: configuration).files.map(\.contents) == PQAGenerator.files(for: configuration).files.map(\.contents))
    }

    @Test func manifestDescribesTheDesign() throws {
        let files = try PQAGenerator.files(for: .default)
        let manifest = try #require(files.files.first { $0.name == "manifest.json" }?.contents)
        let object = try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any]
        #expect(object?["top"] as? String == "pqa_core")
        #expect((object?["loadBeat"] as? [[String: Any]])?.map { $0["name"] as? String } == ["kind", "index", "address", "data"])
        #expect((object?["ports"] as? [[String: Any]])?.contains { $0["name"] as? String == "m_axis_out_tdata" } == true)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] == "true" || ExternalTool.locate("verilator") != nil))
    func generatedDesignsLintClean() throws {
        for configuration in [PQAConfiguration.default] + (1...6).map({ try? randomConfiguration(seed: $0) }).compactMap({ $0 }) {
            let files = try PQAGenerator.files(for: configuration)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-lint-\(UUID().uuidString)")
            try files.write(to: folder)
            let output = try ExternalTool.run("verilator", ["--lint-only", "-Wall", "--top-module", "pqa_core"] + files.verilogFiles, in: folder)
            #expect(output.isEmpty, "\(output)")
            try? FileManager.default.removeItem(at: folder)
        }
    }
}
