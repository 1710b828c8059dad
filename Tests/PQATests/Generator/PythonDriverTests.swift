import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// The generated Python driver: for random layers of random configurations,
/// read from a layer folder as pqa writes it, its load and activation beats
/// are bit-identical to the Swift packing and it unpacks output beats to the
/// golden model's outputs; bad input is a ValueError naming the field.
@Suite(.serialized, .enabled(if: toolRuns("python3", ["-c", "import numpy"]))) struct PythonDriverTests {
    /// Prints what the driver makes of the layer folder, columns and output beats in the current folder.
    static let harness = #"""
        import json
        import numpy as np
        import pqa_driver as driver

        case = json.load(open("case.json"))
        layer = driver.read_layer("layer")
        beats = driver.load_beats(**layer, columns=len(case["columns"]))
        print(f"load {len(beats)}")
        for beat in beats:
            print(driver.tdata_bytes(beat, driver.LOAD_TDATA_BITS)[::-1].hex())
        ns = layer["table"].shape[0]
        ls = layer["ls"] if driver.ENCODER == "tree" else layer["prototypes"].shape[2]
        for index, column in enumerate(case["columns"]):
            beats = driver.activation_beats(np.array(column, dtype=np.int64), ls, ns)
            print(f"column {index} {len(beats)}")
            for beat in beats:
                print(driver.tdata_bytes(beat, driver.ACT_TDATA_BITS)[::-1].hex())
        for index, hexes in enumerate(case["outputs"]):
            beats = [int(text, 16) for text in hexes]
            values = driver.output_values(beats, layer["table"].shape[-1])
            assert [driver.tdata_bytes(beat, driver.OUT_TDATA_BITS)[::-1].hex() for beat in driver.output_beats(values)] == hexes
            print(f"outputs {index} " + " ".join(str(v) for v in values))
        try:
            driver.load_beats(**dict(layer, multiplier=0), columns=1)
            raise SystemExit("multiplier 0 was accepted")
        except ValueError as error:
            assert "multiplier" in str(error), error
        """#

    @Test(arguments: [0] + Array(1...8) as [UInt64])
    func driverPacksLikeSwift(seed: UInt64) throws {
        try check(DriverCase(seed: seed))
    }

    /// Tree encoders: splits and thresholds packed into tree words as `LayerProgram` packs them.
    @Test(arguments: Array(1...4) as [UInt64])
    func driverPacksTreesLikeSwift(seed: UInt64) throws {
        try check(DriverCase(seed: seed, tree: true))
    }

    private func check(_ driver: DriverCase) throws {
        let seed = driver.seed
        let folder = try driver.writeDesign()
        defer { try? FileManager.default.removeItem(at: folder) }
        try LayerFolder.write(.integer(driver.layer), to: folder.appendingPathComponent("layer"))
        let outputs = driver.outputBeats.map { "[" + $0.map { "\"\($0.hexString)\"" }.joined(separator: ", ") + "]" }
        let columns = driver.columns.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }
        try "{\"columns\": [\(columns.joined(separator: ", "))], \"outputs\": [\(outputs.joined(separator: ", "))]}"
            .write(to: folder.appendingPathComponent("case.json"), atomically: true, encoding: .utf8)
        try Self.harness.write(to: folder.appendingPathComponent("harness.py"), atomically: true, encoding: .utf8)
        let printed = try ExternalTool.run("python3", ["harness.py"], in: folder)
        let difference = try driver.firstDifference(printed)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
