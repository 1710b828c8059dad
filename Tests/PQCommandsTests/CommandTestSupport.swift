import ArgumentParser
import Foundation
import PQ
import Testing
@testable import PQCommands

/// A scratch folder and helpers to run commands as the command line would.
struct Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pq-commands-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, floats: [Double], shape: [Int]) throws {
        try NPYArray(floats: floats, shape: shape).write(to: url.appendingPathComponent(name))
    }

    func write(_ name: String, integers: [Int], shape: [Int], dtype: NPYDType = .int32) throws {
        try NPYArray(integers: integers, shape: shape, dtype: dtype).write(to: url.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> NPYArray { try NPYArray.read(from: url.appendingPathComponent(name)) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    func entries() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }

    /// Parses and runs `arguments` under `Root`, as `pqa` would.
    static func run<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) throws {
        var command = try root.parseAsRoot(arguments)
        try command.run()
    }

    /// Runs and returns the message and exit code the command line would print, or nil on success.
    static func failure<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) -> (message: String, code: Int32)? {
        do {
            try run(root, arguments)
            return nil
        } catch {
            return (root.message(for: error), root.exitCode(for: error).rawValue)
        }
    }
}

/// Deterministic Gaussian values.
func gaussian(_ count: Int, seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in generator.nextGaussian() }
}
