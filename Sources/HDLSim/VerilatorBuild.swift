import Foundation
import HDL

/// Builds a design into a shared library with Verilator and g++, caching
/// everything it can:
/// - Verilator's runtime (`verilated.cpp` and friends) is compiled once per
///   Verilator and compiler version into a position-independent static library;
/// - each design's library is cached by a hash of its Verilog, the wrapper,
///   the flags and both tool versions.
///
/// The cache lives in `$PQA_CACHE_DIR`, else `$XDG_CACHE_HOME/pqa`, else
/// `~/.cache/pqa`; deleting it is always safe.
public enum VerilatorBuild {
    /// How a library was obtained, for build-time figures.
    public enum Outcome: String, Sendable {
        /// Runtime and design both compiled.
        case cold
        /// Runtime taken from the cache, design compiled.
        case runtimeCached
        /// The whole library taken from the cache.
        case cached
    }

    static let verilatorFlags = ["--cc", "--trace", "-O3", "--x-assign", "0", "--x-initial", "0",
                                 "--prefix", VerilatorWrapper.prefix]
    static let compilerFlags = ["-std=gnu++17", "-O2", "-fPIC", "-fvisibility=hidden", "-fvisibility-inlines-hidden",
                                "-DVM_COVERAGE=0", "-DVM_SC=0", "-DVM_TRACE=1", "-DVM_TRACE_FST=0", "-DVM_TRACE_VCD=1",
                                "-Wno-attributes"]

    /// The cache folder.
    public static var cacheDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["PQA_CACHE_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let path = environment["XDG_CACHE_HOME"], !path.isEmpty { return URL(fileURLWithPath: path).appendingPathComponent("pqa") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/pqa")
    }

    /// Deletes every cached runtime and design library.
    public static func clearCache() throws {
        let folder = cacheDirectory.appendingPathComponent("verilator")
        if FileManager.default.fileExists(atPath: folder.path) { try FileManager.default.removeItem(at: folder) }
    }

    /// The shared library for `netlist`, built if not cached.
    static func library(for netlist: Netlist) throws -> (path: URL, outcome: Outcome) {
        let root = cacheDirectory.appendingPathComponent("verilator")
        let verilatorVersion = try ExternalTool.run("verilator", ["--version"], in: root.deletingLastPathComponent().existingOrTemporary)
        let compilerVersion = try ExternalTool.run("g++", ["--version"], in: root.deletingLastPathComponent().existingOrTemporary)
        var toolHash = ContentHash()
        [verilatorVersion, compilerVersion].forEach { toolHash.add($0) }
        compilerFlags.forEach { toolHash.add($0) }

        let modelFolder = root.appendingPathComponent("model-\(netlist.name)-\(designHash(netlist, tools: toolHash))")
        let library = modelFolder.appendingPathComponent("libpqa_\(modelFolder.lastPathComponent).so")
        if FileManager.default.fileExists(atPath: library.path) { return (library, .cached) }

        let (runtime, runtimeWasCached) = try runtimeLibrary(in: root.appendingPathComponent("runtime-\(toolHash.hex)"))
        try build(netlist, into: modelFolder, library: library.lastPathComponent, runtime: runtime)
        return (library, runtimeWasCached ? .runtimeCached : .cold)
    }

    private static func designHash(_ netlist: Netlist, tools: ContentHash) -> String {
        var hash = tools
        // Image paths point into the model folder, which the hash names: hash
        // the design without them, plus the images themselves.
        for file in DesignFiles(top: netlist).files { hash.add(file.name); hash.add(file.contents) }
        hash.add(VerilatorWrapper(netlist).source)
        verilatorFlags.forEach { hash.add($0) }
        return String(hash.hex.prefix(24))
    }

    private static var verilatorRoot: String {
        get throws {
            let root = try ExternalTool.run("verilator", ["--getenv", "VERILATOR_ROOT"], in: FileManager.default.temporaryDirectory)
            return root.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private static func includeFlags(_ root: String) -> [String] { ["-I\(root)/include", "-I\(root)/include/vltstd"] }

    /// The cached static runtime, compiled on first use.
    private static func runtimeLibrary(in folder: URL) throws -> (URL, Bool) {
        let archive = folder.appendingPathComponent("libverilated.a")
        if FileManager.default.fileExists(atPath: archive.path) { return (archive, true) }
        let root = try verilatorRoot
        let staging = try stagingFolder(for: folder)
        let sources = ["verilated.cpp", "verilated_vcd_c.cpp", "verilated_threads.cpp"]
        try compileInParallel(sources.map { "\(root)/include/\($0)" }, flags: compilerFlags + includeFlags(root), in: staging)
        try ExternalTool.run("ar", ["rcs", "libverilated.a"] + sources.map { ($0 as NSString).deletingPathExtension + ".o" }, in: staging)
        try publish(staging, as: folder)
        return (archive, false)
    }

    private static func build(_ netlist: Netlist, into folder: URL, library: String, runtime: URL) throws {
        let staging = try stagingFolder(for: folder)
        let generated = staging.appendingPathComponent("generated")
        let design = DesignFiles(top: netlist, imageDirectory: folder.path)
        try design.write(to: staging.appendingPathComponent("rtl"))
        for file in DesignFiles(top: netlist).files where file.name.hasSuffix(".hex") {
            try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
        }
        try ExternalTool.run("verilator", verilatorFlags + ["--top-module", netlist.name, "--Mdir", generated.path]
                             + design.verilogFiles.map { "rtl/\($0)" }, in: staging)
        let wrapper = VerilatorWrapper(netlist)
        try Data(wrapper.source.utf8).write(to: staging.appendingPathComponent("pqa_wrapper.cpp"))
        try Data(wrapper.exportMap.utf8).write(to: staging.appendingPathComponent("exports.map"))
        let root = try verilatorRoot
        // One translation unit: Verilator's headers are parsed once, which
        // makes a design build several times faster than file by file.
        let generatedSources = try FileManager.default.contentsOfDirectory(atPath: generated.path)
            .filter { $0.hasSuffix(".cpp") }.sorted()
        let unity = (generatedSources.map { "generated/\($0)" } + ["pqa_wrapper.cpp"]).map { "#include \"\($0)\"\n" }.joined()
        try Data(unity.utf8).write(to: staging.appendingPathComponent("pqa_unity.cpp"))
        try ExternalTool.run("g++", compilerFlags + includeFlags(root) + ["-Igenerated", "-c", "pqa_unity.cpp", "-o", "pqa_unity.o"],
                             in: staging)
        try ExternalTool.run("g++", ["-shared", "-o", library, "pqa_unity.o", runtime.path,
                                    "-Wl,--version-script=exports.map", "-pthread", "-latomic"], in: staging)
        try publish(staging, as: folder)
    }

    /// Compiles each source to an object in `folder`, two at a time (the
    /// runtime, once per toolchain).
    private static func compileInParallel(_ sources: [String], flags: [String], in folder: URL) throws {
        let failures = FailureBox()
        DispatchQueue.concurrentPerform(iterations: min(2, sources.count)) { lane in
            for source in sources.enumerated().filter({ $0.offset % 2 == lane }).map(\.element) {
                let object = ((source as NSString).lastPathComponent as NSString).deletingPathExtension + ".o"
                do {
                    try ExternalTool.run("g++", flags + ["-c", source, "-o", object], in: folder)
                } catch {
                    failures.record(error)
                }
            }
        }
        if let error = failures.first { throw error }
    }

    private static func stagingFolder(for folder: URL) throws -> URL {
        let staging = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    /// Moves a finished build into place; another process may have won the race.
    private static func publish(_ staging: URL, as folder: URL) throws {
        do {
            try FileManager.default.moveItem(at: staging, to: folder)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            if !FileManager.default.fileExists(atPath: folder.path) { throw error }
        }
    }
}

/// Collects the first error thrown by concurrent work.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []
    func record(_ error: any Error) { lock.lock(); errors.append(error); lock.unlock() }
    var first: (any Error)? { lock.lock(); defer { lock.unlock() }; return errors.first }
}

extension URL {
    /// This folder if it exists, else the temporary folder: somewhere to run a version query.
    fileprivate var existingOrTemporary: URL {
        FileManager.default.fileExists(atPath: path) ? self : FileManager.default.temporaryDirectory
    }
}
