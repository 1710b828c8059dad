import ArgumentParser
import Foundation
import PQ

/// `pqa bench npy`: `.npy` read and write throughput.
public struct NPYBenchCommand: ParsableCommand {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "npy",
        abstract: "Measure .npy read and write speed (float32 and int8, from and to the page cache).",
        discussion: "Build with -c release for meaningful figures.")

    @Option(help: "Size of each test file in MB.")
    var megabytes = 256

    /// Creates the command with default option values (the parser fills them in).
    public init() {}

    /// Runs the command.
    public func run() throws {
        guard megabytes >= 1 else { throw CommandError.invalidOption(option: "--megabytes", value: "\(megabytes)", allowed: "at least 1") }
        print("# .npy throughput, best of 3, file bytes per second (read from the page cache)")
        for figure in try NPYBenchmark.run(megabytes: megabytes) {
            print(String(format: "%-8@ %5.0f MB: as stored (NPYRawArray) write %5.2f GB/s, read %5.2f GB/s; as Int/Double (NPYArray) write %5.2f GB/s, read %5.2f GB/s",
                         figure.dtype.rawValue, Double(figure.bytes) / 1e6, figure.rawWriteRate / 1e9, figure.rawReadRate / 1e9,
                         figure.writeRate / 1e9, figure.readRate / 1e9))
        }
    }
}
