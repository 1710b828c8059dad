import HDL

/// Seeded random stimulus: every input gets a random value over its full range
/// each cycle, with the extremes drawn far more often than chance, and reset
/// pulsed now and then.
public struct RandomStimulus {
    /// The seed every choice follows; print it with any failure.
    public let seed: UInt64
    private var random: SeededGenerator

    /// Stimulus that `seed` fixes.
    public init(seed: UInt64) {
        self.seed = seed
        random = SeededGenerator(seed: seed)
    }

    /// Resets `simulator`, then drives random inputs for `cycles` edges.
    /// `resetProbability` is the chance per cycle of a reset pulse.
    public mutating func drive(_ simulator: any Simulator, cycles: Int, resetProbability: Double = 0.02) throws(SimulationError) {
        simulator.reset(cycles: 2)
        for _ in 0..<cycles {
            for port in simulator.netlist.inputs {
                try simulator.poke(port.name, random.bits(width: port.type.width))
            }
            if simulator.netlist.usesReset {
                try simulator.poke("rst", Double.random(in: 0..<1, using: &random) < resetProbability ? 1 : 0)
            }
            simulator.step(1)
        }
    }

    /// A random `Bool` that is true with probability `probability`, for
    /// valid/ready patterns.
    public mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &random) < probability
    }
}
