import Foundation
import PQ
import Testing
@testable import PQCommands

@Suite struct ReferenceCommandTests {
    @Test func encodeWritesInt32CodesForFloatAndIntegerInputs() throws {
        let s = try Scratch()
        defer { s.remove() }
        let protos = gaussian(3 * 4 * 2, seed: 1), x = gaussian(10 * 5, seed: 2)
        try s.write("p.npy", floats: protos, shape: [3, 4, 2])
        try s.write("x.npy", floats: x, shape: [10, 5])
        try Scratch.run(ReferenceCommand.self, ["encode", "--prototypes", s.path("p.npy"), "--inputs", s.path("x.npy"), "--metric", "l1", "--out", s.path("c.npy")])
        let codes = try s.read("c.npy")
        let expected = try Codebooks(ns: 3, np: 4, ls: 2, values: protos).encode(columns: Matrix(rows: 10, columns: 5, values: x), metric: .l1)
        #expect(codes.dtype == .int32 && codes.shape == [10, 3] && codes.elements == .integers(expected.values))

        let ip = protos.map { Int($0 * 10) }, ix = x.map { Int($0 * 10) }
        try s.write("ip.npy", integers: ip, shape: [3, 4, 2], dtype: .int8)
        try s.write("ix.npy", integers: ix, shape: [10, 5], dtype: .int16)
        try Scratch.run(ReferenceCommand.self, ["encode", "--prototypes", s.path("ip.npy"), "--inputs", s.path("ix.npy"), "--out", s.path("ic.npy")])
        let integerExpected = try Codebooks(ns: 3, np: 4, ls: 2, values: ip).encode(columns: Matrix(rows: 10, columns: 5, values: ix), metric: .l2)
        #expect(try s.read("ic.npy").elements == .integers(integerExpected.values))
    }

    @Test func encodeErrorsNameTheFileAndWriteNothing() throws {
        let s = try Scratch()
        defer { s.remove() }
        try s.write("p.npy", floats: gaussian(3 * 4 * 2, seed: 1), shape: [3, 4, 2])
        try s.write("x.npy", floats: gaussian(10 * 7, seed: 2), shape: [10, 7])
        try s.write("p2.npy", floats: gaussian(8, seed: 1), shape: [4, 2])
        try s.write("big.npy", integers: [1 << 20, 0, 0, 0, 0], shape: [1, 5], dtype: .int32)
        try s.write("ip.npy", integers: Array(repeating: 0, count: 24), shape: [3, 4, 2], dtype: .int8)
        let base = ["encode", "--out", s.path("c.npy")]
        let cases: [([String], String)] = [
            (["--prototypes", s.path("p.npy"), "--inputs", s.path("x.npy")], "x.npy: shape [10, 7], expected [N, D] with D in 5...6"),
            (["--prototypes", s.path("p2.npy"), "--inputs", s.path("x.npy")], "p2.npy: shape [4, 2], expected [Ns, Np, Ls]"),
            (["--prototypes", s.path("ip.npy"), "--inputs", s.path("big.npy")], "must fit 16 bits"),
            (["--prototypes", s.path("missing.npy"), "--inputs", s.path("x.npy")], "missing.npy: cannot read"),
            (["--prototypes", s.path("p.npy"), "--inputs", s.path("x.npy"), "--metric", "cosine"], "cosine"),
        ]
        for (arguments, message) in cases {
            let failure = try #require(Scratch.failure(ReferenceCommand.self, base + arguments))
            #expect(failure.message.contains(message), "\(failure.message)")
            #expect(failure.code != 0)
        }
        #expect(!s.exists("c.npy"))
        #expect(s.entries() == ["big.npy", "ip.npy", "p.npy", "p2.npy", "x.npy"])
    }

    @Test func layerRunsFloatAndIntegerFoldersOnColumnsAndImages() throws {
        let s = try Scratch()
        defer { s.remove() }
        // A conv layer learned through the pq command, integer and float.
        try s.write("w.npy", floats: gaussian(4 * 2 * 3 * 3, seed: 3), shape: [4, 2, 3, 3])
        try s.write("a.npy", floats: gaussian(3 * 2 * 6 * 6, seed: 4), shape: [3, 2, 6, 6])
        let learn = ["learn", "--weights", s.path("w.npy"), "--activations", s.path("a.npy"), "--ls", "9", "--np", "4", "--padding", "1"]
        try Scratch.run(PQCommand.self, learn + ["--out", s.path("float")])
        try Scratch.run(PQCommand.self, learn + ["--bits", "8", "--out", s.path("int")])
        guard case let .float(floatLayer) = try LayerFolder.read(from: s.url.appendingPathComponent("float")),
              case let .integer(intLayer) = try LayerFolder.read(from: s.url.appendingPathComponent("int")) else {
            Issue.record("wrong layer kinds")
            return
        }
        let images = gaussian(2 * 2 * 6 * 6, seed: 5)
        try s.write("img.npy", floats: images, shape: [2, 2, 6, 6])
        try Scratch.run(ReferenceCommand.self, ["layer", "--layer", s.path("float"), "--inputs", s.path("img.npy"), "--out", s.path("fy.npy")])
        let fy = try s.read("fy.npy")
        #expect(fy.shape == [2, 4, 6, 6] && fy.dtype == .float64)
        #expect(fy.doubles == (try floatLayer.outputs(images: images, count: 2)))

        let columns = try intLayer.quantizeInputs(floatLayer.conv!.im2col(images: images, count: 2))
        try s.write("cols.npy", integers: columns.values, shape: [columns.rows, columns.columns], dtype: .int8)
        try Scratch.run(ReferenceCommand.self, ["layer", "--layer", s.path("int"), "--inputs", s.path("cols.npy"), "--out", s.path("iy.npy")])
        let iy = try s.read("iy.npy")
        let expected = try intLayer.outputs(columns: columns).values
        #expect(iy.shape == [72, 4] && iy.dtype == .int32 && iy.elements == .integers(expected))

        try Scratch.run(ReferenceCommand.self, ["layer", "--layer", s.path("int"), "--inputs", s.path("img.npy"), "--quantize", "--out", s.path("qy.npy")])
        let qy = try s.read("qy.npy")
        let folded = try intLayer.conv!.foldOutputs(intLayer.outputs(columns: columns))
        #expect(qy.shape == [2, 4, 6, 6] && qy.elements == .integers(folded))

        let failure = try #require(Scratch.failure(ReferenceCommand.self, ["layer", "--layer", s.path("int"), "--inputs", s.path("img.npy"), "--out", s.path("bad.npy")]))
        #expect(failure.message.contains("img.npy: dtype float64, expected integers for an integer layer"), "\(failure.message)")
        let wrong = try #require(Scratch.failure(ReferenceCommand.self, ["layer", "--layer", s.path("nowhere"), "--inputs", s.path("img.npy"), "--out", s.path("bad.npy")]))
        #expect(wrong.message.contains("nowhere/layer.json: missing"), "\(wrong.message)")
        try s.write("short.npy", floats: gaussian(10, seed: 1), shape: [2, 5])
        let short = try #require(Scratch.failure(ReferenceCommand.self, ["layer", "--layer", s.path("float"), "--inputs", s.path("short.npy"), "--out", s.path("bad.npy")]))
        #expect(short.message.contains("columns has 5, expected D = 18"), "\(short.message)")
        #expect(!s.exists("bad.npy"))
    }
}
