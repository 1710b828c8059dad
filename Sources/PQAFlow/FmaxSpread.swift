import Foundation

/// How a design's Fmax moves with nextpnr's placement seed: one design
/// placed and routed with several seeds (`PlaceAndRoute.run(_:device:seeds:)`).
///
/// A design whose paths sit near one clock can close several per cent
/// apart on two seeds; the lowest is what a flow that does not pick its
/// seed can count on, the median what a typical placement gives.
public struct FmaxSpread: Codable, Sendable, Equatable {
    /// The seeds, in the order they ran.
    public let seeds: [Int]
    /// Fmax in MHz, one per seed.
    public let fmaxMHz: [Double]

    /// The spread of `fmaxMHz` over `seeds` (both of one length, at least one).
    public init(seeds: [Int], fmaxMHz: [Double]) {
        precondition(!seeds.isEmpty && seeds.count == fmaxMHz.count, "one Fmax per seed, at least one")
        self.seeds = seeds
        self.fmaxMHz = fmaxMHz
    }

    /// The spread of one design's reports, `reports[i]` placed with `seeds[i]`.
    public init(_ reports: [PlaceAndRouteReport], seeds: [Int]) {
        self.init(seeds: seeds, fmaxMHz: reports.map(\.fmaxMHz))
    }

    public var lowest: Double { fmaxMHz.min()! }
    public var highest: Double { fmaxMHz.max()! }

    /// The middle Fmax, or the mean of the two middle ones for an even count.
    public var median: Double {
        let sorted = fmaxMHz.sorted(), middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The seed whose placement closed lowest (the first of equals).
    public var lowestSeed: Int { seeds[fmaxMHz.firstIndex(of: lowest)!] }

    /// `fmax over 3 seeds: lowest 181.9 MHz (seed 3), median 197.0, highest 209.0`.
    public var text: String {
        String(format: "fmax over %d seed%@: lowest %.1f MHz (seed %d), median %.1f, highest %.1f",
               seeds.count, seeds.count == 1 ? "" : "s", lowest, lowestSeed, median, highest)
    }
}
