import Foundation
import HDL

/// Builds a design into a shared library with Verilator and g++, caching
/// everything it can:
/// - Verilator's runtime (`verilated.cpp` and friends) is compiled once per
///   Verilator and compiler version into a position-independent static library;
/// - each design's library is cached by a hash of its Verilog, the wrapper,
///   the flags and both tool versions;
/// - a design is built without waveform support unless asked (tracing code is
///   most of a hierarchical design's C++), and its generated sources compile
///   as one translation unit per core, in parallel.
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

    static func verilatorFlags(tracing: Bool) -> [String] {
        ["--cc"] + (tracing ? ["--trace"] : []) + ["-O3", "--x-assign", "0", "--x-initial", "0", "--prefix", VerilatorWrapper.prefix]
    }
    static func compilerFlags(tracing: Bool) -> [String] {
        ["-std=gnu++17", "-O2", "-fPIC", "-fvisibility=hidden", "-fvisibility-inlines-hidden",
         "-DVM_COVERAGE=0", "-DVM_SC=0", "-DVM_TRACE=\(tracing ? 1 : 0)", "-DVM_TRACE_FST=0", "-DVM_TRACE_VCD=\(tracing ? 1 : 0)",
         "-Wno-attributes"]
    }
    /// The runtime always holds the waveform writer, for the models that trace.
    static let runtimeFlags = compilerFlags(tracing: true)

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

    /// The shared library for `netlist`, built if not cached; with
    /// `tracing`, one that can write waveforms.
    static func library(for netlist: Netlist, tracing: Bool) throws -> (path: URL, outcome: Outcome) {
        let root = cacheDirectory.appendingPathComponent("verilator")
        let verilatorVersion = try ExternalTool.run("verilator", ["--version"], in: root.deletingLastPathComponent().existingOrTemporary)
        let compilerVersion = try ExternalTool.run("g++", ["--version"], in: root.deletingLastPathComponent().existingOrTemporary)
        var toolHash = ContentHash()
        [verilatorVersion, compilerVersion].forEach { toolHash.add($0) }
        runtimeFlags.forEach { toolHash.add($0) }

        let variant = tracing ? "-traced" : ""
        let modelFolder = root.appendingPathComponent("model-\(netlist.name)\(variant)-\(designHash(netlist, tools: toolHash, tracing: tracing))")
        let library = modelFolder.appendingPathComponent("libpqa_\(modelFolder.lastPathComponent).so")
        if FileManager.default.fileExists(atPath: library.path) { return (library, .cached) }

        let (runtime, runtimeWasCached) = try runtimeLibrary(in: root.appendingPathComponent("runtime-\(toolHash.hex)"))
        try build(netlist, into: modelFolder, library: library.lastPathComponent, runtime: runtime, tracing: tracing)
        return (library, runtimeWasCached ? .runtimeCached : .cold)
    }

    private static func designHash(_ netlist: Netlist, tools: ContentHash, tracing: Bool) -> String {
        var hash = tools
        // Image paths point into the model folder, which the hash names: hash
        // the design without them, plus the images themselves.
        for file in DesignFiles(top: netlist).files { hash.add(file.name); hash.add(file.contents) }
        hash.add(VerilatorWrapper(netlist).source)
        (verilatorFlags(tracing: tracing) + compilerFlags(tracing: tracing)).forEach { hash.add($0) }
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
        try compileInParallel(sources.map { "\(root)/include/\($0)" }, flags: runtimeFlags + includeFlags(root), in: staging)
        try ExternalTool.run("ar", ["rcs", "libverilated.a"] + sources.map { ($0 as NSString).deletingPathExtension + ".o" }, in: staging)
        try publish(staging, as: folder)
        return (archive, false)
    }

    private static func build(_ netlist: Netlist, into folder: URL, library: String, runtime: URL, tracing: Bool) throws {
        let staging = try stagingFolder(for: folder)
        let generated = staging.appendingPathComponent("generated")
        let design = DesignFiles(top: netlist, imageDirectory: folder.path)
        try design.write(to: staging.appendingPathComponent("rtl"))
        for file in DesignFiles(top: netlist).files where file.name.hasSuffix(".hex") {
            try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
        }
        try ExternalTool.run("verilator", verilatorFlags(tracing: tracing) + ["--top-module", netlist.name, "--Mdir", generated.path]
                             + design.verilogFiles.map { "rtl/\($0)" }, in: staging)
        let wrapper = VerilatorWrapper(netlist)
        try Data(wrapper.source.utf8).write(to: staging.appendingPathComponent("pqa_wrapper.cpp"))
        try Data(wrapper.exportMap.utf8).write(to: staging.appendingPathComponent("exports.map"))
        let root = try verilatorRoot
        // One translation unit per core: Verilator's headers are parsed once
        // per unit, and the units compile side by side.
        let sources = try FileManager.default.contentsOfDirectory(atPath: generated.path).filter { $0.hasSuffix(".cpp") }.sorted()
            .map { "generated/\($0)" } + ["pqa_wrapper.cpp"]
        let units = try balancedUnits(sources, count: compileJobs, in: staging).enumerated().map { index, members -> String in
            let unit = "pqa_unit_\(index).cpp"
            try Data(members.map { "#include \"\($0)\"\n" }.joined().utf8).write(to: staging.appendingPathComponent(unit))
            return unit
        }
        try compileInParallel(units, flags: compilerFlags(tracing: tracing) + includeFlags(root) + ["-Igenerated"], in: staging)
        let objects = units.map { ($0 as NSString).deletingPathExtension + ".o" }
        try ExternalTool.run("g++", ["-shared", "-o", library] + objects + [runtime.path,
                                    "-Wl,--version-script=exports.map", "-pthread", "-latomic"], in: staging)
        try publish(staging, as: folder)
    }

    /// Parallel compile jobs: one per core, at most four.
    private static var compileJobs: Int { max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)) }

    /// `sources` dealt into at most `count` groups of about equal size in
    /// bytes (largest first, each to the lightest group), in a stable order.
    private static func balancedUnits(_ sources: [String], count: Int, in folder: URL) throws -> [[String]] {
        let sizes = try sources.map { source in
            (source, (try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(source).path)[.size] as? Int) ?? 0)
        }
        var groups = Array(repeating: (size: 0, members: [String]()), count: max(1, min(count, sources.count)))
        for (source, size) in sizes.sorted(by: { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }) {
            let lightest = groups.indices.min { groups[$0].size < groups[$1].size } ?? 0
            groups[lightest].size += size
            groups[lightest].members.append(source)
        }
        return groups.map { $0.members.sorted() }.filter { !$0.isEmpty }
    }

    /// Compiles each source to an object in `folder`, `compileJobs` at a time.
    private static func compileInParallel(_ sources: [String], flags: [String], in folder: URL) throws {
        let failures = FailureBox()
        let lanes = min(compileJobs, sources.count)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for source in sources.enumerated().filter({ $0.offset % lanes == lane }).map(\.element) {
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
