import HDL
import PQ
@testable import PQA
import Testing

@Suite struct PQACoreTests {
    @Test func defaultDesignElaborates() throws {
        let core = try PQACore(.default)
        do {
            let netlist = try core.elaborate()
            #expect(netlist.name == "pqa_core")
        } catch {
            Issue.record("\(error)")
        }
    }
}
