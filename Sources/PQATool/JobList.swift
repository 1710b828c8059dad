import Foundation

/// The `--emit-jobs` path `pqa explore` and `pqa compare` share: one
/// independent command line per unit of work, each runnable on any machine
/// that sees the same files, written to a file that `scripts/slurm-jobs.sh`
/// submits as a Slurm job array.
enum JobList {
    /// This program's path, so that job lines run it wherever they run.
    static var executable: String { Bundle.main.executablePath ?? "pqa" }

    /// `path` made absolute, so a job line works from any directory.
    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// A tool's name as given, or its path made absolute.
    static func tool(_ name: String) -> String { name.contains("/") ? absolute(name) : name }

    /// `word`, single-quoted for the shell unless it needs no quotes.
    static func quoted(_ word: String) -> String {
        !word.isEmpty && word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./,=@+:".contains($0) })
            ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A command line of `words`, each quoted as needed.
    static func line(_ words: [String]) -> String { words.map(quoted).joined(separator: " ") }

    /// Writes `lines` to `file` (its folder created) and says what to do next:
    /// submit them, then `then`.
    static func write(_ lines: [String], to file: URL, then: String) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try lines.map { $0 + "\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
        if lines.isEmpty {
            print("nothing is left to measure (\(file.path) is empty): \(then)")
        } else {
            print("wrote \(lines.count) jobs to \(file.path); submit them with scripts/slurm-jobs.sh \(file.path), then \(then)")
        }
    }
}
