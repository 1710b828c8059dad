/// The example designs that ship with the library, by name: used by tests,
/// the `pqa generate --example` command and the documentation.
public enum Examples {
    /// One example: its name, what it shows, and its default configuration.
    public struct Entry: Sendable {
        /// Name used on the command line.
        public let name: String
        /// One line saying what it is.
        public let summary: String
        /// Builds the default configuration.
        public let make: @Sendable () -> any HardwareModule
    }

    /// Every example, in a stable order.
    public static let all: [Entry] = [
        Entry(name: "counter", summary: "8-bit up-counter with enable") { Counter() },
        Entry(name: "fifo", summary: "stream FIFO, depth 4, 8-bit payload with last") { StreamFIFO() },
        Entry(name: "argmin", summary: "64-input argmin tree of 16-bit values, a register every 2 levels") { ArgminTree() },
        Entry(name: "mac", summary: "two-stage signed 8x8 multiply-accumulate into 24 bits") { PipelinedMAC() },
    ]

    /// The example called `name`, if any.
    public static func named(_ name: String) -> Entry? { all.first { $0.name == name } }
}
