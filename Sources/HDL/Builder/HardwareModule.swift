/// A piece of hardware described in Swift: a type whose `build` method declares
/// ports, registers, memories, instances and the logic between them.
///
/// ```swift
/// struct Counter: HardwareModule {
///     var width = 8
///     var moduleName: String { "counter" }
///     var parameters: [ModuleParameter] { [.init("width", width)] }
///     func build(_ m: ModuleBuilder) {
///         let enable = m.input("enable", .bool)
///         let count = m.output("count", .unsigned(width))
///         let value = m.register("value", .unsigned(width), reset: 0)
///         m.when(enable) { value <== value + 1 }
///         count <== value
///     }
/// }
/// ```
public protocol HardwareModule {
    /// The base name of the emitted Verilog module.
    var moduleName: String { get }
    /// The values that make one elaboration differ from another. They are
    /// appended to `moduleName` to name the emitted module and listed in its header.
    var parameters: [ModuleParameter] { get }
    /// Whether the emitted name carries the parameters (`counter_width8`).
    /// A top-level design that wants a fixed name (`pqa_core`) says false;
    /// its parameters still head the emitted file.
    var nameIncludesParameters: Bool { get }
    /// Declares the module's hardware.
    func build(_ m: ModuleBuilder)
}

extension HardwareModule {
    /// No parameters.
    public var parameters: [ModuleParameter] { [] }

    /// Parameterised modules carry their parameters in their names.
    public var nameIncludesParameters: Bool { true }

    /// Elaborates this module and every module it instantiates, checking widths,
    /// drivers, names and combinational loops. Throws every error found at once.
    public func elaborate() throws(ElaborationError) -> Netlist {
        let context = ElaborationContext()
        let netlist = context.elaborate(self)
        let errors = context.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw ElaborationError(diagnostics: context.diagnostics) }
        return netlist
    }
}

/// Shared state of one elaboration: the cache of elaborated modules (so each
/// distinct parameterisation is built once) and every diagnostic.
final class ElaborationContext {
    private var cache: [String: (key: String, netlist: Netlist)] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    private var inProgress: [String] = []

    func elaborate(_ module: some HardwareModule) -> Netlist {
        let name = module.nameIncludesParameters
            ? ModuleNaming.emittedName(base: module.moduleName, parameters: module.parameters) : module.moduleName
        let key = module.moduleName + "|" + module.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        if let cached = cache[name] {
            if cached.key != key {
                diagnostics.append(Diagnostic(
                    severity: .error, module: name,
                    message: "two different parameterisations (\(cached.key) and \(key)) map to the same module name; give their parameters distinct values",
                    location: nil))
            }
            return cached.netlist
        }
        if inProgress.contains(name) {
            diagnostics.append(Diagnostic(
                severity: .error, module: name,
                message: "module instantiates itself (\((inProgress + [name]).joined(separator: " -> ")))",
                location: nil))
            return Netlist(name: name, baseName: module.moduleName, parameters: module.parameters, ports: [], nodes: [],
                           registers: [], memories: [], instances: [], combinationalPaths: [:], warnings: [])
        }
        inProgress.append(name)
        let builder = ModuleBuilder(name: name, context: self)
        if !ModuleNaming.isIdentifier(module.moduleName) || VerilogKeywords.contains(module.moduleName) {
            builder.error("module name '\(module.moduleName)' is not a legal Verilog identifier; use letters, digits and '_', not a keyword", at: nil)
        }
        module.build(builder)
        let netlist = Lowering(builder: builder, baseName: module.moduleName, parameters: module.parameters).run()
        diagnostics += builder.diagnostics
        inProgress.removeLast()
        cache[name] = (key, netlist)
        return netlist
    }
}

/// How emitted module names are derived from a base name and parameters.
enum ModuleNaming {
    /// `argmin_tree` with `inputs=64, width=16` becomes `argmin_tree_inputs64_width16`.
    static func emittedName(base: String, parameters: [ModuleParameter]) -> String {
        guard !parameters.isEmpty else { return base }
        let suffix = parameters.map { sanitize($0.name) + sanitize($0.value) }.joined(separator: "_")
        let name = base + "_" + suffix
        guard name.count > 64 else { return name }
        return base + "_" + stableHash(suffix)
    }

    static func sanitize(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : ($0 == "-" ? "m" : "_") })
    }

    /// FNV-1a, 64 bits, as 16 hex digits: stable across runs and platforms.
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
