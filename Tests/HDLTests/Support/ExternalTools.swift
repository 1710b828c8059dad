import Foundation

/// Runs the system's HDL tools from tests. In CI (`CI=true`) a missing tool
/// fails the test; elsewhere the test is skipped, since the README's test
/// command installs the tools first.
enum ExternalTools {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func path(of tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether tests needing `tool` should run.
    static func available(_ tool: String) -> Bool { isCI || path(of: tool) != nil }

    /// Runs `tool` with `arguments` in `directory`; returns the exit status and
    /// the combined output.
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        guard let executable = path(of: tool) else {
            return (127, "\(tool) is not installed; run scripts/setup.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()  // read before waiting
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
