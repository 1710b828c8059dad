import Testing
@testable import PQ

@Suite struct NPYHeaderTests {
    @Test func parsesWhatNumPyWrites() throws {
        let h = try NPYHeader.parse("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }          \n", file: "f")
        #expect(h == NPYHeader(descr: "<f8", fortranOrder: false, shape: [2, 3]))
        #expect(try NPYHeader.parse("{'descr': '|u1', 'fortran_order': True, 'shape': (5,), }", file: "f").shape == [5])
        #expect(try NPYHeader.parse("{'shape': (), 'descr': \"<i4\", 'fortran_order': False}", file: "f").shape == [])
        #expect(try NPYHeader.parse("{'descr':'<i8','fortran_order':False,'shape':(3L, 4L)}", file: "f").shape == [3, 4])
    }

    @Test func formatsLikeNumPy() {
        #expect(NPYHeader(descr: "<f8", fortranOrder: false, shape: [2, 3]).dictionary
            == "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }")
        #expect(NPYHeader(descr: "|i1", fortranOrder: false, shape: [7]).dictionary
            == "{'descr': '|i1', 'fortran_order': False, 'shape': (7,), }")
        #expect(NPYHeader(descr: "<f8", fortranOrder: false, shape: []).dictionary
            == "{'descr': '<f8', 'fortran_order': False, 'shape': (), }")
    }

    @Test(arguments: [
        ("{'descr': '<f8', 'fortran_order': False}", "shape"),
        ("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", "fortran_order"),
        ("{'descr': 3, 'fortran_order': False, 'shape': (1,)}", "descr"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", "shape"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", "shape"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "extra"),
        ("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,)}", "True or False"),
        ("{'descr': '<f8' 'fortran_order': False}", "dictionary"),
        ("('descr', '<f8')", "dictionary"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} trailing", "dictionary"),
        ("{'descr': '<f8", "dictionary"),
    ])
    func rejectsMalformedDictionaries(text: String, mentions: String) {
        let error = #expect(throws: NPYError.self) { try NPYHeader.parse(text, file: "bad.npy") }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("bad.npy: bad header dict"), "\(message)")
        #expect(message.contains(mentions), "\(message)")
    }

    @Test func structuredDTypeIsUnsupported() {
        let error = #expect(throws: NPYError.self) {
            try NPYHeader.parse("{'descr': [('a', '<i4'), ('b', '<f8')], 'fortran_order': False, 'shape': (2,), }", file: "s.npy")
        }
        #expect(error?.description.contains("unsupported dtype a structured dtype") == true)
    }
}
