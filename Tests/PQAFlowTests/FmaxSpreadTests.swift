import HDL
import HDLSim
@testable import PQAFlow
import Testing

@Suite struct FmaxSpreadTests {
    @Test func lowestMedianAndHighestOfOddAndEvenCounts() {
        let odd = FmaxSpread(seeds: [1, 2, 3], fmaxMHz: [197.0, 209.0, 181.9])
        #expect(odd.lowest == 181.9 && odd.highest == 209.0 && odd.median == 197.0 && odd.lowestSeed == 3)
        #expect(odd.text == "fmax over 3 seeds: lowest 181.9 MHz (seed 3), median 197.0, highest 209.0")
        let even = FmaxSpread(seeds: [5, 6, 7, 8], fmaxMHz: [200.0, 190.0, 210.0, 190.0])
        #expect(even.median == 195.0 && even.lowestSeed == 6)
        let one = FmaxSpread(seeds: [4], fmaxMHz: [150.5])
        #expect(one.lowest == 150.5 && one.median == 150.5 && one.highest == 150.5)
        #expect(one.text == "fmax over 1 seed: lowest 150.5 MHz (seed 4), median 150.5, highest 150.5")
    }

    /// Several seeds run on one synthesis: a report per seed, in order, each
    /// placed with its own seed; no seeds at all is refused by name.
    @Test(.enabled(if: yosysAvailable() && nextpnrAvailable("nextpnr-ice40")))
    func eachSeedPlacesTheDesignOnce() throws {
        guard let mac = Examples.named("mac") else { throw FlowError.unsupported(field: "example", value: "mac", fix: "") }
        let reports = try PlaceAndRoute.run(mac.make(), device: .up5k, seeds: [3, 1])
        #expect(reports.count == 2)
        #expect(reports[0].command.contains("--seed 3") && reports[1].command.contains("--seed 1"))
        #expect(reports.allSatisfy { $0.fmaxMHz > 10 && $0.fmaxMHz < 500 })
        #expect(reports[0].synthesis.seconds == reports[1].synthesis.seconds && reports[0].synthesis.cells == reports[1].synthesis.cells, "one synthesis for both seeds")
        let spread = FmaxSpread(reports, seeds: [3, 1])
        #expect(spread.lowest == reports.map(\.fmaxMHz).min() && spread.seeds == [3, 1])
        #expect(throws: FlowError.unsupported(field: "seeds", value: "none", fix: "give at least one placement seed")) {
            try PlaceAndRoute.run(mac.make(), device: .up5k, seeds: [])
        }
    }
}
