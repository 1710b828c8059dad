import Foundation
import HDL
#if canImport(Glibc)
import Glibc
#endif

/// A design compiled by Verilator and loaded into this process: the fast
/// engine. Two-state like the interpreter (`--x-initial 0`), one clock, and
/// the same timing contract (see `Simulator`).
///
/// Each model has its own `VerilatedContext`; a model may move between threads
/// but must not be used by two at once.
public final class VerilatorSimulator: Simulator {
    public let netlist: Netlist
    public private(set) var cycle = 0
    /// How the library was obtained (cold build, runtime cached, fully cached).
    public let buildOutcome: VerilatorBuild.Outcome
    /// The loaded library's path.
    public let libraryPath: URL
    /// Whether the model was built with waveform support.
    public let tracing: Bool

    private let functions: VerilatorFunctions
    private let model: UnsafeMutableRawPointer
    private let portIndex: [String: (index: Int32, width: Int, isInput: Bool)]
    private var needsEval = false
    private var scratch: [UInt64]

    /// Builds (or takes from the cache) and loads `netlist`; with `tracing`,
    /// a model that can write waveforms (it builds and runs slower). Throws
    /// `ToolError` when Verilator or g++ is missing or fails.
    public init(_ netlist: Netlist, tracing: Bool = false) throws {
        self.netlist = netlist
        self.tracing = tracing
        let (path, outcome) = try VerilatorBuild.library(for: netlist, tracing: tracing)
        libraryPath = path
        buildOutcome = outcome
        functions = try VerilatorFunctions.load(path)
        guard let model = functions.create() else {
            throw ToolError.failed(tool: "verilator", command: "pqa_create", status: -1,
                                   output: "the model could not be created", directory: path.deletingLastPathComponent().path)
        }
        self.model = model
        let wrapper = VerilatorWrapper(netlist)
        var index: [String: (Int32, Int, Bool)] = [:]
        for (position, port) in wrapper.ports.enumerated() {
            index[port.name] = (Int32(position), port.width, port.isInput)
            let name = functions.portName(Int32(position)).map { String(cString: $0) }
            guard name == port.name && Int(functions.portWidth(Int32(position))) == port.width else {
                functions.destroy(model)
                throw ToolError.failed(tool: "verilator", command: "pqa_port_name", status: -1,
                                       output: "the cached library does not match design \(netlist.name); delete \(VerilatorBuild.cacheDirectory.path)",
                                       directory: path.deletingLastPathComponent().path)
            }
        }
        portIndex = index
        scratch = Array(repeating: 0, count: BitVector.wordCount(forWidth: wrapper.ports.map(\.width).max() ?? 1))
    }

    deinit { functions.destroy(model) }

    private func port(_ name: String) throws(SimulationError) -> (index: Int32, width: Int, isInput: Bool) {
        guard let port = portIndex[name] else {
            throw .unknownSignal(name: name, design: netlist.name, known: portNames)
        }
        return port
    }

    public func poke(_ name: String, _ value: BitVector) throws(SimulationError) {
        let target = try port(name)
        guard target.isInput else { throw .notAnInput(port: name) }
        guard value.width == target.width else {
            throw .valueDoesNotFit(port: name, value: value.description, type: "\(target.width) bits")
        }
        value.words.withUnsafeBufferPointer { functions.set(model, target.index, $0.baseAddress) }
        needsEval = true
    }

    public func peek(_ name: String) throws(SimulationError) -> BitVector {
        let target = try port(name)
        if needsEval {
            functions.eval(model)
            needsEval = false
        }
        let count = BitVector.wordCount(forWidth: target.width)
        scratch.withUnsafeMutableBufferPointer { functions.get(model, target.index, $0.baseAddress) }
        return BitVector(width: target.width, words: Array(scratch.prefix(count)))
    }

    public func step(_ cycles: Int) {
        guard cycles > 0 else { return }
        functions.step(model, UInt64(cycles))
        cycle += cycles
        needsEval = false
    }

    public func reset(cycles: Int) {
        if netlist.usesReset { try? poke("rst", 1) }
        step(cycles)
        if netlist.usesReset { try? poke("rst", 0) }
    }

    // MARK: Fast access

    /// A port resolved once, for loops that poke and peek every cycle.
    public struct PortHandle: Sendable {
        fileprivate let index: Int32
        /// Bits of the port.
        public let width: Int
    }

    /// The handle of port `name`.
    public func handle(_ name: String) throws(SimulationError) -> PortHandle {
        let target = try port(name)
        return PortHandle(index: target.index, width: target.width)
    }

    /// Drives a port of up to 64 bits (the caller keeps `value` within its width).
    public func poke(_ port: PortHandle, _ value: UInt64) {
        withUnsafePointer(to: value) { functions.set(model, port.index, $0) }
        needsEval = true
    }

    /// Reads the low 64 bits of a port.
    public func peekWord(_ port: PortHandle) -> UInt64 {
        if needsEval {
            functions.eval(model)
            needsEval = false
        }
        scratch.withUnsafeMutableBufferPointer { functions.get(model, port.index, $0.baseAddress) }
        return scratch[0]
    }

    /// Ports of up to 64 bits moved together in one call: the fastest way to
    /// drive a model from Swift. Set `values` and `poke(_:)` the group, or
    /// `peek(_:)` it and read `values`.
    public final class PortGroup {
        fileprivate let indices: UnsafeMutableBufferPointer<Int32>
        /// One word per port, in the order the group was made.
        public let values: UnsafeMutableBufferPointer<UInt64>

        fileprivate init(_ ports: [PortHandle]) {
            indices = .allocate(capacity: ports.count)
            _ = indices.initialize(from: ports.map(\.index))
            values = .allocate(capacity: ports.count)
            values.initialize(repeating: 0)
        }

        deinit {
            indices.deallocate()
            values.deallocate()
        }
    }

    /// A group of the named ports, each of at most 64 bits.
    public func group(_ names: [String]) throws(SimulationError) -> PortGroup {
        var handles: [PortHandle] = []
        for name in names {
            let port = try handle(name)
            guard port.width <= 64 else { throw .valueDoesNotFit(port: name, value: "a 64-bit word", type: "\(port.width) bits") }
            handles.append(port)
        }
        return PortGroup(handles)
    }

    /// Drives every port of `group` from its `values`.
    public func poke(_ group: PortGroup) {
        functions.setWords(model, Int32(group.indices.count), group.indices.baseAddress, group.values.baseAddress)
        needsEval = true
    }

    /// Reads every port of `group` into its `values`.
    public func peek(_ group: PortGroup) {
        functions.getWords(model, Int32(group.indices.count), group.indices.baseAddress, group.values.baseAddress)
        needsEval = false
    }

    /// Runs the loop a Swift caller would (poke `inputs` from the next row of
    /// `values`, read every port of `outputs`, step) in C++ inside the
    /// library, for `cycles` cycles: the model's speed without Swift in the
    /// loop. Ports are of up to 64 bits; returns a checksum of the reads.
    public func runNativeLoop(cycles: Int, inputs: [PortHandle], outputs: [PortHandle], values: [[UInt64]]) -> UInt64 {
        let inputIndices = inputs.map(\.index), outputIndices = outputs.map(\.index)
        let flat = values.flatMap { $0 }
        let checksum = inputIndices.withUnsafeBufferPointer { inputBuffer in
            outputIndices.withUnsafeBufferPointer { outputBuffer in
                flat.withUnsafeBufferPointer { valueBuffer in
                    functions.benchLoop(model, UInt64(cycles), inputBuffer.baseAddress, Int32(inputs.count),
                                        outputBuffer.baseAddress, Int32(outputs.count), valueBuffer.baseAddress, Int32(values.count))
                }
            }
        }
        cycle += cycles
        return checksum
    }

    /// Starts a waveform; the model must have been built with `tracing`.
    public func startTrace(writingTo path: String) throws {
        guard tracing else {
            throw ToolError.failed(tool: "verilator", command: "pqa_trace_open", status: -1,
                                   output: "the model of \(netlist.name) was built without waveform support; create it with VerilatorSimulator(netlist, tracing: true)",
                                   directory: libraryPath.deletingLastPathComponent().path)
        }
        functions.traceOpen(model, path)
    }
    public func stopTrace() { functions.traceClose(model) }
}

/// The wrapper's functions, looked up in a loaded library. Libraries stay
/// loaded for the life of the process (unloading C++ code with static state is
/// not safe); each design's library has its own path, so two designs never
/// share one.
struct VerilatorFunctions {
    let create: @convention(c) () -> UnsafeMutableRawPointer?
    let destroy: @convention(c) (UnsafeMutableRawPointer) -> Void
    let portName: @convention(c) (Int32) -> UnsafePointer<CChar>?
    let portWidth: @convention(c) (Int32) -> Int32
    let set: @convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<UInt64>?) -> Void
    let get: @convention(c) (UnsafeMutableRawPointer, Int32, UnsafeMutablePointer<UInt64>?) -> Void
    let eval: @convention(c) (UnsafeMutableRawPointer) -> Void
    let step: @convention(c) (UnsafeMutableRawPointer, UInt64) -> Void
    let traceOpen: @convention(c) (UnsafeMutableRawPointer, UnsafePointer<CChar>) -> Void
    let traceClose: @convention(c) (UnsafeMutableRawPointer) -> Void
    let setWords: @convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<Int32>?, UnsafePointer<UInt64>?) -> Void
    let getWords: @convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<Int32>?, UnsafeMutablePointer<UInt64>?) -> Void
    let benchLoop: @convention(c) (UnsafeMutableRawPointer, UInt64, UnsafePointer<Int32>?, Int32, UnsafePointer<Int32>?, Int32,
                                   UnsafePointer<UInt64>?, Int32) -> UInt64

    static func load(_ library: URL) throws -> VerilatorFunctions {
        guard let handle = dlopen(library.path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw ToolError.failed(tool: "dlopen", command: library.path, status: -1, output: reason,
                                   directory: library.deletingLastPathComponent().path)
        }
        func symbol<T>(_ name: String, as type: T.Type) throws -> T {
            guard let address = dlsym(handle, name) else {
                throw ToolError.failed(tool: "dlsym", command: name, status: -1, output: "symbol missing from \(library.path)",
                                       directory: library.deletingLastPathComponent().path)
            }
            return unsafeBitCast(address, to: type)
        }
        return VerilatorFunctions(
            create: try symbol("pqa_create", as: (@convention(c) () -> UnsafeMutableRawPointer?).self),
            destroy: try symbol("pqa_destroy", as: (@convention(c) (UnsafeMutableRawPointer) -> Void).self),
            portName: try symbol("pqa_port_name", as: (@convention(c) (Int32) -> UnsafePointer<CChar>?).self),
            portWidth: try symbol("pqa_port_width", as: (@convention(c) (Int32) -> Int32).self),
            set: try symbol("pqa_set", as: (@convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<UInt64>?) -> Void).self),
            get: try symbol("pqa_get", as: (@convention(c) (UnsafeMutableRawPointer, Int32, UnsafeMutablePointer<UInt64>?) -> Void).self),
            eval: try symbol("pqa_eval", as: (@convention(c) (UnsafeMutableRawPointer) -> Void).self),
            step: try symbol("pqa_step", as: (@convention(c) (UnsafeMutableRawPointer, UInt64) -> Void).self),
            traceOpen: try symbol("pqa_trace_open", as: (@convention(c) (UnsafeMutableRawPointer, UnsafePointer<CChar>) -> Void).self),
            traceClose: try symbol("pqa_trace_close", as: (@convention(c) (UnsafeMutableRawPointer) -> Void).self),
            setWords: try symbol("pqa_set_words", as: (@convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<Int32>?,
                                                                         UnsafePointer<UInt64>?) -> Void).self),
            getWords: try symbol("pqa_get_words", as: (@convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<Int32>?,
                                                                         UnsafeMutablePointer<UInt64>?) -> Void).self),
            benchLoop: try symbol("pqa_bench_loop", as: (@convention(c) (UnsafeMutableRawPointer, UInt64, UnsafePointer<Int32>?, Int32,
                                                                           UnsafePointer<Int32>?, Int32, UnsafePointer<UInt64>?, Int32) -> UInt64).self))
    }
}
