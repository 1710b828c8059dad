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

    func validate() throws {
        guard frequency > 0 && frequency <= 1000 else { throw ValidationError("--frequency must be in (0, 1000] MHz, got \(frequency)") }
        guard (6...8).contains(speed) else { throw ValidationError("--speed must be 6, 7 or 8 (the ECP5 speed grade), got \(speed)") }
    }
}
