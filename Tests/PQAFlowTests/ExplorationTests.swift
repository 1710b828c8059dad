import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HDLSim
import PQ
import PQA
@testable import PQAFlow
import Testing

/// A small network (scaled ResNet-20 layers) for sweeps that synthesize quickly.
func smallNetwork() throws -> [NetworkLayer] {
    [NetworkLayer(shape: try PQShape(ls: 3, np: 4, ns: 4, cout: 6), columns: 16),
     NetworkLayer(shape: try PQShape(ls: 3, np: 4, ns: 2, cout: 8), columns: 8)]
}

func result(_ id: String, cycles: Int, area: Double, parallelism: PQAConfiguration.Parallelism = .init(lsVec: 1, npVec: 1, nsVec: 1, outVec: 1))
    -> ExplorationResult {
    var configuration = PQAConfiguration.default
    configuration.parallelism = parallelism
    return ExplorationResult(id: id, configuration: configuration, target: .xilinx7, resources: [.lut: Int(area)], area: area,
                             fmaxMHz: nil, cycles: cycles, computeCycles: cycles)
}

@Suite struct ExplorationTests {
    static let space = ExplorationSpace(lsVec: [1, 3, 9], npVec: [2, 4], nsVec: [1], outVec: [4], bits: [.init(activation: 4, entry: 6)],
                                        metric: [.l1], target: .ice40)

    @Test func pointsClipParallelismToTheMaximaAndDropDuplicates() throws {
        let network = try smallNetwork()
        let configurations = try Self.space.configurations(for: network)
        // lsVec 3 and 9 both clip to Ls = 3: 2 distinct lsVec x 2 npVec.
        #expect(configurations.count == 4)
        #expect(configurations.allSatisfy { $0.parallelism.lsVec <= 3 && $0.maxima.ns == 4 && $0.maxima.cout == 8 && $0.maxima.columns == 16 })
        let ids = try configurations.map { try Self.space.pointID($0, network: "small", layers: network) }
        #expect(Set(ids).count == 4)
        #expect(try configurations.map { try Self.space.pointID($0, network: "small", layers: network) } == ids)
        // The same hardware for another network (other columns) is another point: its cycles differ.
        let other = [NetworkLayer(shape: network[0].shape, columns: 32), network[1]]
        #expect(try Self.space.pointID(configurations[0], network: "small", layers: other) != ids[0])
    }

    @Test func badSpacesNameTheField() throws {
        var space = Self.space
        space.nsVec = []
        #expect(throws: PQAConfigurationError.invalid(field: "nsVec", value: "[]", rule: "must list at least one value, each at least 1")) {
            try space.validate()
        }
        space = Self.space
        space.device = .ecp5_85k
        #expect(throws: PQAConfigurationError.self) { try space.validate() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-space-\(UUID().uuidString).json")
        try Data(#"{"lsVec": [1]}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect { try ExplorationSpace.read(from: file) } throws: { "\($0)".contains("npVec") && "\($0)".contains(file.path) }
    }

    @Test func paretoFrontKeepsPointsNoOtherBeats() {
        let results = [result("a", cycles: 100, area: 50), result("b", cycles: 200, area: 40), result("c", cycles: 150, area: 60),
                       result("d", cycles: 300, area: 40), result("e", cycles: 400, area: 10)]
        #expect(ExplorationReport.paretoFront(results).map(\.id) == ["a", "b", "e"])
        let csv = ExplorationReport.csv(results).split(separator: "\n")
        #expect(csv.count == 6 && csv[0].hasPrefix("id,metric"))
        #expect(csv[1].hasPrefix("a,") && csv[1].hasSuffix(",yes") && csv[3].hasPrefix("b,"))
    }

    @Test func paretoPlotIsWellFormedSVG() throws {
        let results = (1...6).map { result("p\($0)", cycles: 1000 * $0, area: 5000 / Double($0)) }
        let svg = ExplorationReport.svg(results, title: "a <test> & plot")
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(svg.components(separatedBy: "<circle").count - 1 == 6)
        #expect(svg.contains("<polyline"))
    }

    @Test func areaModelRecoversKnownCoefficients() throws {
        let truth = [900.0, 2.0, 3.0, 5.0, 7.0]
        var results: [ExplorationResult] = []
        for (index, (ls, np, ns, out)) in [(1, 2, 1, 4), (3, 4, 2, 8), (9, 16, 4, 16), (3, 16, 1, 4), (9, 2, 2, 16), (1, 8, 4, 8), (3, 8, 2, 4)]
            .enumerated() {
            var configuration = PQAConfiguration.default
            configuration.parallelism = .init(lsVec: ls, npVec: np, nsVec: ns, outVec: out)
            configuration.maxima.ns = 8 * (index + 1)
            let area = zip(truth, try AreaModel.features(configuration)).reduce(0) { $0 + $1.0 * $1.1 }
            results.append(ExplorationResult(id: "\(index)", configuration: configuration, target: .xilinx7, resources: [:], area: area,
                                             fmaxMHz: nil, cycles: 1, computeCycles: 1))
        }
        let fit = try AreaModel.fit(results)
        #expect(fit.meanError < 1e-6 && (fit.leaveOneOutMeanError ?? 1) < 1e-4, "\(fit.text)")
        for (fitted, expected) in zip(fit.model.coefficients, truth) { #expect(abs(fitted - expected) < 1e-3 * max(1, expected)) }
        #expect(throws: PQAConfigurationError.self) { try AreaModel.fit(Array(results.prefix(3))) }
    }

    /// A real sweep on iCE40 (fast to synthesize): every point measured,
    /// then a second run redoes nothing and emits no jobs.
    @Test(.enabled(if: yosysAvailable()))
    func sweepRunsInParallelAndResumes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-explore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let exploration = Exploration(network: "small", layers: try smallNetwork(), space: Self.space, directory: directory)
        let results = try exploration.runAll(jobs: 2) { _, _, _ in }
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0.area > 0 && $0.cycles > $0.computeCycles })
        let stamps = try results.map { try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("points/\($0.id).json").path)[.modificationDate] as? Date }
        let again = try exploration.runAll(jobs: 2) { _, _, id in Issue.record("point \(id) was measured again") }
        #expect(again == results)
        #expect(try results.map { try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("points/\($0.id).json").path)[.modificationDate] as? Date } == stamps)
        // The narrowest point (one element, two prototypes per cycle) is the slowest.
        let slowest = results.max { $0.cycles < $1.cycles }
        #expect(slowest?.configuration.parallelism.lsVec == 1 && slowest?.configuration.parallelism.npVec == 2)
    }

    /// The Slurm script submits one array task per job line; a stand-in
    /// sbatch runs the tasks.
    @Test func slurmScriptSubmitsOneTaskPerJob() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-slurm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sbatch = """
            #!/usr/bin/env bash
            array=""; script=""; for arg in "$@"; do case "$arg" in --array=*) array=${arg#--array=} ;; -*) ;; *) script=$arg ;; esac; done
            echo "$@" > "\(folder.path)/sbatch-arguments"
            for id in $(seq "${array%-*}" "${array#*-}"); do SLURM_ARRAY_TASK_ID=$id bash "$script"; done
            """
        try sbatch.write(to: folder.appendingPathComponent("bin/sbatch"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("bin/sbatch").path)
        let jobs = (1...3).map { "echo point\($0) > '\(folder.path)/done-\($0)'" }.joined(separator: "\n") + "\n"
        try jobs.write(to: folder.appendingPathComponent("jobs.txt"), atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/slurm-jobs.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, folder.appendingPathComponent("jobs.txt").path, "--partition=test"]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = folder.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for index in 1...3 {
            #expect(try String(contentsOf: folder.appendingPathComponent("done-\(index)"), encoding: .utf8) == "point\(index)\n")
        }
        let arguments = try String(contentsOf: folder.appendingPathComponent("sbatch-arguments"), encoding: .utf8)
        #expect(arguments.contains("--array=1-3") && arguments.contains("--partition=test"))
    }
}
