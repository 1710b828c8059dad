import Foundation

/// The clock a compared design runs at, and how it was obtained.
public struct DesignClock: Codable, Sendable {
    /// The clock, in MHz.
    public let mhz: Double
    /// 1: the design itself was placed and routed (or runs at the nominal
    /// clock); `f > 1`: a replica with `1/f` of its lanes was (see
    /// `ComparisonHardware.scaled(by:)`).
    public let scale: Int
    /// The replica's parallelism and largest layer, when `scale > 1`.
    public let replica: String?
    /// Fmax and nextpnr's report; nil for the nominal clock.
    public let placeAndRoute: PlaceAndRouteReport?
    /// Why the design itself was not the one timed.
    public let reason: String?

    /// The nominal clock: no place and route.
    static func nominal(_ mhz: Double) -> DesignClock { DesignClock(mhz: mhz, scale: 1, replica: nil, placeAndRoute: nil, reason: nil) }

    /// The fullest logic, memory or DSP resource of the timed design: `TRELLIS_COMB 62 %`.
    public var fill: String? {
        guard let report = placeAndRoute else { return nil }
        let shares = PlaceAndRoute.limitingCells(report.device).compactMap { cell -> (String, Double)? in
            guard let counts = report.utilization[cell], counts.count == 2, counts[1] > 0 else { return nil }
            return (cell, Double(counts[0]) / Double(counts[1]))
        }
        return shares.max { $0.1 < $1.1 }.map { "\($0.0) \(Int((100 * $0.1).rounded())) %" }
    }

    /// The same clock, with another reason.
    func because(_ reason: String) -> DesignClock {
        DesignClock(mhz: mhz, scale: scale, replica: replica, placeAndRoute: placeAndRoute, reason: reason)
    }
}

/// Where the search for a design's clock ended.
enum ClockSearch {
    /// The clock.
    case found(DesignClock)
    /// A place and route that has not run yet (`scale`: the replica it needs).
    case missing(scale: Int)
    /// No replica of the design fits the device.
    case impossible(String)
}

/// How a comparison clocks its designs: each placed and routed on the
/// device, or a replica with fewer lanes when the design does not fit it
/// (or fills more than the utilization limit); without a device, the nominal clock.
struct ComparisonClocking: Sendable {
    let placement: PlaceAndRouteOptions?
    let nominalMHz: Double
    let cache: MeasurementCache

    /// The clock of `hardware`, trying replicas from `1/first` of its lanes
    /// down (`first` above 1 when the comparison starts there, or to match
    /// another design); with `run` false only what the cache holds.
    ///
    /// A replica that does not fit, or fills a resource beyond the limit, by a
    /// share `s` of what is allowed is followed by one with `2^ceil(log2 s)`
    /// times fewer lanes (at least half), since lanes take nearly all of a
    /// large design.
    func clock(_ hardware: ComparisonHardware, from first: Int = 1, run: Bool) throws -> ClockSearch {
        guard let placement else { return .found(.nominal(nominalMHz)) }
        var scale = first, reasons: [String] = []
        var reason: String? { reasons.isEmpty ? nil : reasons.joined(separator: "; ") }
        while true {
            guard let replica = try hardware.scaled(by: scale) else {
                return .impossible((reason.map { $0 + "; " } ?? "") + "no replica with 1/\(scale) of its lanes can be built")
            }
            let core = try replica.core()
            let outcome = run ? try cache.placeAndRoute(core, placement) : try cache.cachedPlaceAndRoute(core, placement)
            guard let outcome else { return .missing(scale: scale) }
            if let report = outcome.report {
                return .found(DesignClock(mhz: report.fmaxMHz, scale: scale, replica: scale > 1 ? "\(replica.parallelism); \(replica.maxima)" : nil,
                                          placeAndRoute: report, reason: reason))
            }
            guard let problem = outcome.problem else { return .impossible("place and route left neither a report nor a problem") }
            reasons.append((scale == 1 ? "the design itself: " : "1/\(scale) of its lanes: ") + Self.summary(problem))
            switch problem {
            case .doesNotFit(_, _, let used, let available):
                scale *= Self.shrinkFactor(used: used, allowed: Double(available))
            case .exceedsUtilizationLimit(_, _, let used, let available, let limit):
                scale *= Self.shrinkFactor(used: used, allowed: limit * Double(available))
            case .placementFailed:
                scale *= 2
            case .unsupported, .placeAndRouteTimedOut:
                return .impossible("\(problem)")
            }
        }
    }

    /// The power of two (at least 2) by which `used` must shrink to fit in `allowed`.
    static func shrinkFactor(used: Int, allowed: Double) -> Int {
        var factor = 2
        while Double(used) / Double(factor) > allowed { factor *= 2 }
        return factor
    }

    /// `fills 95 % of TRELLIS_COMB (limit 80 %)`.
    static func summary(_ problem: FlowError) -> String {
        switch problem {
        case .doesNotFit(let device, let resource, let used, let available):
            "needs \(used) \(resource) of the \(device)'s \(available)"
        case .placementFailed(let device, let resource, let used, let available):
            "could not be placed on the \(device) at \(100 * used / max(1, available)) % of its \(resource)"
        case .exceedsUtilizationLimit(_, let resource, let used, let available, let limit):
            "fills \(100 * used / max(1, available)) % of \(resource) (limit \(Int((100 * limit).rounded())) %)"
        case .unsupported, .placeAndRouteTimedOut:
            "\(problem)"
        }
    }
}
