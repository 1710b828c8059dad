import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

@Suite struct AcceleratorSessionTests {
    /// Two random layers per round, three rounds, each next program queued
    /// before the current columns run: every output equals the golden model's.
    @Test func layersBackToBackMatchTheGoldenModel() throws {
        let configuration = try smallConfiguration()
        let session = try AcceleratorSession(configuration, engine: .interpreter)
        var random = RandomLayer(seed: 3)
        let shapes = [try PQShape(ls: 5, np: 6, ns: 5, cout: 7), try PQShape(ls: 3, np: 4, ns: 4, cout: 5, inputLength: 10)]
        let layers = try shapes.map { try random.layer($0, for: configuration) }
        try session.load(layers[0], columns: 3)
        for round in 0..<3 {
            for (index, layer) in layers.enumerated() {
                let next = layers[(index + 1) % layers.count]
                if round < 2 || index == 0 { try session.load(next, columns: 3) }
                let columns = random.columns(3, shape: layer.shape, format: configuration.formats.activation)
                let observed = try session.run(columns: columns)
                #expect(try observed == layer.outputs(columns: Matrix(rowArrays: columns)).rowArrays, "round \(round), layer \(index)")
            }
        }
    }

    @Test func misuseIsATypedError() throws {
        let configuration = try smallConfiguration()
        let session = try AcceleratorSession(configuration, engine: .interpreter)
        #expect(throws: AcceleratorSessionError.nothingLoaded) { try session.run(columns: [[0]]) }
        var random = RandomLayer(seed: 4)
        let layer = try random.layer(try PQShape(ls: 2, np: 2, ns: 2, cout: 2), for: configuration)
        try session.load(layer, columns: 2)
        #expect(throws: AcceleratorSessionError.columnCountMismatch(loaded: 2, fed: 1)) { try session.run(columns: [[0, 0, 0, 0]]) }
        #expect(throws: AcceleratorSessionError.unsupportedEngine(.icarus)) { try AcceleratorSession(configuration, engine: .icarus) }
    }
}
