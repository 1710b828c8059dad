import Foundation

/// The files of an emitted design: one `.v` per module (children first), a
/// `$readmemh` image per ROM, and a filelist `<top>.f` naming the Verilog files
/// in compilation order.
public struct DesignFiles: Sendable {
    /// File name and contents, in a stable order.
    public private(set) var files: [(name: String, contents: String)]
    /// The top module's name.
    public let topName: String
    /// Whether the top module has the clock port `clk`.
    public let usesClock: Bool
    /// Whether the top module has the reset port `rst`.
    public let usesReset: Bool

    /// Emits `top` and every module below it; see `VerilogEmitter.emit` for
    /// `imageDirectory` and `options`.
    public init(top: Netlist, imageDirectory: String? = nil, options: VerilogOptions = VerilogOptions()) {
        var files: [(String, String)] = []
        var sources: [String] = []
        for module in top.hierarchy {
            let fileName = "\(module.name).v"
            files.append((fileName, VerilogEmitter.emit(module, imageDirectory: imageDirectory, options: options)))
            sources.append(fileName)
            for memory in module.memories {
                guard let contents = memory.initialContents else { continue }
                files.append((VerilogEmitter.imageFileName(module: module.name, memory: memory.name),
                              VerilogEmitter.memoryImage(contents)))
            }
        }
        files.append(("\(top.name).f", sources.map { $0 + "\n" }.joined()))
        self.files = files
        self.topName = top.name
        self.usesClock = top.usesClock
        self.usesReset = top.usesReset
    }

    /// An empty set of files for a design named `topName`, to add files to;
    /// it has no Verilog, so no clock or reset port either.
    public init(named topName: String) {
        files = []
        self.topName = topName
        usesClock = false
        usesReset = false
    }

    /// The Verilog source file names, in compilation order.
    public var verilogFiles: [String] { files.map(\.name).filter { $0.hasSuffix(".v") } }

    /// Adds another file (a manifest, a data sheet) to the design.
    public mutating func add(_ name: String, contents: String) {
        files.append((name, contents))
    }

    /// Writes every file into `directory`, all or nothing: the files go to a
    /// temporary sibling folder first, which then replaces `directory`.
    public func write(to directory: URL) throws(OutputError) {
        try AtomicDirectory.write(directory) { staging in
            for file in files {
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
            }
        }
    }
}

/// A failure to write output files, naming the path and the cause.
public struct OutputError: Error, CustomStringConvertible {
    /// The file or folder involved.
    public let path: String
    /// What went wrong.
    public let reason: String
    public var description: String { "cannot write '\(path)': \(reason)" }

    /// An error writing `path`, for `reason`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Writing a whole folder so that readers see either the old one or the
/// complete new one, never half of it.
public enum AtomicDirectory {
    /// Fills a fresh temporary sibling of `directory` with `fill`, then moves it
    /// into place (replacing an existing folder). On failure nothing changes.
    public static func write(_ directory: URL, _ fill: (URL) throws -> Void) throws(OutputError) {
        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(UUID().uuidString)")
        let retired = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw OutputError(path: parent.path, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        do {
            try fill(staging)
        } catch {
            try? manager.removeItem(at: staging)
            throw OutputError(path: directory.path, reason: "\(error)")
        }
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            try? manager.removeItem(at: staging)
            throw OutputError(path: directory.path, reason: "a file (not a folder) is in the way; remove it or choose another --out")
        }
        do {
            if exists { try manager.moveItem(at: directory, to: retired) }
            try manager.moveItem(at: staging, to: directory)
            if exists { try? manager.removeItem(at: retired) }
        } catch {
            if exists && !manager.fileExists(atPath: directory.path) { try? manager.moveItem(at: retired, to: directory) }
            try? manager.removeItem(at: staging)
            throw OutputError(path: directory.path, reason: error.localizedDescription)
        }
    }
}
