import Foundation
import PQ
import Testing
@testable import PQCommands

@Suite struct PQCommandTests {
    @Test func learnsALinearIntegerLayerWithRefitAndBias() throws {
        let s = try Scratch()
        defer { s.remove() }
        try s.write("w.npy", floats: gaussian(3 * 10, seed: 1), shape: [3, 10])
        try s.write("a.npy", floats: gaussian(80 * 10, seed: 2).map { max($0, 0) }, shape: [80, 10])
        try s.write("b.npy", floats: [0.5, -1, 2], shape: [3])
        try Scratch.run(PQCommand.self, [
            "learn", "--weights", s.path("w.npy"), "--activations", s.path("a.npy"), "--bias", s.path("b.npy"),
            "--ls", "4", "--np", "8", "--metric", "chebyshev", "--bits", "6,6,8,8", "--refit", "0.5", "--seed", "3",
            "--relu", "--per-subspace-scales", "--out", s.path("layer"),
        ])
        guard case let .integer(layer) = try LayerFolder.read(from: s.url.appendingPathComponent("layer")) else {
            Issue.record("expected an integer layer")
            return
        }
        #expect(layer.shape == (try PQShape(ls: 4, np: 8, ns: 3, cout: 3, inputLength: 10)))
        #expect(layer.metric == .chebyshev && layer.requantization.relu && layer.conv == nil)
        let (u6, s8, u8) = (try IntegerFormat.unsigned(6), try IntegerFormat.signed(8), try IntegerFormat.unsigned(8))
        #expect(layer.formats.activation == u6 && layer.formats.prototype == u6 && layer.formats.entry == s8)
        #expect(layer.formats.output == u8 && layer.scales?.input.count == 3)
    }

    @Test func learnsATreeEncoderThatReferenceEncodeRuns() throws {
        let s = try Scratch()
        defer { s.remove() }
        let x = gaussian(60 * 10, seed: 2)
        try s.write("w.npy", floats: gaussian(3 * 10, seed: 1), shape: [3, 10])
        try s.write("a.npy", floats: x, shape: [60, 10])
        try Scratch.run(PQCommand.self, [
            "learn", "--weights", s.path("w.npy"), "--activations", s.path("a.npy"), "--ls", "4", "--np", "4", "--encoder", "tree",
            "--bits", "6,6,8,8", "--out", s.path("layer"),
        ])
        guard case let .integer(layer) = try LayerFolder.read(from: s.url.appendingPathComponent("layer")) else {
            Issue.record("expected an integer layer")
            return
        }
        #expect(layer.encoder == .tree && layer.trees?.depth == 2)
        let columns = try layer.quantizeInputs(Matrix(rows: 60, columns: 10, values: x))
        try s.write("q.npy", integers: columns.values, shape: [60, 10], dtype: .int8)
        try Scratch.run(ReferenceCommand.self, ["encode", "--layer", s.path("layer"), "--inputs", s.path("q.npy"), "--out", s.path("c.npy")])
        #expect(try s.read("c.npy").elements == .integers(layer.encode(columns: columns).values))
        let both = try #require(Scratch.failure(ReferenceCommand.self, ["encode", "--layer", s.path("layer"), "--prototypes", s.path("w.npy"),
                                                                        "--inputs", s.path("q.npy"), "--out", s.path("d.npy")]))
        #expect(both.message.contains("give exactly one") && !s.exists("d.npy"))
        let odd = try #require(Scratch.failure(PQCommand.self, ["learn", "--weights", s.path("w.npy"), "--activations", s.path("a.npy"),
                                                                "--ls", "4", "--np", "6", "--encoder", "tree", "--out", s.path("odd")]))
        #expect(odd.message.contains("Np is 6") && odd.message.contains("power of two") && !s.exists("odd"))
    }

    @Test func learnErrorsAreReportedAndLeaveNoFolder() throws {
        let s = try Scratch()
        defer { s.remove() }
        try s.write("w.npy", floats: gaussian(3 * 10, seed: 1), shape: [3, 10])
        try s.write("a.npy", floats: gaussian(20 * 10, seed: 2), shape: [20, 10])
        try s.write("a9.npy", floats: gaussian(20 * 9, seed: 2), shape: [20, 9])
        try s.write("w4.npy", floats: gaussian(2 * 1 * 3 * 3, seed: 3), shape: [2, 1, 3, 3])
        try s.write("img.npy", floats: gaussian(2 * 2 * 5 * 5, seed: 4), shape: [2, 2, 5, 5])
        try s.write("b.npy", floats: [1, 2], shape: [2])
        let linear = ["learn", "--weights", s.path("w.npy"), "--activations", s.path("a.npy"), "--ls", "4", "--np", "4", "--out", s.path("out")]
        let conv = ["learn", "--weights", s.path("w4.npy"), "--ls", "9", "--np", "4", "--out", s.path("out")]
        let cases: [([String], String)] = [
            (linear + ["--bits", "8,8"], "--bits 8,8 is not valid"),
            (linear + ["--bits", "1"], "--bits 1 is not valid"),
            (linear + ["--bits", "17"], "each in 2...16"),
            (linear + ["--refit", "0"], "refit lambda is 0.0"),
            (linear + ["--bias", s.path("b.npy")], "b.npy: shape [2], expected [Cout] = [3]"),
            (["learn", "--weights", s.path("w.npy"), "--activations", s.path("a9.npy"), "--ls", "4", "--np", "4", "--out", s.path("out")],
             "activations has 9, expected 10 values per row"),
            (linear + ["--np", "0"], "Np is 0"),
            (linear + ["--conv"], "expected [Cout, Cin, kH, kW] for --conv"),
            (conv + ["--activations", s.path("img.npy")], "img.npy: shape [2, 2, 5, 5], expected [N, Cin=1"),
            (conv + ["--activations", s.path("a9.npy")], "--input-height/--input-width missing"),
            (conv + ["--activations", s.path("a9.npy"), "--input-height", "5", "--input-width", "5", "--kernel", "5"], "--kernel 5 is not valid"),
        ]
        for (arguments, message) in cases {
            let failure = try #require(Scratch.failure(PQCommand.self, arguments), "\(arguments) succeeded")
            #expect(failure.message.contains(message), "\(failure.message)")
            #expect(failure.code != 0)
        }
        #expect(!s.exists("out"))
        #expect(s.entries() == ["a.npy", "a9.npy", "b.npy", "img.npy", "w.npy", "w4.npy"])
        // Columns given directly for a convolution, with the input size as options.
        try Scratch.run(PQCommand.self, conv + ["--activations", s.path("a9.npy"), "--input-height", "5", "--input-width", "4"])
        #expect(try LayerFolder.read(from: s.url.appendingPathComponent("out")).conv?.inWidth == 4)
    }

    @Test func benchRunsOnTinySizes() throws {
        let failure = Scratch.failure(PQBenchCommand.self, ["--throughput-only", "--rows", "16"])
        #expect(failure == nil)
        let missing = try #require(Scratch.failure(PQBenchCommand.self, ["--rows", "16", "--workloads", "/nonexistent/workloads.json"]))
        #expect(missing.message.contains("/nonexistent/workloads.json"))
        #expect(Scratch.failure(PQBenchCommand.self, ["--rows", "0", "--throughput-only"]) != nil)
    }
}
