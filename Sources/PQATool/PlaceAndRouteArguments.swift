import ArgumentParser

/// The nextpnr options `pqa pnr` and `pqa compare` share.
struct PlaceAndRouteArguments: ParsableArguments {
    @Option(name: .long, help: "Target clock frequency in MHz (Fmax is reported whatever it is).")
    var frequency = 100.0

    @Option(name: .long, help: "ECP5 speed grade: 6 (nextpnr's default), 7 or 8.")
    var speed = 6

    @Option(name: .long, help: "nextpnr's placement seed.")
    var seed = 1

    @Option(name: .long, help: "The nextpnr binary (default: the device's, found on PATH).")
    var nextpnr: String?

    @Option(name: .long, help: "Seconds nextpnr may run on one design before it is stopped with an error (its router can circle for hours on a placement it cannot route).")
    var timeLimit = 3600.0

    func validate() throws {
        guard frequency > 0 && frequency <= 1000 else { throw ValidationError("--frequency must be in (0, 1000] MHz, got \(frequency)") }
        guard (6...8).contains(speed) else { throw ValidationError("--speed must be 6, 7 or 8 (the ECP5 speed grade), got \(speed)") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be a positive number of seconds, got \(timeLimit)") }
    }
}
